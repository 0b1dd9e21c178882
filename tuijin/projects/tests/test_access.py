"""Read and write at the chokepoint: editable_by agrees with the per-object rules, child
records are scoped through their project, refused writes change nothing, bad ?year= is no 500."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuijin.core.audit import AuditedModel
from tuijin.core.models import AuditEvent
from tuijin.intake.models import IntakeDocument
from tuijin.projects.models import (
    AnnualPlan,
    Approval,
    ApprovalType,
    Enterprise,
    Milestone,
    ProgressReport,
    Project,
    ProjectFile,
)
from tuijin.projects.permissions import can_edit_enterprise, can_edit_project
from tuijin.projects.tests.factories import make_enterprise, make_project, plan, report

PERSONAS = ["leader", "duban", "jingfa", "jingfa_staff", "chengdong", "jijian", "qiye", "admin"]


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def ledger(org):
    from tuijin.org.models import Person

    benxing = make_enterprise("犇星新能源")
    benxing.liaison = Person.objects.get(user__username="qiye")
    benxing.save()
    make_enterprise("城东企业", unit="城东产业园", park="城东产业园")
    own = make_project("犇星二期", enterprises=[benxing])
    other = make_project("人才公寓", park="城东产业园", unit="城东产业园", leaders=["leader"])
    in_park = make_project("园区内的他局项目", park="城东产业园", unit="住建局")
    return {"own": own, "other": other, "in_park": in_park}


def rows():
    """What a refused write must leave as it was: ledger rows and the audit chain."""
    models = [Project, Enterprise, AnnualPlan, Approval, Milestone, ProgressReport, ProjectFile]
    return [m.objects.count() for m in models] + [AuditEvent.objects.count()]


@pytest.mark.parametrize("username", PERSONAS)
def test_editable_projects_are_exactly_those_the_per_object_rule_allows(ledger, username):
    someone = user(username)
    editable = set(Project.objects.editable_by(someone).values_list("pk", flat=True))
    visible = set(Project.objects.visible_to(someone).values_list("pk", flat=True))
    assert editable <= visible
    for project in Project.objects.visible_to(someone):
        assert (project.pk in editable) == can_edit_project(someone, project), project


@pytest.mark.parametrize("username", PERSONAS)
def test_editable_enterprises_are_exactly_those_the_per_object_rule_allows(ledger, username):
    someone = user(username)
    editable = set(Enterprise.objects.editable_by(someone).values_list("pk", flat=True))
    for enterprise in Enterprise.objects.visible_to(someone):
        assert (enterprise.pk in editable) == can_edit_enterprise(someone, enterprise)


def test_a_park_office_edits_projects_in_its_park_whoever_answers_for_them(ledger):
    chengdong = user("chengdong")
    assert set(Project.objects.editable_by(chengdong)) == {ledger["other"], ledger["in_park"]}


def test_every_audited_ledger_model_is_scoped_for_reading_and_writing(org):
    for model in AuditedModel.__subclasses__():
        if model._meta.app_label in {"projects", "intake"}:
            queryset = model._default_manager.all()
            assert hasattr(queryset, "visible_to") and hasattr(queryset, "editable_by"), model


def test_child_records_are_seen_and_changed_as_their_project(ledger, leader, outsider, staff):
    own, other = ledger["own"], ledger["other"]
    kind = ApprovalType.objects.first()
    children = [
        plan(own, 100),
        Approval.objects.create(project=own, kind=kind),
        Milestone.objects.create(project=own, name="开工", due_date=dt.date(2026, 3, 1)),
        report(own, dt.date(2026, 1, 10)),
    ]
    staff_user, chengdong = user("jingfa_staff"), user("chengdong")
    for child in children:
        model = type(child)
        assert model.objects.visible_to(staff_user).filter(pk=child.pk).exists()
        assert model.objects.editable_by(staff_user).filter(pk=child.pk).exists()
        assert not model.objects.visible_to(chengdong).filter(pk=child.pk).exists()
        url = reverse("history", args=[model._meta.label_lower, child.pk])
        assert leader.get(url).status_code == 200
        assert outsider.get(url).status_code == 404
    assert not AnnualPlan.objects.editable_by(staff_user).filter(project=other).exists()


def test_the_history_of_an_intake_record_answers(org, leader, outsider):
    from tuijin.org.models import Unit

    document = IntakeDocument.objects.create(
        title="测试",
        text="文本",
        reference_date=dt.date(2026, 1, 1),
        unit=Unit.objects.get(name="经济发展局"),
    )
    url = reverse("history", args=["intake.intakedocument", document.pk])
    assert leader.get(url).status_code == 200
    assert outsider.get(url).status_code == 404
    assert not IntakeDocument.objects.editable_by(user("leader")).exists()


def test_editing_another_units_project_is_404_and_changes_nothing(ledger, outsider):
    before = rows()
    url = reverse("projects:project_edit", args=[ledger["own"].pk])
    assert outsider.post(url, {"name": "改名"}).status_code == 404
    assert outsider.post(
        reverse("projects:project_plans", args=[ledger["own"].pk])
    ).status_code == (404)
    assert rows() == before


def test_a_liaison_who_sees_a_project_cannot_edit_or_report_on_it(ledger, liaison):
    before = rows()
    pk = ledger["own"].pk
    for name in ["project_edit", "project_approvals", "project_plans", "report_create"]:
        assert liaison.post(reverse(f"projects:{name}", args=[pk]), {}).status_code == 403, name
    assert liaison.post(reverse("projects:file_upload", args=[pk]), {}).status_code == 403
    assert rows() == before
    assert Project.objects.get(pk=pk).name == "犇星二期"


def test_an_assigned_leader_reports_on_a_project_he_may_edit(ledger, leader):
    url = reverse("projects:report_create", args=[ledger["other"].pk])
    assert leader.get(url).status_code == 200


def test_the_annual_plan_page_writes_through_the_service(ledger, staff):
    project = ledger["own"]
    url = reverse("projects:project_plans", args=[project.pk])
    data = {
        "plans-TOTAL_FORMS": "1",
        "plans-INITIAL_FORMS": "0",
        "plans-0-year": "2026",
        "plans-0-amount": "1200",
    }
    assert staff.post(url, data).status_code == 302
    assert project.annual_plans.get().amount == Decimal(1200)
    event = AuditEvent.objects.filter(model="projects.annualplan").get()
    assert event.action == "update_plans" and event.actor_repr


@pytest.mark.parametrize("year", ["abc", "99999", "-1", "２０２６", "1e9"])
def test_a_bad_year_on_a_project_page_shows_this_year(ledger, leader, year):
    url = reverse("projects:project_detail", args=[ledger["own"].pk])
    response = leader.get(url, {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert "年度" in response.content.decode()


def test_a_good_year_on_a_project_page_is_kept(ledger, leader):
    url = reverse("projects:project_detail", args=[ledger["own"].pk])
    assert leader.get(url, {"year": "2024"}).context["year"] == 2024


@pytest.mark.parametrize(
    "query", [{"year": "abc"}, {"page": "abc"}, {"page": "-1"}, {"park": "x"}, {"sort": "?"}]
)
def test_bad_query_parameters_of_the_ledger_are_no_500(ledger, leader, query):
    assert leader.get(reverse("projects:project_list"), query).status_code == 200
    assert leader.get(reverse("projects:enterprise_list"), query).status_code == 200


def test_services_refuse_before_writing(ledger):
    from django.core.exceptions import PermissionDenied

    from tuijin.org.models import Unit
    from tuijin.projects import services

    before = rows()
    park = Unit.objects.get(name="青春化工园")
    with pytest.raises(PermissionDenied):
        services.create_project(user("jijian"), code="X-1", name="新项目", park=park, unit=park)
    with pytest.raises(PermissionDenied):
        services.update_project(user("chengdong"), ledger["own"], name="改名")
    with pytest.raises(PermissionDenied):
        services.set_annual_plan(user("qiye"), ledger["own"], 2026, Decimal(1))
    with pytest.raises(PermissionDenied):
        services.submit_report(
            user("qiye"), ledger["own"], period_start=dt.date(2026, 1, 5), narrative="x", progress=1
        )
    assert rows() == before


def test_the_approvals_page_changes_and_deletes_rows_through_the_service(ledger, staff):
    project = ledger["own"]
    kind = ApprovalType.objects.first()
    milestone = Milestone.objects.create(project=project, name="开工", due_date=dt.date(2026, 3, 1))
    url = reverse("projects:project_approvals", args=[project.pk])
    data = {
        "approvals-TOTAL_FORMS": "1",
        "approvals-INITIAL_FORMS": "0",
        "approvals-0-kind": str(kind.pk),
        "approvals-0-planned_date": "2026-02-01",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "1",
        "milestones-0-id": str(milestone.pk),
        "milestones-0-name": "开工",
        "milestones-0-due_date": "2026-03-01",
        "milestones-0-DELETE": "on",
    }
    assert staff.post(url, data).status_code == 302
    assert project.approvals.get().planned_date == dt.date(2026, 2, 1)
    assert not project.milestones.exists()
    actions = set(
        AuditEvent.objects.filter(model__in=["projects.approval", "projects.milestone"])
        .exclude(action="")
        .values_list("action", flat=True)
    )
    assert "update_approvals" in actions
