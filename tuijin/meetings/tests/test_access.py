"""Meetings after C8: who may change them (editable_by, can_manage_meetings), the services
that write them, problems settled at a meeting linked by a field, the calendar's parameters."""

import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.meetings import services
from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.meetings.permissions import can_manage_meetings
from tuijin.meetings.tests.test_services import user
from tuijin.meetings.tests.test_views import at, meeting_problem, onsite, unit, url
from tuijin.org.models import Person
from tuijin.supervision.models import Problem

pytestmark = pytest.mark.django_db


def history(model: str, pk: int) -> str:
    return reverse("history", args=[model, pk])


def test_only_leaders_and_supervisors_manage_meetings(org):
    assert can_manage_meetings(user("leader")) and can_manage_meetings(user("duban"))
    for name in ("jingfa", "jingfa_staff", "chengdong", "jijian", "qiye"):
        assert not can_manage_meetings(user(name)), name


def test_unit_staff_see_an_invited_meeting_but_may_not_change_it(org):
    meeting = onsite(invited=("经济发展局",))
    assert Meeting.objects.visible_to(user("jingfa_staff")).filter(pk=meeting.pk).exists()
    assert not Meeting.objects.editable_by(user("jingfa_staff")).exists()
    assert Meeting.objects.editable_by(user("leader")).filter(pk=meeting.pk).exists()


def test_the_history_of_attendance_and_decisions_follows_their_meeting(org, leader, outsider):
    meeting = onsite(park="青春化工园", invited=("经济发展局",))
    services.record_attendance(
        user("leader"), meeting, {Person.objects.get(user__username="jingfa").pk: "present"}
    )
    attendance = Attendance.objects.get()
    decision = Decision.objects.create(meeting=meeting, number=1, text="清表")
    for model, pk in [("meetings.attendance", attendance.pk), ("meetings.decision", decision.pk)]:
        assert leader.get(history(model, pk)).status_code == 200, model
        assert outsider.get(history(model, pk)).status_code == 404, model


def test_scheduling_is_a_service_that_refuses_unit_staff_and_writes_nothing(org):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.schedule_meeting(
            user("jingfa_staff"),
            kind=MeetingKind.OTHER,
            title="专题会",
            starts_at=at(dt.date(2026, 11, 30)),
            place="三楼",
        )
    assert not Meeting.objects.exists() and AuditEvent.objects.count() == before
    meeting = services.schedule_meeting(
        user("duban"),
        kind=MeetingKind.ONSITE,
        title="现场办公会",
        starts_at=at(dt.date(2026, 11, 28)),
        park=unit("城东产业园"),
        invited_units=[unit("住建局")],
    )
    assert meeting.place == "城东产业园"
    assert list(meeting.invited_units.values_list("name", flat=True)) == ["住建局"]
    assert AuditEvent.objects.filter(action="create_meeting").exists()


def test_attendance_is_a_service_that_refuses_unit_staff(org):
    meeting = onsite()
    jingfa = Person.objects.get(user__username="jingfa")
    with pytest.raises(PermissionDenied):
        services.record_attendance(user("jingfa_staff"), meeting, {jingfa.pk: "present"})
    assert not Attendance.objects.exists()
    assert services.record_attendance(user("leader"), meeting, {jingfa.pk: "leave"}) == 1
    assert Attendance.objects.get().status == Attendance.Status.LEAVE


def test_renaming_a_meeting_keeps_the_problems_it_settled(leader):
    meeting = onsite(park="城东产业园")
    problem = meeting_problem("城东产业园", description="能耗指标不足")
    field = f"resolve-{problem.pk}-resolution"
    leader.post(url("problem_resolve", meeting, problem.pk), {field: "协调省里调剂指标"})
    assert list(meeting.settled_problems.all()) == [problem]
    Meeting.objects.filter(pk=meeting.pk).update(title="11月28日现场办公会(改期)")
    html = leader.get(meeting.get_absolute_url()).content.decode()
    assert "能耗指标不足" in html  # still listed as settled here, though the title changed


def test_the_migration_links_problems_settled_before_the_link(org):
    from importlib import import_module

    migration = import_module("tuijin.meetings.migrations.0002_meeting_settled_problems")
    meeting = onsite(park="城东产业园", title="城东现场办公会")
    settled = meeting_problem("城东产业园", description="能耗指标不足")
    Problem.objects.filter(pk=settled.pk).update(
        status=Problem.Status.RESOLVED, resolution="城东现场办公会研究解决:协调调剂"
    )
    meeting_problem("城东产业园", description="另一个问题")
    migration.link_settled_problems(django_apps, None)
    assert list(meeting.settled_problems.all()) == [settled]


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "abc", "2026-11-05"])
def test_a_bad_month_shows_this_month_with_a_note(leader, month):
    response = leader.get(reverse("meetings:calendar"), {"month": month})
    assert response.status_code == 200
    assert "无法识别的月份" in response.content.decode()


def test_a_good_month_is_shown_without_a_note(leader):
    response = leader.get(reverse("meetings:calendar"), {"month": "2026-11"})
    assert response.context["month"] == dt.date(2026, 11, 1)
    assert "无法识别的月份" not in response.content.decode()


def test_an_unknown_kind_on_the_new_meeting_page_falls_back(leader):
    response = leader.get(reverse("meetings:meeting_create"), {"kind": "<script>"})
    assert response.status_code == 200
    assert response.context["form"].initial["kind"] == MeetingKind.ONSITE


@pytest.mark.parametrize("organiser", ["leader", "duban", "admin"])
def test_a_meeting_with_only_a_video_link_is_seen_by_its_organiser_and_the_zone(org, organiser):
    """It was saved and then 404 for everyone, its organiser and the zone leader included."""
    meeting = services.schedule_meeting(
        user(organiser),
        kind=MeetingKind.DISPATCH,
        title="专题视频调度会",
        starts_at=at(dt.date(2026, 11, 29)),
        video_link="https://meeting.example.com/123",
    )
    assert list(meeting.invited_units.all()) == [org["随州高新区"]]
    for name in {organiser, "leader", "duban", "jijian", "admin"}:
        assert Meeting.objects.visible_to(user(name)).filter(pk=meeting.pk).exists(), name
    for name in ("jingfa", "chengdong", "qiye"):  # not invited
        assert not Meeting.objects.visible_to(user(name)).filter(pk=meeting.pk).exists(), name


def test_a_meeting_is_seen_through_its_chair_and_its_project(org):
    from tuijin.projects.tests.factories import make_project

    project = make_project(unit="经济发展局")
    chaired = onsite(invited=())
    chaired.park = None
    chaired.chair = Person.objects.get(user__username="leader")
    chaired.save()
    on_project = Meeting.objects.create(
        kind=MeetingKind.OTHER, title="项目会", starts_at=at(dt.date(2026, 11, 30)), project=project
    )
    assert set(Meeting.objects.visible_to(user("duban"))) >= {chaired, on_project}
    assert list(Meeting.objects.visible_to(user("jingfa_staff"))) == [on_project]
    assert not Meeting.objects.visible_to(user("chengdong")).exists()
