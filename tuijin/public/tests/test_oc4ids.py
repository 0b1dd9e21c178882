"""The OC4IDS package and the public page: only published projects, only public facts, valid
against the package schema (no network), the publish verb audited and kept to zone leaders."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.projects.models import Light, Milestone, Stage
from tuijin.projects.tests.factories import make_enterprise, make_project, plan, report
from tuijin.public import oc4ids, services
from tuijin.public.models import PublishedProject

SCHEMA = json.loads(
    (Path(oc4ids.__file__).parent / "schema" / "project-package.schema.json").read_text()
)
SECRET = "内部问题勿公开"


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
    hidden = make_project("未公开的项目", stage=Stage.PLANNING)
    return shown, hidden


def test_publish_is_audited_and_kept_to_zone_leaders(projects):
    shown, _hidden = projects
    with pytest.raises(PermissionDenied):
        services.publish(user("jingfa_staff"), shown)
    assert not PublishedProject.objects.exists()
    services.publish(user("leader"), shown)
    assert AuditEvent.objects.filter(model="public.publishedproject", action="publish").exists()
    services.unpublish(user("admin"), shown)
    assert not PublishedProject.objects.public().exists()
    assert AuditEvent.objects.filter(action="unpublish").exists()


def test_the_package_validates_and_keeps_internal_fields_out(projects):
    shown, hidden = projects
    services.publish(user("leader"), shown)
    package = oc4ids.package("https://example.org/public/oc4ids.json", "随州高新区")
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA).validate(package)
    assert package["version"] == "0.9"
    [project] = package["projects"]
    assert project["id"] == shown.code and project["status"] == "implementation"
    assert project["budget"]["amount"] == {"amount": 120000000.0, "currency": "CNY"}
    assert [m["status"] for m in project["milestones"]] == ["met", "scheduled"]
    physical = project["metrics"][0]
    assert [o["measure"] for o in physical["observations"]] == ["40", "55"]
    assert project["metrics"][1]["observations"][-1]["value"]["amount"] == 15000000.0
    assert {p["name"] for p in project["parties"]} == {"经济发展局", "公开企业"}
    text = json.dumps(package, ensure_ascii=False)
    assert hidden.code not in text and "未公开的项目" not in text
    assert SECRET not in text and "light" not in text.lower()
    for person in shown.leaders.all():
        assert person.name not in text


def test_public_page_and_download_need_no_login(projects, django_assert_max_num_queries):
    shown, _hidden = projects
    services.publish(user("leader"), shown)
    anonymous = Client()
    with django_assert_max_num_queries(12):
        page = anonymous.get(reverse("public:index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "公开的厂房项目" in body and "主体封顶" in body and "55%" in body
    assert "未公开的项目" not in body and SECRET not in body
    download = anonymous.get(reverse("public:oc4ids"))
    assert download.status_code == 200 and download["Content-Type"] == "application/json"
    jsonschema.Draft4Validator(SCHEMA).validate(download.json())
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
