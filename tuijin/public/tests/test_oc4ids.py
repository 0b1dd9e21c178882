"""The OC4IDS package and the public page: only published projects, only public facts, valid
for the standard's own review library against the official schema (offline); the internal
fields only in the namespaced extension a zone turns on; the publish verb audited and kept to
zone leaders."""

import datetime as dt
import json

import pytest
from constance import config
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.projects.models import Light, Milestone, Stage
from tuijin.projects.tests.factories import make_enterprise, make_project, plan, report
from tuijin.public import oc4ids, services
from tuijin.public.models import PublishedProject
from tuijin.public.tests.oc4ids_review import errors, offline, review
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category, make_item

SECRET = "内部问题勿公开"
ITEM = "督办:三天内清表"
PROBLEM = "能耗指标不足"


def reviewed(package) -> dict:
    """The review tool's findings, offline; fails on any schema error or closed-code misuse."""
    with offline() as attempts:
        result = review(package)
    assert attempts == []
    assert errors(result) == []
    assert result["additional_closed_codelist_values"] == {}
    assert result["json_deref_error"] is None
    return result


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def projects(org):
    shown = make_project(
        "公开的厂房项目",
        leaders=["leader", "jingfa"],
        enterprises=[make_enterprise("公开企业", credit_code="91421300MA49XXXX1X")],
        content="新建标准化厂房",
        total_investment=12000,
        planned_start=dt.date(2026, 3, 1),
        planned_completion=dt.date(2027, 6, 30),
        location="高新区裕民大道",
        latitude="31.690000",
        longitude="113.380000",
        light=Light.RED,
        light_reasons=[SECRET],
    )
    plan(shown, 5000, year=2026)
    report(shown, dt.date(2026, 10, 10), investment=800, progress=40, problems=SECRET)
    report(shown, dt.date(2026, 11, 10), investment=700, progress=55)
    Milestone.objects.create(
        project=shown,
        name="主体封顶",
        due_date=dt.date(2026, 10, 1),
        done_date=dt.date(2026, 9, 28),
    )
    Milestone.objects.create(project=shown, name="设备安装", due_date=dt.date(2027, 3, 1))
    make_item(project=shown, title=ITEM)
    Problem.objects.create(
        project=shown,
        category=category(),
        description=PROBLEM,
        unit=shown.unit,
        raised_at=timezone.now(),
    )
    hidden = make_project("未公开的项目", stage=Stage.PLANNING)
    return shown, hidden


def test_publish_is_audited_and_kept_to_zone_leaders(projects):
    shown, _hidden = projects
    with pytest.raises(PermissionDenied):
        services.publish(user("jingfa_staff"), shown)
    assert not PublishedProject.objects.exists()
    services.publish(user("leader"), shown)
    assert AuditEvent.objects.filter(
        model="public.publishedproject", action="publish_project"
    ).exists()
    services.unpublish(user("admin"), shown)
    assert not PublishedProject.objects.public().exists()
    assert AuditEvent.objects.filter(action="unpublish_project").exists()


def test_the_history_tab_names_the_publishing_verbs(projects):
    shown, _hidden = projects
    services.publish(user("leader"), shown)
    services.unpublish(user("leader"), shown)
    record = PublishedProject.objects.get(project=shown)
    page = login_as("leader").get(reverse("history", args=["public.publishedproject", record.pk]))
    assert "公开项目进展" in page.text and "取消公开项目" in page.text
    assert "publish_project" not in page.text


def test_the_package_validates_and_keeps_internal_fields_out(projects):
    shown, hidden = projects
    services.publish(user("leader"), shown)
    package = oc4ids.package("https://example.org/public/oc4ids.json", "随州高新区")
    result = reviewed(package)
    assert result["data_only"] == []  # every field is one the schema knows
    assert result["additional_checks"] == []
    assert package["version"] == "0.9"
    [project] = package["projects"]
    assert project["id"] == shown.code and project["status"] == "implementation"
    assert project["sector"] == ["economy"]
    assert project["budget"]["amount"] == {"amount": 120000000.0, "currency": "CNY"}
    [annual] = project["budget"]["budgetBreakdowns"]
    assert annual["budgetBreakdown"][0]["amount"]["amount"] == 50000000.0
    assert [m["status"] for m in project["milestones"]] == ["met", "scheduled"]
    physical, financial = project["metrics"]
    assert [o["measure"] for o in physical["observations"]] == [40, 55]
    assert physical["observations"][0]["unit"]["id"] == "P1"
    assert financial["observations"][-1]["value"]["amount"] == 15000000.0
    assert {p["name"] for p in project["parties"]} == {"经济发展局", "公开企业"}
    with translation.override("en"):  # an English reader gets the same data
        assert oc4ids.package("https://example.org/public/oc4ids.json", "随州高新区") == package
    assert project["additionalClassifications"][0]["description"] == "产业项目"
    text = json.dumps(package, ensure_ascii=False)
    assert hidden.code not in text and "未公开的项目" not in text
    assert SECRET not in text and "light" not in text.lower()
    assert ITEM not in text and PROBLEM not in text and oc4ids.EXTENSION not in text
    for person in shown.leaders.all():
        assert person.name not in text


def test_the_zone_turns_on_the_internal_fields_extension(projects):
    shown, _hidden = projects
    services.publish(user("leader"), shown)
    with pytest.raises(PermissionDenied):
        oc4ids.set_internal(user("jingfa_staff"), True)
    assert config.OC4IDS_INTERNAL is False
    oc4ids.set_internal(user("leader"), True)
    event = AuditEvent.objects.get(model="constance.config", action="oc4ids_internal_on")
    assert event.object_id == "OC4IDS_INTERNAL" and event.changes == {
        "OC4IDS_INTERNAL": [False, True]
    }
    package = oc4ids.package("https://example.org/public/oc4ids.json", "随州高新区")
    result = reviewed(package)
    # The extension is the only field the schema does not know, and it is namespaced.
    assert {path for path, _field, _count in result["data_only"]} == {"/projects"}
    assert {field for _path, field, _count in result["data_only"]} == {oc4ids.EXTENSION}
    internal = package["projects"][0][oc4ids.EXTENSION]
    assert internal["light"]["color"] == "red" and internal["light"]["reasons"] == [SECRET]
    assert {p["name"] for p in internal["leaders"]} == {p.name for p in shown.leaders.all()}
    assert [i["title"] for i in internal["supervisionItems"]] == [ITEM]
    assert [p["description"] for p in internal["problems"]] == [PROBLEM]

    oc4ids.set_internal(user("admin"), False)
    assert AuditEvent.objects.filter(action="oc4ids_internal_off").exists()
    package = oc4ids.package("https://example.org/public/oc4ids.json", "随州高新区")
    assert oc4ids.EXTENSION not in json.dumps(package)


def test_a_registered_prefix_makes_the_ids_conform(projects):
    shown, _hidden = projects
    services.publish(user("leader"), shown)
    package = oc4ids.package("https://example.org/public/oc4ids.json", "随州高新区")
    [finding] = reviewed(package)["conformance_checks"]
    assert finding["check_id"] == "invalid-project-ids"  # no prefix registered: said plainly
    config.OC4IDS_PREFIX = "oc4ids-abc123"
    package = oc4ids.package("https://example.org/public/oc4ids.json", "随州高新区")
    assert package["projects"][0]["id"] == f"oc4ids-abc123-{shown.code}"
    assert package["projects"][0]["identifiers"] == [{"scheme": "X-TUIJIN", "id": shown.code}]
    assert reviewed(package)["conformance_checks"] == []


def test_nothing_published_offers_no_package(projects):
    # The standard wants a package to hold a project: none published, a 404 that says why.
    anonymous = Client()
    assert "oc4ids.json" not in anonymous.get(reverse("public:index")).text
    download = anonymous.get(reverse("public:oc4ids"))
    assert download.status_code == 404
    assert download.json() == {"code": "nothing_published", "message": "本区尚未公开任何项目"}


def test_public_page_and_download_need_no_login(projects, django_assert_max_num_queries):
    shown, _hidden = projects
    services.publish(user("leader"), shown)
    anonymous = Client()
    with django_assert_max_num_queries(12):
        page = anonymous.get(reverse("public:index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "公开的厂房项目" in body and "主体封顶" in body and "55%" in body
    assert "2026年9月28日" in body  # milestone dates in Chinese, as everywhere else
    assert "总投资 12,000 万元" in body  # thousands separated, as everywhere else
    assert "未公开的项目" not in body and SECRET not in body
    download = anonymous.get(reverse("public:oc4ids"))
    assert download.status_code == 200 and download["Content-Type"] == "application/json"
    reviewed(download.json())
    assert anonymous.get(reverse("public:manage")).status_code == 302


def test_manage_page_and_toggle(projects):
    _shown, hidden = projects
    assert login_as("jingfa_staff").get(reverse("public:manage")).status_code == 403
    leader = login_as("leader")
    assert leader.get(reverse("public:manage")).status_code == 200
    url = reverse("public:toggle", args=[hidden.pk])
    assert leader.get(url).status_code == 405
    assert login_as("jingfa_staff").post(url, {"publish": "1"}).status_code == 403
    assert not PublishedProject.objects.exists()
    assert leader.post(url, {"publish": "1"}).status_code == 302
    assert PublishedProject.objects.public().get().project == hidden
    leader.post(url, {"publish": "0"})
    assert not PublishedProject.objects.public().exists()
