"""The demo's OC4IDS package through the standard's own review library (libcoveoc4ids, the
validator behind the OC4IDS Data Review Tool), against the official 0.9.5 schema shipped in
tuijin/public/schema, with no network: issue 21 item 6."""

import copy
from urllib.parse import urlsplit

import pytest
from django.test import Client
from libcoveoc4ids.api import oc4ids_json_output

from tuijin.public import oc4ids
from tuijin.public.models import PublicPhoto
from tuijin.public.tests.oc4ids_review import NetworkUsed, errors, offline, review

pytestmark = pytest.mark.usefixtures("demo_zone", "db")

URI = "https://example.org/public/oc4ids.json"


@pytest.fixture
def package():
    return oc4ids.package(URI, "随州高新区")


def test_the_demo_package_passes_the_review_tool(package):
    assert len(package["projects"]) == 3
    with offline() as attempts:
        result = review(package)
    assert attempts == []
    assert result["version_used"] == "0.9.5"
    assert result["schema_url"].endswith("tuijin/public/schema/project-package-schema.json")
    assert result["json_deref_error"] is None
    assert errors(result) == []
    assert result["validation_errors_count"] == 0
    assert result["additional_closed_codelist_values"] == {}
    assert result["additional_open_codelist_values"] == {}  # sector, roles, types: all codes
    assert result["additional_checks"] == []  # no empty field, no value without currency
    assert result["data_only"] == []  # no field the schema does not know
    # The demo zone has no registered project-id prefix; the review says so, nothing else.
    assert [check["check_id"] for check in result["conformance_checks"]] == ["invalid-project-ids"]
    for project in package["projects"]:
        assert {"status", "locations", "budget", "parties", "milestones", "metrics"} <= set(project)
        assert {m["id"] for m in project["metrics"]} == {"physicalProgress", "financialProgress"}
    # The photos the zone shows publicly, linked as images (each URL serves the EXIF-free copy).
    photos = [
        document
        for project in package["projects"]
        for document in project.get("documents", [])
        if document.get("documentType") == "illustration"
    ]
    assert len(photos) == PublicPhoto.objects.shown().count() > 0
    assert all(d["url"].startswith("https://example.org/public/photos/") for d in photos)
    served = Client().get(urlsplit(photos[0]["url"]).path)
    assert served.status_code == 200 and served["Content-Type"] == photos[0]["format"]


def test_the_review_tool_reports_a_broken_copy(package):
    broken = copy.deepcopy(package)
    first, second = broken["projects"][0], broken["projects"][1]
    first["status"] = "underConstruction"
    second["budget"]["amount"]["currency"] = "RMB"
    second["milestones"][0]["dueDate"] = "2026-13-01"
    first["metrics"][0]["observations"][0]["id"] = ""
    first["parties"][0]["roles"] = ["owner"]
    del broken["publisher"]
    with offline() as attempts:
        result = review(broken)
    assert attempts == []
    found = errors(result)
    assert ("'publisher' is missing but required", "") in found
    assert ("Date is not in the correct format", "projects/1/milestones/0/dueDate") in found
    assert any(path == "projects/0/metrics/0/observations/0/id" for _message, path in found)
    closed = result["additional_closed_codelist_values"]
    assert closed["projects/status"]["values"] == ["underConstruction"]
    assert closed["projects/budget/amount/currency"]["values"] == ["RMB"]
    assert result["additional_open_codelist_values"]["projects/parties/roles"]["values"] == [
        "owner"
    ]
    assert result["additional_checks"][0]["check_id"] == "missing-values"


def test_the_library_goes_online_by_default_and_offline_stops_it(package):
    """Proof that the guard bites: libcoveoc4ids' own default fetches its schema from the
    web, and offline() turns that into a failure before any packet leaves."""
    with offline() as attempts, pytest.raises(NetworkUsed):
        oc4ids_json_output(json_data=package)
    assert attempts and "standard.open-contracting.org" in str(attempts[0])
