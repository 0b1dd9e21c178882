"""Meetings: recurring slots created once, agenda proposals from hand-built facts, decisions
that become 督办 items from this meeting."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tuijin.meetings import services
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Light
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import ItemActivity, Problem, SupervisionItem
from tuijin.supervision.tests.factories import category, make_item

WEDNESDAY = dt.date(2026, 11, 25)
CST = ZoneInfo("Asia/Shanghai")


def user(username):
    return get_user_model().objects.get(username=username)


def unit(name):
    return Unit.objects.get(name=name)


def test_recurring_meetings_are_created_once_per_slot(org):
    first = services.schedule_recurring(WEDNESDAY)
    second = services.schedule_recurring(WEDNESDAY)
    assert first == 6 and second == 0  # this week and the next two: Saturday + Sunday each
    saturdays = Meeting.objects.filter(kind=MeetingKind.ONSITE).order_by("starts_at")
    assert [timezone.localtime(m.starts_at).date() for m in saturdays] == [
        dt.date(2026, 11, 28),
        dt.date(2026, 12, 5),
        dt.date(2026, 12, 12),
    ]
    assert timezone.localtime(saturdays[0].starts_at).hour == 9
    assert saturdays[0].chair.user.username == "leader"
    assert {m.park.name for m in saturdays} <= {
        "青春化工园",
        "城东产业园",
        "铁北产业园",
        "府南产业园",
    }
    sunday = Meeting.objects.filter(kind=MeetingKind.DISPATCH).order_by("starts_at").first()
    assert timezone.localtime(sunday.starts_at).hour == 19
    assert sunday.invited_units.filter(name="经济发展局").exists()


def test_weekdays_and_horizon_are_settings(org):
    from constance import config

    config.MEETING_WEEKS_AHEAD = 0
    config.ONSITE_WEEKDAY = 4  # Friday
    services.schedule_recurring(WEDNESDAY)
    onsite = Meeting.objects.get(kind=MeetingKind.ONSITE)
    assert timezone.localtime(onsite.starts_at).date() == dt.date(2026, 11, 27)
    assert Meeting.objects.count() == 2


def onsite_at(park: str) -> Meeting:
    return Meeting.objects.create(
        kind=MeetingKind.ONSITE,
        title="现场办公会",
        park=unit(park),
        starts_at=dt.datetime(2026, 11, 28, 9, tzinfo=CST),
    )


def test_onsite_agenda_lists_the_parks_red_and_yellow_projects_and_meeting_problems(org):
    red = make_project(
        "人才公寓",
        park="城东产业园",
        light=Light.RED,
        light_reasons=[{"light": "red", "rule": "start", "text": "延迟4个月未开工"}],
    )
    make_project("文帝学校", park="城东产业园", light=Light.GREEN)
    yellow = make_project("团结激光产业园", park="城东产业园", light=Light.YELLOW)
    make_project("犇星二期", park="青春化工园", light=Light.RED)  # another park
    meeting_problem = Problem.objects.create(
        project=red,
        unit=red.unit,
        category=category("征迁与违建"),
        description="两处违建",
        raised_at=timezone.now(),
        level=Problem.Level.MEETING,
    )
    Problem.objects.create(
        project=red,
        unit=red.unit,
        category=category("用工"),
        description="单位层级的问题",
        raised_at=timezone.now(),
    )
    overdue = make_item(lead="自然资源和规划分局", title="人才公寓:地块清表", project=red)
    make_item(lead="城东产业园", title="园区事项", deadline=dt.date(2026, 12, 4))
    make_item(lead="住建局", title="别处的事项")  # neither the park's project nor the park's
    make_item(lead="城东产业园", title="已办结", state="closed", project=red)
    projects, problems, items = services.propose_agenda(onsite_at("城东产业园"), WEDNESDAY)
    assert [line.text.split(":")[0] for line in projects.lines] == ["人才公寓", "团结激光产业园"]
    assert projects.lines[0].light == "red" and "延迟4个月未开工" in projects.lines[0].text
    assert [line.url for line in problems.lines] == [meeting_problem.get_absolute_url()]
    assert yellow.get_absolute_url() == projects.lines[1].url
    # Each row knows what a decision recorded from it is about.
    assert [line.project for line in projects.lines] == [red.pk, yellow.pk]
    assert (problems.lines[0].project, problems.lines[0].problem) == (red.pk, meeting_problem.pk)
    # The park's open 督办 items, overdue first.
    assert items.title == "园区未办结督办事项"
    assert [line.text for line in items.lines] == [
        "人才公寓:地块清表(自然资源和规划分局牵头,超期6天)",
        "园区事项(城东产业园牵头,剩余9天)",
    ]
    assert items.lines[0].url == overdue.get_absolute_url()


def test_an_onsite_meeting_invites_the_units_owning_the_parks_red_and_yellow_projects(org):
    make_project("人才公寓", park="城东产业园", unit="自然资源和规划分局", light=Light.RED)
    make_project("团结激光", park="城东产业园", unit="经济发展局", light=Light.YELLOW)
    make_project("文帝学校", park="城东产业园", unit="住建局", light=Light.GREEN)
    make_project("犇星二期", park="青春化工园", unit="招商局", light=Light.RED)
    services.schedule_recurring(WEDNESDAY)
    invited = {
        timezone.localtime(m.starts_at).date(): set(m.invited_units.values_list("name", flat=True))
        for m in Meeting.objects.filter(kind=MeetingKind.ONSITE, park__name="城东产业园")
    }
    assert invited and all(
        names == {"城东产业园", "自然资源和规划分局", "经济发展局"} for names in invited.values()
    )
    by_hand = services.schedule_meeting(
        user("leader"),
        kind=MeetingKind.ONSITE,
        title="现场办公会",
        starts_at=timezone.now(),
        park=unit("城东产业园"),
        invited_units=[unit("财政局")],
    )
    assert set(by_hand.invited_units.values_list("name", flat=True)) == {
        "财政局",
        "自然资源和规划分局",
        "经济发展局",
    }


def test_dispatch_agenda_groups_open_items_by_unit_overdue_first_and_lists_changes(org):
    previous = Meeting.objects.create(
        kind=MeetingKind.DISPATCH,
        title="上周调度",
        starts_at=dt.datetime(2026, 11, 22, 19, tzinfo=CST),
    )
    meeting = Meeting.objects.create(
        kind=MeetingKind.DISPATCH,
        title="本周调度",
        starts_at=dt.datetime(2026, 11, 29, 19, tzinfo=CST),
    )
    make_item(lead="经济发展局", title="未到期", deadline=dt.date(2026, 12, 10))
    make_item(lead="经济发展局", title="已超期", deadline=dt.date(2026, 11, 20))
    make_item(lead="招商局", title="招商事项", deadline=dt.date(2026, 12, 1))
    make_item(lead="招商局", title="已办结", state="closed", closed_on_time=True)
    changed = make_item(lead="住建局", title="刚签收")
    ItemActivity.objects.create(
        item=changed, verb="accept", at=dt.datetime(2026, 11, 25, 10, tzinfo=CST)
    )
    ItemActivity.objects.create(
        item=changed,
        verb="assign",  # before the last dispatch
        at=dt.datetime(2026, 11, 21, 10, tzinfo=CST),
    )
    sections = services.propose_agenda(meeting, dt.date(2026, 11, 29))
    titles = {
        s.title: [line.text + (f":{line.note}" if line.note else "") for line in s.lines]
        for s in sections
    }
    assert titles["经济发展局(2项)"] == ["已超期(超期9天)", "未到期(剩余11天)"]
    assert titles["招商局(1项)"] == ["招商事项(剩余2天)"]
    assert titles["上次调度以来的变化"] == ["刚签收:状态转为“签收”"]
    assert previous.starts_at < meeting.starts_at


def test_a_decision_becomes_an_item_from_this_meeting(org):
    meeting = onsite_at("城东产业园")
    project = make_project("人才公寓", park="城东产业园", unit="自然资源和规划分局")
    meeting.project = project
    meeting.save()
    with time_machine.travel(dt.datetime(2026, 11, 28, 3, tzinfo=dt.UTC)):
        decision = services.record_decision(
            user("leader"),
            meeting,
            text="自然资源和规划分局牵头,三天内完成人才公寓地块清表",
            lead_unit=unit("自然资源和规划分局"),
            co_units=[unit("城东产业园")],
            result_standard="地块清表完成",
            deadline_mode="calendar",
            deadline_days=3,
        )
        second = services.record_decision(
            user("leader"),
            meeting,
            text="住建局负责配套道路",
            lead_unit=unit("住建局"),
            result_standard="道路开工",
            deadline_mode="working",
            deadline_days=3,
        )
    item = decision.item
    assert (decision.number, second.number) == (1, 2)
    assert item.source == SupervisionItem.Source.MEETING and item.decision == decision
    assert item.project == project and item.deadline == dt.date(2026, 12, 1)
    assert second.item.deadline == dt.date(2026, 12, 2)  # Mon, Tue, Wed
    assert list(item.co_units.values_list("name", flat=True)) == ["城东产业园"]


def test_the_note_taker_records_and_the_chair_assigns(org):
    meeting = onsite_at("城东产业园")
    meeting.chair = Person.objects.get(user__username="leader")
    meeting.save()
    project = make_project("人才公寓", park="城东产业园", unit="自然资源和规划分局")
    wu = Person.objects.get(user__username="ziran")
    decision = services.record_decision(
        user("duban"),  # the 督查室 takes the notes
        meeting,
        text="自然资源和规划分局牵头,三天内完成人才公寓地块清表",
        requirement="完成人才公寓地块清表",
        project=project,
        lead_unit=unit("自然资源和规划分局"),
        responsible=wu,
        result_standard="人才公寓地块清表完成",
        deadline_mode="calendar",
        deadline_days=3,
    )
    item = decision.item
    assert item.assigner == meeting.chair and item.assigner.user.username == "leader"
    assert (item.project, item.responsible) == (project, wu)
    assert item.requirement == "完成人才公寓地块清表"
    assert item.title == f"{meeting.title}:完成人才公寓地块清表"
    assert decision.text == "自然资源和规划分局牵头,三天内完成人才公寓地块清表"
    # A responsible person outside the lead unit is refused.
    with pytest.raises(services.MeetingError, match="不是牵头单位住建局的人员"):
        services.record_decision(
            user("duban"),
            meeting,
            text="住建局牵头",
            lead_unit=unit("住建局"),
            responsible=wu,
            result_standard="x",
            deadline_mode="calendar",
            deadline_days=3,
        )
    # Without a chair the note-taker assigns.
    meeting.chair = None
    meeting.save()
    other = services.record_decision(
        user("duban"),
        meeting,
        text="住建局牵头",
        lead_unit=unit("住建局"),
        result_standard="x",
        deadline_mode="calendar",
        deadline_days=3,
    )
    assert other.item.assigner.user.username == "duban"


def test_only_leaders_and_supervisors_record_decisions(org):
    with pytest.raises(PermissionDenied):
        services.record_decision(
            user("jingfa"),
            onsite_at("城东产业园"),
            text="x",
            lead_unit=unit("住建局"),
            result_standard="x",
            deadline_mode="calendar",
            deadline_days=3,
        )


def test_minutes_edits_do_not_overwrite_each_other(org):
    meeting = onsite_at("城东产业园")
    services.save_minutes(user("leader"), meeting.pk, 1, "第一稿")
    with pytest.raises(services.MeetingError, match="刚刚已被他人修改"):
        services.save_minutes(user("duban"), meeting.pk, 1, "另一稿")
    meeting.refresh_from_db()
    assert meeting.minutes == "第一稿"


def test_a_problem_is_resolved_from_the_minutes(org):
    project = make_project()
    problem = Problem.objects.create(
        project=project,
        unit=project.unit,
        category=category("资金"),
        description="资金缺口",
        raised_at=timezone.now(),
        level=Problem.Level.MEETING,
    )
    services.resolve_problem_in_meeting(
        user("leader"), onsite_at("青春化工园"), problem.pk, "财政局垫付"
    )
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RESOLVED
    assert problem.resolution == "现场办公会研究解决:财政局垫付"
