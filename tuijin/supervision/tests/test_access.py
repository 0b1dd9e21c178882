"""Who may change problems and items: the write scope (``editable_by``), the per-verb rules,
refusals that change nothing, child records scoped through their parent, bad parameters."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.notify.models import Notification, Rule
from tuijin.org.models import Person
from tuijin.projects.tests.factories import make_enterprise, make_project
from tuijin.supervision import services
from tuijin.supervision.models import (
    EvidencePhoto,
    ExtensionRequest,
    Feedback,
    FeedbackAttachment,
    ItemActivity,
    Problem,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.permissions import can_act_on_problem
from tuijin.supervision.tests.factories import category, make_item


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def enterprise_problem(org):
    """A problem of the liaison's own enterprise (owned by 经济发展局), which they can see."""
    enterprise = make_enterprise(liaison=Person.objects.get(user__username="qiye"))
    return services.raise_problem(
        user("jingfa_staff"),
        enterprise=enterprise,
        category=category("用工"),
        description="技工招不到",
    )


def action(problem, verb="resolve"):
    return reverse("supervision:problem_action", args=[problem.pk, verb])


@pytest.mark.parametrize("verb", ["resolve", "escalate", "report_up"])
def test_liaison_cannot_resolve_a_problem(enterprise_problem, liaison, verb):
    problem = enterprise_problem
    assert liaison.get(problem.get_absolute_url()).status_code == 200  # they may read it
    events = AuditEvent.objects.count()
    response = liaison.post(action(problem, verb), {"version": 1, "note": "企业自己说解决了"})
    assert response.status_code in (403, 404)
    problem.refresh_from_db()
    assert (problem.status, problem.level, problem.version) == ("open", "unit", 1)
    assert problem.resolution == ""
    assert AuditEvent.objects.count() == events


def test_the_liaison_sees_no_action_buttons_on_their_problem(enterprise_problem, liaison):
    html = liaison.get(enterprise_problem.get_absolute_url()).content.decode()
    assert action(enterprise_problem) not in html


def test_the_service_refuses_the_liaison_too(enterprise_problem):
    with pytest.raises(PermissionDenied):
        services.resolve_problem(user("qiye"), enterprise_problem.pk, 1, "自己解决")
    enterprise_problem.refresh_from_db()
    assert enterprise_problem.status == "open"


def test_the_inspector_reads_a_problem_but_may_not_act(enterprise_problem, inspector):
    events = AuditEvent.objects.count()
    assert inspector.get(enterprise_problem.get_absolute_url()).status_code == 200
    assert inspector.post(action(enterprise_problem), {"note": "x"}).status_code == 403
    assert AuditEvent.objects.count() == events


def test_another_unit_gets_404_and_changes_nothing(enterprise_problem, outsider):
    events = AuditEvent.objects.count()
    assert outsider.post(action(enterprise_problem), {"note": "x"}).status_code == 404
    enterprise_problem.refresh_from_db()
    assert enterprise_problem.status == "open" and AuditEvent.objects.count() == events


@pytest.mark.parametrize("client_name", ["staff", "unit_head", "supervisor", "leader"])
def test_the_unit_side_and_the_zone_may_resolve(enterprise_problem, client_name, request):
    client = request.getfixturevalue(client_name)
    response = client.post(action(enterprise_problem), {"version": 1, "note": "人社局专场招聘"})
    assert response.status_code == 302
    enterprise_problem.refresh_from_db()
    assert enterprise_problem.status == "resolved"


def test_problem_write_scope_agrees_with_the_rule(enterprise_problem, org):
    for username in ["jingfa", "jingfa_staff", "duban", "leader", "qiye", "jijian", "chengdong"]:
        someone = user(username)
        editable = Problem.objects.editable_by(someone).filter(pk=enterprise_problem.pk).exists()
        visible = Problem.objects.visible_to(someone).filter(pk=enterprise_problem.pk).exists()
        assert editable == can_act_on_problem(someone, enterprise_problem), username
        assert not editable or visible, username


def test_item_write_scope(org):
    item = make_item()
    editable = {
        name: SupervisionItem.objects.editable_by(user(name)).filter(pk=item.pk).exists()
        for name in ["jingfa", "jingfa_staff", "duban", "leader", "qiye", "jijian", "chengdong"]
    }
    assert editable == {
        "jingfa": True,
        "jingfa_staff": True,
        "duban": True,
        "leader": True,
        "qiye": False,
        "jijian": False,
        "chengdong": False,
    }


def test_a_co_unit_sees_an_item_but_may_not_act_on_it(org):
    item = make_item(lead="城东产业园", co=["经济发展局"])
    staff = user("jingfa_staff")
    assert SupervisionItem.objects.visible_to(staff).filter(pk=item.pk).exists()
    assert not SupervisionItem.objects.editable_by(staff).filter(pk=item.pk).exists()


def test_child_records_are_scoped_through_their_item(org):
    item = make_item()
    services.accept(user("jingfa_staff"), item.pk, 1)
    feedback = services.report(user("jingfa_staff"), item.pk, 2, text="已拆除")
    services.verify(user("duban"), item.pk, 3, result="true", notes="属实")
    for model in (Feedback, Verification, ItemActivity):
        assert model.objects.visible_to(user("jingfa")).exists(), model
        assert model.objects.editable_by(user("duban")).exists(), model
        assert not model.objects.visible_to(user("chengdong")).exists(), model
        assert not model.objects.editable_by(user("jijian")).exists(), model
    assert FeedbackAttachment.objects.visible_to(user("chengdong")).count() == 0
    assert EvidencePhoto.objects.visible_to(user("chengdong")).count() == 0
    assert ExtensionRequest.objects.visible_to(user("chengdong")).count() == 0
    assert feedback in Feedback.objects.visible_to(user("jingfa_staff"))


def test_the_history_of_child_records_answers_200_or_404(org, leader, outsider):
    item = make_item()
    services.accept(user("jingfa_staff"), item.pk, 1)
    feedback = services.report(user("jingfa_staff"), item.pk, 2, text="已拆除")
    url = reverse("history", args=["supervision.feedback", feedback.pk])
    assert leader.get(url).status_code == 200
    assert outsider.get(url).status_code == 404


# --- 延期申请待审批 ---------------------------------------------------------------------------


def test_an_extension_request_reaches_the_assigner_and_the_supervisors(
    org, django_capture_on_commit_callbacks
):
    Rule.ensure_defaults()
    item = make_item(assigner=Person.objects.get(user__username="leader"))
    with django_capture_on_commit_callbacks(execute=True):
        services.request_extension(
            user("jingfa_staff"), item.pk, 1, new_deadline=dt.date(2026, 11, 30), reason="雨天"
        )
    notes = Notification.objects.filter(event="extension_requested")
    assert {n.recipient.username for n in notes} == {"leader", "duban"}
    note = notes.get(recipient__username="leader")
    assert note.title == "延期申请待审批:两处违章建筑拆除"
    assert "申请延至2026年11月30日:雨天" in note.body and note.url == item.get_absolute_url()


def test_the_default_rules_include_the_extension_request(org):
    Rule.ensure_defaults()
    rules = Rule.objects.filter(event="extension_requested")
    assert {r.audience for r in rules} == {"assigner", "supervisors"}


# --- Query parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?status=bogus", "?level=x", "?category=abc", "?category=-3&page=-1"],
)
def test_bad_problem_list_parameters_give_the_page(org, staff, query):
    response = staff.get(reverse("supervision:problem_list") + query)
    assert response.status_code == 200


def test_a_bad_problem_filter_is_dropped_with_a_message(org, staff):
    make_project()
    response = staff.get(reverse("supervision:problem_list") + "?level=nonsense")
    assert "部分筛选条件无法识别" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?page=abc", "?unit=abc", "?leader=x", "?light=purple", "?view=nope", "?page=-1"]
)
def test_bad_board_parameters_give_the_board(org, supervisor, query):
    assert supervisor.get(reverse("supervision:item_board") + query).status_code == 200


def test_a_bad_board_filter_says_so(org, supervisor):
    response = supervisor.get(reverse("supervision:item_board") + "?unit=abc")
    assert "筛选条件无法识别" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_a_bad_project_on_the_new_item_page_is_ignored(org, supervisor, value):
    response = supervisor.get(reverse("supervision:item_create") + f"?project={value}")
    assert response.status_code == 200


def test_an_unknown_project_on_the_new_item_page_is_404(org, supervisor):
    url = reverse("supervision:item_create") + "?project=99999999999999999999"
    assert supervisor.get(url).status_code == 404


@pytest.mark.parametrize("version", ["abc", "", None], ids=["letters", "empty", "missing"])
def test_a_bad_version_on_a_problem_action_is_refused_not_skipped(
    enterprise_problem, staff, version
):
    data = {"note": "已解决"} | ({} if version is None else {"version": version})
    response = staff.post(action(enterprise_problem), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "页面已过期,未执行" in html and ">已解决</textarea>" in html  # the note kept
    enterprise_problem.refresh_from_db()
    assert (enterprise_problem.status, enterprise_problem.version) == ("open", 1)
