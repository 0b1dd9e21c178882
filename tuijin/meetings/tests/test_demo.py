"""The demo meetings (tuijin.meetings.demo): past weekend meetings, the 研讨会 and the planning
meeting with decisions that became 督办 items, the coming weekend scheduled, idempotent."""

import copy
import datetime as dt

import pytest
from django.utils import timezone

from conftest import load_org
from tuijin.core.models import AuditEvent
from tuijin.meetings.demo import BOTTLENECKS, SEMINAR_TITLE, demo_meetings, load_meetings
from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.projects.demo import load_projects
from tuijin.supervision.demo import load_supervision
from tuijin.supervision.models import ItemActivity, SupervisionItem


@pytest.fixture(scope="module")
def loaded(module_db):
    """The meetings demo, loaded once for this module's tests (each rolls back its own)."""
    units = load_org()
    load_projects(units)
    load_supervision(units)
    return load_meetings(units)


@pytest.fixture
def demo(loaded, org):
    return copy.deepcopy(loaded)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def row_counts() -> dict[str, int]:
    models = [Meeting, Meeting.invited_units.through, Attendance, Decision, SupervisionItem,
              ItemActivity, AuditEvent]  # fmt: skip
    return {model._meta.label: model.objects.count() for model in models}


def test_loading_twice_gives_the_same_counts(org, demo):
    before = row_counts()
    assert load_meetings(org) == demo
    assert row_counts() == before
    assert demo["meetings"] == 8
    assert demo["decisions"] == Decision.objects.count() >= 12


def test_meetings_of_each_required_kind(demo):
    today = timezone.localdate()
    held = demo_meetings(today)
    assert all(local_day(m.starts_at) < today for m in held)

    onsite = held.filter(kind=MeetingKind.ONSITE)
    assert onsite.count() == 3
    assert {m.park.name for m in onsite} == {"城东产业园", "青春化工园"}
    for meeting in onsite:
        assert local_day(meeting.starts_at).weekday() == 5  # Saturday
        assert meeting.chair.user.username == "leader"
        invited = set(meeting.invited_units.values_list("name", flat=True))
        assert meeting.park.name in invited and len(invited) >= 3
        statuses = set(meeting.attendances.values_list("status", flat=True))
        assert statuses == {Attendance.Status.PRESENT, Attendance.Status.LEAVE}
        recorded = meeting.decisions.filter(item__title__startswith=meeting.title)
        assert 1 <= recorded.count() <= 3
        assert meeting.agenda.startswith("1. 红黄灯项目")
        assert "会议议定:" in meeting.minutes

    dispatches = held.filter(kind=MeetingKind.DISPATCH)
    assert dispatches.count() == 3
    for meeting in dispatches:
        assert local_day(meeting.starts_at).weekday() == 6  # Sunday
        assert meeting.place == "云视频会议"
        invited = set(meeting.invited_units.values_list("name", flat=True))
        assert {"经济发展局", "住建局", "青春化工园", "城东产业园", "府南产业园"} <= invited
        assert meeting.decisions.count() == 1
        assert "上次调度以来的变化" in meeting.agenda
        later = SupervisionItem.objects.filter(assigned_on__gt=local_day(meeting.starts_at))
        assert later.exists()
        assert not any(item.title in meeting.agenda for item in later)

    seminar = held.get(kind=MeetingKind.INVESTMENT)
    assert seminar.title == SEMINAR_TITLE
    assert local_day(seminar.starts_at) == today - dt.timedelta(days=18)
    assert all(bottleneck in seminar.minutes for bottleneck in BOTTLENECKS)
    problems = set(seminar.decisions.values_list("problem__category__name", flat=True))
    assert {"土地指标", "能耗指标", "产业配套"} <= problems

    planning = held.get(kind=MeetingKind.PLANNING)
    assert planning.title == f"{local_day(planning.starts_at).year + 1}年项目谋划推进工作会议"
    assert seminar.starts_at < planning.starts_at < seminar.starts_at + dt.timedelta(days=7)
    assert local_day(planning.starts_at).weekday() < 5


def test_decisions_are_items_from_their_meeting_linked_both_ways(demo):
    decisions = Decision.objects.select_related("meeting", "item__assigner__user")
    assert decisions.count() == demo["decisions"]
    for decision in decisions:
        item = decision.item
        assert item is not None
        assert item.source == SupervisionItem.Source.MEETING
        assert item.decision == decision and decision in decision.meeting.decisions.all()
        if item.title.startswith(decision.meeting.title):  # recorded here, not adopted
            assert item.assigner.user.username == "leader"
            assert item.assigned_on == local_day(decision.meeting.starts_at)
            assert item.requirement in decision.text  # the text, or what it asks
            times = list(item.activities.order_by("pk").values_list("at", flat=True))
            assert times == sorted(times)
            assert times[0] > decision.meeting.starts_at
            assert times[-1] <= timezone.now()
    leads = set(decisions.values_list("item__lead_unit__name", flat=True))
    assert {"自然资源和规划分局", "住建局", "经济发展局", "招商局", "青春化工园",
            "城东产业园"} <= leads  # fmt: skip
    modes = set(decisions.values_list("item__deadline_mode", flat=True))
    assert {"calendar", "working"} <= modes
    states = set(decisions.values_list("item__state", flat=True))
    assert {"closed", "in_progress"} <= states
    # The supervision demo's "周六现场办公会议定" items are that meeting's decisions.
    adopted = SupervisionItem.objects.get(title="文帝学校:施工便道硬化及围挡整改").decision
    assert adopted.meeting.kind == MeetingKind.ONSITE
    assert adopted.meeting.park.name == "城东产业园"
    assert local_day(adopted.meeting.starts_at) == adopted.item.assigned_on


def test_the_coming_weekend_is_scheduled(demo):
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7)
    sunday = today + dt.timedelta(days=(6 - today.weekday()) % 7)
    scheduled = Meeting.objects.filter(slot__isnull=False)
    onsite = [m for m in scheduled.filter(kind=MeetingKind.ONSITE)
              if local_day(m.starts_at) == saturday]  # fmt: skip
    dispatch = [m for m in scheduled.filter(kind=MeetingKind.DISPATCH)
                if local_day(m.starts_at) == sunday]  # fmt: skip
    assert len(onsite) == 1 and len(dispatch) == 1
    assert "现场办公会" in onsite[0].title and "云视频调度会" in dispatch[0].title
    assert demo["scheduled"] == scheduled.filter(starts_at__date__gte=today).count() >= 2


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC),  # a Saturday morning in Shanghai
        dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC),  # Sunday evening, before the dispatch
        dt.datetime(2027, 1, 4, 1, tzinfo=dt.UTC),  # a Monday, just after New Year
    ],
)
def test_the_same_story_whenever_loaded_even_with_a_frozen_clock(org, time_machine, moment):
    time_machine.move_to(moment, tick=False)
    load_projects(org)
    load_supervision(org)
    counts = load_meetings(org)
    assert counts["meetings"] == 8
    today = timezone.localdate()
    assert all(local_day(m.starts_at) < today for m in demo_meetings(today))
    assert not ItemActivity.objects.filter(at__gt=timezone.now()).exists()
    planning = Meeting.objects.get(kind=MeetingKind.PLANNING)
    assert planning.title.startswith(str(local_day(planning.starts_at).year + 1))
