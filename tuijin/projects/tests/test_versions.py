"""No lost updates in the ledger: two people editing the same project or the same row of its
lists; the second is told, keeps their input, and nothing of the first is reverted."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.projects import services
from tuijin.projects.models import AnnualPlan, Approval, ApprovalType, Milestone, Project
from tuijin.projects.tests.factories import make_project, plan
from tuijin.supervision.tests.factories import person

CONFLICT = "刚刚已被他人修改,您的修改未保存"


def form_data(form) -> dict:
    """What a browser posts back for `form` as rendered (its current values)."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = bound.field.widget.format_value(value) or ""
    return data


def formsets_data(response) -> dict:
    data = {}
    for formset in response.context["formsets"]:
        data |= form_data(formset.management_form)
        for form in formset.forms:
            data |= form_data(form)
    return data


@pytest.fixture
def project(org):
    return make_project("犇星二期", total_investment=Decimal(1000))


def updates(project) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            model="projects.project", object_id=str(project.pk), action="update_project"
        )
    )


def test_the_second_editor_of_a_project_gets_a_conflict_with_their_input_kept(
    project, staff, unit_head
):
    url = reverse("projects:project_edit", args=[project.pk])
    seen_by_a = form_data(staff.get(url).context["form"])
    seen_by_b = form_data(unit_head.get(url).context["form"])

    assert staff.post(url, seen_by_a | {"name": "犇星二期(A改)"}).status_code == 302
    response = unit_head.post(url, seen_by_b | {"name": "犇星二期(B改)", "location": "纬二路"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "该项目" + CONFLICT in page
    assert "项目名称“犇星二期(A改)”" in page  # what to check: the saved value
    form = response.context["form"]
    assert (form["name"].value(), form["location"].value()) == ("犇星二期(B改)", "纬二路")
    project.refresh_from_db()
    assert (project.name, project.location) == ("犇星二期(A改)", "")
    assert len(updates(project)) == 1

    # B has seen the conflict; the page now carries the current version: saving again is B's
    # informed choice, and it goes through.
    again = unit_head.post(url, form_data(form))
    assert again.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.location) == ("犇星二期(B改)", "纬二路")


def test_a_write_without_a_form_also_makes_open_forms_stale(project, staff):
    # The Excel import and intake change projects through the same service, without a version.
    url = reverse("projects:project_edit", args=[project.pk])
    seen = form_data(staff.get(url).context["form"])
    services.update_project(person("leader").user, project, content="由导入更新")
    response = staff.post(url, seen | {"name": "改名"})
    assert response.status_code == 409
    project.refresh_from_db()
    assert (project.name, project.content) == ("犇星二期", "由导入更新")


def test_an_edit_form_without_its_version_is_refused(project, staff):
    url = reverse("projects:project_edit", args=[project.pk])
    data = form_data(staff.get(url).context["form"])
    del data["version"]
    assert staff.post(url, data | {"name": "改名"}).status_code == 200  # the form, not saved
    project.refresh_from_db()
    assert project.name == "犇星二期"


def _plan(project):
    return plan(project, 100, year=2026)


def _approval(project):
    ApprovalType.ensure_defaults()
    kind = ApprovalType.objects.get(name="环评")
    return Approval.objects.create(project=project, kind=kind, planned_date=dt.date(2026, 9, 1))


def _milestone(project):
    return Milestone.objects.create(project=project, name="主体封顶", due_date=dt.date(2026, 11, 1))


@pytest.mark.parametrize(
    ("page", "row", "field", "a_value", "b_value", "label"),
    [
        ("project_plans", _plan, "plans-0-amount", "200", "300", "2026年度计划"),
        ("project_approvals", _approval, "approvals-0-note", "A备注", "B备注", "前期手续“环评”"),
        ("project_approvals", _milestone, "milestones-0-name", "A节点", "B节点", "节点“A节点”"),
    ],
    ids=["annual plan", "approval", "milestone"],
)
def test_the_second_editor_of_a_row_gets_a_conflict(
    project, staff, unit_head, page, row, field, a_value, b_value, label
):
    record = row(project)
    url = reverse(f"projects:{page}", args=[project.pk])
    seen_by_a, seen_by_b = formsets_data(staff.get(url)), formsets_data(unit_head.get(url))

    assert staff.post(url, seen_by_a | {field: a_value}).status_code == 302
    response = unit_head.post(url, seen_by_b | {field: b_value})

    assert response.status_code == 409
    assert label + CONFLICT in response.content.decode()
    assert formsets_data(response)[field] == b_value  # B's input kept
    record.refresh_from_db()
    name = field.rsplit("-", 1)[1]
    assert str(getattr(record, name)) in {a_value, f"{a_value}.00"}


def test_two_users_adding_the_same_plan_year_get_a_form_error(project, staff, unit_head):
    url = reverse("projects:project_plans", args=[project.pk])
    seen_by_a, seen_by_b = formsets_data(staff.get(url)), formsets_data(unit_head.get(url))
    new_row = {"plans-0-year": "2027", "plans-0-amount": "500"}

    assert staff.post(url, seen_by_a | new_row).status_code == 302
    response = unit_head.post(url, seen_by_b | new_row | {"plans-0-amount": "600"})

    assert response.status_code in {200, 409}  # a form error, not a 500
    assert "2027年度计划已存在" in response.content.decode()
    assert formsets_data(response)["plans-0-amount"] == "600"
    assert AnnualPlan.objects.get(project=project, year=2027).amount == 500


def test_the_service_refuses_a_duplicate_year_or_code_as_a_validation_error(project):
    user = person("jingfa").user
    _plan(project)
    with pytest.raises(ValidationError, match="2026年度计划已存在"):
        services.update_plans(
            user, project, plans=[services.RowChange(None, {"year": 2026, "amount": 5})]
        )
    other = make_project("另一个项目")
    with pytest.raises(ValidationError, match="已被其他项目使用"):
        services.update_project(user, other, code=project.code)
    assert Project.objects.filter(code=project.code).count() == 1


def test_a_duplicate_enterprise_is_a_validation_error(org):
    from tuijin.org.models import Unit

    user, unit = person("jingfa").user, Unit.objects.get(name="经济发展局")
    services.create_enterprise(user, name="犇星新能源", unit=unit, credit_code="91421300MA49X3KQ1L")
    with pytest.raises(ValidationError, match="企业“犇星新能源”已登记"):
        services.create_enterprise(user, name="犇星新能源", unit=unit)
    with pytest.raises(ValidationError, match="已被其他企业使用"):
        services.create_enterprise(user, name="另一家", unit=unit, credit_code="91421300MA49X3KQ1L")


def test_a_report_for_a_period_already_reported_is_a_validation_error(project):
    user = person("jingfa").user
    values = {"period_start": dt.date(2026, 11, 1), "narrative": "推进中", "progress": 50}
    services.submit_report(user, project, **values)
    with pytest.raises(ValidationError, match="已经填报过"):
        services.submit_report(user, project, **values)
