"""schemathesis against a live server: every operation of the committed spec, with a
read-write token, bounded examples (fixed seed), checking that no answer is a server error,
every answer matches its documented schema, status and content type. Runs on whichever
database the suite runs on (CI: SQLite and PostgreSQL) and prints its counts."""

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.conf import settings

from tuijin.api.tests.helpers import token_for
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.tests.factories import make_item


class SchemathesisCounts(UserWarning):
    """Not a problem: how many cases schemathesis ran, for the run's output."""


SPEC = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"
CHECKS = (
    "not_a_server_error,response_schema_conformance,status_code_conformance,"
    "content_type_conformance"
)


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, settings):
    settings.API_RATE_LIMIT = 10**6  # the fuzzer is one client calling fast
    make_project()
    for _ in range(3):
        make_item(lead="经济发展局")
    secret = token_for("leader")
    command = [
        str(Path(sys.executable).parent / "st"),
        "run",
        str(SPEC),
        "--url",
        live_server.url,
        "--header",
        f"Authorization: Bearer {secret}",
        "--checks",
        CHECKS,
        "--phases",
        "fuzzing",  # the coverage phase (boundary values of every field) takes minutes
        "--max-examples",
        "8",
        "--seed",
        "20261206",
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--no-color",
        "--warnings",
        "off",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    output = result.stdout + result.stderr
    counts = re.search(r"(\d+) generated, .*", output)
    tested = re.search(r"Tested: (\d+)", output)
    summary = (
        f"{tested.group(1) if tested else '?'} operations, {counts.group(0) if counts else ''}"
    )
    print("schemathesis:", summary)
    # A warning reaches the summary of a quiet run, from xdist workers too: CI shows the counts.
    warnings.warn(SchemathesisCounts(f"schemathesis: {summary}"), stacklevel=1)
    assert result.returncode == 0, output[-6000:]
    assert tested and int(tested.group(1)) == len(_operations()), output[-2000:]


def _operations() -> list:
    import json

    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    return [(m, p) for p, ops in spec["paths"].items() for m in ops]
