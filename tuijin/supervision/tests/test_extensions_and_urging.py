"""L11: extension decisions by the assigner or the 督查室 (with a date they may change and a
reason), the item page's actions in the usual order, urging several items from the board in one
POST, scheduling an on-site verification (date, time, people; on the meetings calendar), and
the project shown without a link to a reader who may not open it."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tuijin.core.models import AuditEvent
from tuijin.org import services as org_services
from tuijin.org.models import Person, UnitKind
from tuijin.projects.tests.factories import make_project
from tuijin.supervision import services
from tuijin.supervision.models import ExtensionRequest, ItemState, SupervisionItem
from tuijin.supervision.tests.factories import category, make_item, person

NOV_17 = dt.datetime(2026, 11, 17, 2, tzinfo=dt.UTC)  # 10:00 in Shanghai
BOARD = reverse("supervision:item_board")
URGE = reverse("supervision:item_urge")


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def pending(org, time_machine):
    """An item the zone leader set for 经济发展局 (deadline Nov 19); the unit asks for Nov 25."""
    time_machine.move_to(NOV_17, tick=False)
    item = make_item(assigner=person("leader"), state="in_progress")
    extension = services.request_extension(
        user("jingfa"), item.pk, None, new_deadline=dt.date(2026, 11, 25), reason="等停电窗口"
    )
    return item, extension


def decide(client, item, extension, **fields):
    url = reverse("supervision:item_action", args=[item.pk, "decide_extension"])
    item.refresh_from_db()
    data = {
        "decide_extension-version": item.version,
        "decide_extension-extension": extension.pk,
        "decide_extension-approve": "1",
        "decide_extension-new_deadline": "2026-11-25",
        "decide_extension-note": "",
    }
    data.update({f"decide_extension-{k}": v for k, v in fields.items()})
    return client.post(url, data)


# --- Who decides an extension --------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("leader", 302),  # the assigner
        ("duban", 302),  # 督查室, not the assigner
        ("admin", 302),
        ("jingfa_staff", 403),  # the lead unit's staff: they ask, they do not decide
        ("jingfa", 403),  # the lead unit's head neither
        ("jijian", 403),  # the inspector reads only
        ("qiye", 404),  # the enterprise liaison does not see the item at all
        ("chengdong", 404),  # another unit
    ],
)
def test_the_assigner_or_a_supervisor_decides(pending, username, status):
    from conftest import login_as

    item, extension = pending
    response = decide(login_as(username), item, extension)
    assert response.status_code == status
    item.refresh_from_db()
    extension.refresh_from_db()
    if status == 302:
        assert item.deadline == dt.date(2026, 11, 25)
        assert extension.status == ExtensionRequest.Status.APPROVED
    else:
        assert item.deadline == dt.date(2026, 11, 19)
        assert extension.status == ExtensionRequest.Status.PENDING


def test_a_zone_leader_who_did_not_set_it_does_not_decide(org):
    item = make_item(state="in_progress")  # set by 督查室
    extension = services.request_extension(
        user("jingfa"), item.pk, None, new_deadline=dt.date(2026, 11, 25), reason="x"
    )
    with pytest.raises(PermissionDenied):
        services.decide_extension(
            user("leader"), item.pk, None, extension_pk=extension.pk, approve=True
        )


def test_the_supervisor_approves_another_date_with_a_reason(pending, supervisor):
    item, extension = pending
    response = decide(supervisor, item, extension, new_deadline="2026-11-23", note="三天足够")
    assert response.status_code == 302
    item.refresh_from_db()
    extension.refresh_from_db()
    assert (item.original_deadline, item.deadline) == (dt.date(2026, 11, 19), dt.date(2026, 11, 23))
    assert extension.requested_deadline == dt.date(2026, 11, 25)  # what was asked stays
    assert extension.approved_deadline == dt.date(2026, 11, 23)
    assert extension.decided_by == person("duban")
    line = item.activities.filter(verb="decide_extension").get().text
    assert line == "同意延至2026年11月23日(申请延至2026年11月25日)。三天足够"
    assert AuditEvent.objects.filter(
        model="supervision.supervisionitem", action="decide_extension"
    ).exists()
    html = supervisor.get(item.get_absolute_url()).content.decode()
    assert "批准延至2026年11月23日" in html and "原定期限" in html


def test_another_date_without_a_reason_is_refused_with_the_input_kept(pending, supervisor):
    item, extension = pending
    response = decide(supervisor, item, extension, new_deadline="2026-11-23")
    assert response.status_code == 409
    html = response.content.decode()
    assert "批准的日期与申请的不同,须写明理由" in html and 'value="2026-11-23"' in html
    item.refresh_from_db()
    assert item.deadline == dt.date(2026, 11, 19)


def test_a_date_not_after_the_deadline_is_refused(pending, supervisor):
    item, extension = pending
    response = decide(supervisor, item, extension, new_deadline="2026-11-18", note="提前")
    assert response.status_code == 409
    assert "批准延至的日期应晚于当前期限(2026年11月19日)" in response.content.decode()


def test_refusing_needs_a_reason_named_in_the_field(pending, supervisor):
    item, extension = pending
    response = decide(supervisor, item, extension, approve="0")
    assert response.status_code == 400
    assert "理由:不同意延期须写明理由。" in response.content.decode()
    response = decide(supervisor, item, extension, approve="0", note="理由不充分")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.deadline == dt.date(2026, 11, 19)


def test_decide_shows_only_while_a_request_is_pending(org, supervisor, time_machine):
    time_machine.move_to(NOV_17, tick=False)
    item = make_item(state="in_progress")
    response = supervisor.get(item.get_absolute_url())
    assert "decide_extension" not in response.context["forms"]
    assert 'id="form-decide_extension"' not in response.content.decode()
    services.request_extension(
        user("jingfa"), item.pk, None, new_deadline=dt.date(2026, 11, 26), reason="x"
    )
    response = supervisor.get(item.get_absolute_url())
    forms = list(response.context["forms"])
    assert forms[0] == "decide_extension"  # waiting for its decider: first, open
    html = response.content.decode()
    assert 'name="decide_extension-new_deadline" value="2026-11-26"' in html
    assert 'id="pending-extension"' in html
    # The unit does not see 申请延期 while one waits.
    unit = get_unit_client()
    assert "request_extension" not in unit.get(item.get_absolute_url()).context["forms"]


def get_unit_client():
    from conftest import login_as

    return login_as("jingfa")


# --- The item page's actions in the usual order --------------------------------------------


def test_urge_and_the_next_step_first_cancel_last_behind_a_confirmation(org, supervisor):
    item = make_item(state="assigned")
    response = supervisor.get(item.get_absolute_url())
    verbs = list(response.context["forms"])
    assert verbs[0] == "urge" and verbs[-1] == "cancel"
    html = response.content.decode()
    assert html.index('id="open-urge"') < html.index('id="open-cancel"')
    tag = re.search(r'<details[^>]*id="cancel-box"[^>]*>', html).group(0)
    assert " open" not in tag  # folded: opening it is the first step of the confirmation
    assert 'id="submit-cancel">确认撤销</button>' in html
    reported = make_item(state="reported", title="已反馈事项")
    verbs = list(supervisor.get(reported.get_absolute_url()).context["forms"])
    assert verbs[:2] == ["start_verification", "verify"] and verbs[-1] == "cancel"


# --- Urging several items from the board ---------------------------------------------------


@pytest.fixture
def other_zone_item(org):
    """An item of another zone: outside 督查室's scope."""
    admin = Person.objects.get(user__username="admin")
    zone = org_services.create_unit(admin.user, name="襄阳高新区", kind=UnitKind.ZONE)
    unit = org_services.create_unit(
        admin.user, name="襄阳经发局", kind=UnitKind.DEPARTMENT, parent=zone
    )
    item = make_item(title="别处的事项", assigner=admin)
    SupervisionItem.objects.filter(pk=item.pk).update(lead_unit=unit)
    return item


def test_urging_several_items_in_one_post(org, supervisor, other_zone_item):
    a = make_item(title="甲事项", state="assigned")
    b = make_item(title="乙事项", state="in_progress", lead="城东产业园")
    reported = make_item(title="已反馈事项", state="reported")
    closed = make_item(title="已办结事项", state="closed")
    events = AuditEvent.objects.filter(action="urge").count()
    response = supervisor.post(
        URGE,
        {
            "items": [a.pk, b.pk, reported.pk, closed.pk, other_zone_item.pk],
            "note": "请今日反馈",
            "back": "view=overdue&unit=abc",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{BOARD}?view=overdue&unit=abc"
    text = [str(m) for m in response.context["messages"]]
    assert "已催办2项。" in text
    skipped = next(t for t in text if t.startswith("2项未催办"))
    assert "“已反馈事项”" in skipped and "“已办结事项”" in skipped and "不能催办" in skipped
    assert "另有1项不在您的范围内,未催办。" in text
    assert "别处的事项" not in " ".join(text)  # its title is not revealed
    counts = dict(SupervisionItem.objects.values_list("title", "urge_count"))
    assert counts == {"甲事项": 1, "乙事项": 1, "已反馈事项": 0, "已办结事项": 0, "别处的事项": 0}
    assert AuditEvent.objects.filter(action="urge").count() == events + 2  # one per item
    assert a.activities.get(verb="urge").text == "请今日反馈"


def test_the_service_urges_only_what_the_user_sees(org, other_zone_item):
    ours = make_item(title="本区事项")
    urged, skipped = services.urge_items(user("duban"), [ours.pk, other_zone_item.pk])
    assert [i.pk for i in urged] == [ours.pk] and skipped == []
    other_zone_item.refresh_from_db()
    assert other_zone_item.urge_count == 0


@pytest.mark.parametrize("username", ["jingfa", "jingfa_staff", "jijian", "qiye", "chengdong"])
def test_who_may_not_urge_gets_403_and_nothing_changes(org, username):
    from conftest import login_as

    item = make_item(lead="城东产业园" if username == "chengdong" else "经济发展局")
    assert login_as(username).post(URGE, {"items": [item.pk]}).status_code == 403
    item.refresh_from_db()
    assert item.urge_count == 0


def test_nothing_ticked_or_bad_ids_is_a_message_not_an_error(org, supervisor):
    response = supervisor.post(URGE, {"back": ""}, follow=True)
    assert "请先勾选要催办的事项。" in [str(m) for m in response.context["messages"]]
    response = supervisor.post(URGE, {"items": ["abc", "99999999999999999999"]}, follow=True)
    assert "所选事项无法识别,请重新勾选。" in [str(m) for m in response.context["messages"]]
    assert supervisor.get(URGE).status_code == 405


def test_the_board_offers_checkboxes_only_to_who_may_urge_and_only_on_urgeable_rows(
    org, supervisor, staff
):
    urgeable = make_item(title="可催办", state="in_progress")
    reported = make_item(title="已反馈", state="reported")
    html = supervisor.get(BOARD).content.decode()
    assert 'id="urge-form"' in html
    assert f'name="items" value="{urgeable.pk}"' in html
    assert f'name="items" value="{reported.pk}"' not in html
    assert 'id="urge-form"' not in staff.get(BOARD).content.decode()


# --- Scheduling an on-site verification ----------------------------------------------------


def test_scheduling_a_verification_takes_date_time_and_people_and_shows_on_the_calendar(
    org, supervisor, leader, time_machine
):
    time_machine.move_to(NOV_17, tick=False)
    item = make_item(state="reported")
    url = reverse("supervision:item_action", args=[item.pk, "start_verification"])
    form = supervisor.get(item.get_absolute_url()).context["forms"]["start_verification"]
    offered = set(form.fields["people"].queryset.values_list("user__username", flat=True))
    assert {"duban", "leader", "jingfa", "jingfa_staff"} <= offered
    assert "chengdong" not in offered  # another unit's people are not offered
    people = [person("duban").pk, person("jingfa").pk]
    data = {
        "start_verification-version": item.version,
        "start_verification-day": "2026-11-19",
        "start_verification-time": "09:30",
        "start_verification-people": people,
        "start_verification-note": "核对支付凭证",
    }
    assert supervisor.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.VERIFYING
    assert f"{timezone.localtime(item.verification_at):%Y-%m-%d %H:%M}" == "2026-11-19 09:30"
    assert set(item.verifiers.values_list("pk", flat=True)) == set(people)
    assert item.activities.get(verb="start_verification").text.startswith(
        "2026年11月19日 09:30现场核查:"
    )
    calendar = leader.get(reverse("meetings:calendar"), {"month": "2026-11"})
    html = calendar.content.decode()
    assert f'data-verification="{item.pk}"' in html and "09:30" in html
    assert "现场核查1项" in html
    # Not shown to who does not see the item.
    from conftest import login_as

    other = login_as("chengdong").get(reverse("meetings:calendar"), {"month": "2026-11"})
    assert f'data-verification="{item.pk}"' not in other.content.decode()


def test_a_verification_day_in_the_past_or_without_people_is_a_field_error(
    org, supervisor, time_machine
):
    time_machine.move_to(NOV_17, tick=False)
    item = make_item(state="reported")
    url = reverse("supervision:item_action", args=[item.pk, "start_verification"])
    response = supervisor.post(
        url,
        {
            "start_verification-version": item.version,
            "start_verification-day": "2026-11-16",
            "start_verification-time": "09:30",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "核查日期:核查日期不能早于今天。" in html and "核查人员:" in html
    item.refresh_from_db()
    assert item.state == ItemState.REPORTED


# --- The project, linked only for who may open it ------------------------------------------


def test_the_project_is_named_without_a_link_for_who_cannot_open_it(org, staff, leader):
    project = make_project("自规项目", unit="自然资源和规划分局")
    problem = services.raise_problem(
        user("ziran"), category=category(), description="违建未拆", project=project
    )
    item = make_item(lead="自然资源和规划分局", co=["经济发展局"], project=project, problem=problem)
    link = f'href="{project.get_absolute_url()}"'
    assert staff.get(project.get_absolute_url()).status_code == 404
    assert staff.get(problem.get_absolute_url()).status_code == 404
    html = staff.get(item.get_absolute_url()).content.decode()
    assert "自规项目" in html and link not in html
    assert "违建未拆" in html and f'href="{problem.get_absolute_url()}"' not in html
    assert (
        f'href="{problem.get_absolute_url()}"'
        in leader.get(item.get_absolute_url()).content.decode()
    )
    board = staff.get(BOARD).content.decode()
    assert "自规项目" in board and link not in board
    assert link in leader.get(item.get_absolute_url()).content.decode()
    assert link in leader.get(BOARD).content.decode()


def test_an_extension_id_of_another_item_is_a_message_not_a_500(pending, supervisor):
    _item, extension = pending
    other = make_item(title="另一事项", state="in_progress")
    response = decide(supervisor, other, extension)
    assert response.status_code == 409
    assert "没有找到该延期申请" in response.content.decode()
    extension.refresh_from_db()
    assert extension.status == ExtensionRequest.Status.PENDING
