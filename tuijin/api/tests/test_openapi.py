"""The OpenAPI spec: served at /api/v1/openapi.json, committed as docs/api/openapi.json (a
change of the code that changes the spec fails here until the file is regenerated with
``manage.py api_spec``), every schema field described, the docs page from our own files."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from conftest import login_as
from tuijin.api.api import api
from tuijin.api.tests.helpers import api_as

SPEC = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.json"


def spec_text() -> str:
    from tuijin.api.management.commands.api_spec import render

    return render()


def test_the_committed_spec_is_the_code():
    assert SPEC.read_text(encoding="utf-8") == spec_text(), (
        "docs/api/openapi.json differs from the API's code: run "
        "`manage.py api_spec` and commit the file (and say what changed in CHANGELOG.md)."
    )


def test_every_schema_field_and_parameter_is_described():
    spec = api.get_openapi_schema()
    missing = []
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if not prop.get("description"):
                missing.append(f"{name}.{field}")
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not operation.get("summary"):
                missing.append(f"{method} {path} (summary)")
            for parameter in operation.get("parameters", []):
                described = parameter.get("description") or parameter["schema"].get("description")
                if not described and parameter["in"] != "path":
                    missing.append(f"{method} {path} ?{parameter['name']}")
    assert not missing, missing


@pytest.mark.django_db
def test_the_spec_and_docs_are_served_to_who_is_signed_in(org, client):
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/api/v1/docs").status_code == 302
    served = api_as("jingfa").get("/openapi.json")
    assert served.status_code == 200
    assert served.json()["info"]["title"] == api.title
    page = login_as("jingfa").get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<body")[0]
    assert json.loads(
        page.content.decode().split('id="swagger-settings">')[1].split("</script>")[0]
    )
