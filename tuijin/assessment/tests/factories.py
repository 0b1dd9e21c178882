"""A month of records built by hand (November 2026, 经济发展局), whose every figure the tests
check to the decimal: see EXPECTED."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from tuijin.assessment import services
from tuijin.meetings.models import Attendance, Meeting, MeetingKind
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Light, PeriodLight
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import Feedback, Problem, Verification
from tuijin.supervision.tests.factories import category, make_item
from tuijin.worklogs.models import Duty, Exemption, WorkLog

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=TZ)  # the day the month is computed
NOVEMBER = dt.date(2026, 11, 1)
UNIT = "经济发展局"

# Each figure and why (the default scheme: 30/20/15/20/10, ±5).
EXPECTED = {
    # 30 − 1 (closed late) − 1 (open past its deadline) + 1 (closed ahead of time)
    "duban": Decimal("29.00"),
    # 1 of 2 outstanding problems resolved in November: 20 × 1/2
    "problems": Decimal("10.00"),
    # 7 weekend logs owed (2 cadres × 4 weekends, 1 on leave), 6 submitted: 15 × 6/7
    "worklogs": Decimal("12.86"),
    # green, yellow, red (current light), green: 20 × (1 + 0.5 + 0 + 1)/4
    "lights": Decimal("12.50"),
    # 10 − 2 (不属实) − 1 (部分属实)
    "truth": Decimal("7.00"),
    # −0.5 (张强 absent) + 1 (批示) + 2 (commendation) − 1 (criticism)
    "adjust": Decimal("1.50"),
}
EXPECTED_TOTAL = Decimal("72.86")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def build_month(unit_name: str = UNIT) -> dict:
    """The records of November for the unit (the `org` fixture's people)."""
    head, staff = person("jingfa"), person("jingfa_staff")
    duban = person("duban")
    unit = Unit.objects.get(name=unit_name)
    made = {}

    # 督办: deadlines in November, and two that do not count.
    made["early"] = make_item(
        unit_name,
        title="提前办结",
        deadline=d(11, 20),
        state="closed",
        closed_on=d(11, 18),
        closed_on_time=True,
    )
    make_item(
        unit_name,
        title="按期办结",
        deadline=d(11, 12),
        state="closed",
        closed_on=d(11, 12),
        closed_on_time=True,
    )
    made["late"] = make_item(
        unit_name,
        title="逾期办结",
        deadline=d(11, 6),
        state="closed",
        closed_on=d(11, 10),
        closed_on_time=False,
    )
    made["overdue"] = make_item(
        unit_name, title="超期未办", deadline=d(11, 25), state="in_progress"
    )
    waiting = make_item(unit_name, title="期内反馈待核查", deadline=d(11, 27), state="verifying")
    Feedback.objects.create(
        item=waiting, text="已完成", submitted_by=staff, submitted_at=at(d(11, 26))
    )
    make_item(unit_name, title="已撤销", deadline=d(11, 10), state="cancelled")
    make_item(unit_name, title="十二月到期", deadline=d(12, 5), state="in_progress")

    # Problems.
    cat = category("用工")
    for text, raised, status, resolved in [
        ("十月提出十一月解决", d(10, 10), "resolved", d(11, 5)),
        ("十一月提出未解决", d(11, 3), "open", None),
        ("十月已解决", d(10, 1), "resolved", d(10, 20)),
        ("已上报", d(11, 10), "reported_up", None),
        ("十二月提出", d(12, 1), "open", None),
    ]:
        Problem.objects.create(
            unit=unit,
            category=cat,
            description=text,
            raised_at=at(raised),
            status=status,
            resolved_at=at(resolved) if resolved else None,
        )

    # Weekend logs: both cadres on the roster; 张强 on leave the last weekend.
    for who in (head, staff):
        Duty.objects.create(person=who, since=d(10, 1))
    Exemption.objects.create(person=head, reason="leave", start=d(11, 28), end=d(11, 29))
    saturdays = [d(11, 7), d(11, 14), d(11, 21), d(11, 28)]
    for saturday in saturdays:  # 刘洋: every weekend, the second one late (Tuesday)
        late = saturday == d(11, 14)
        submitted = at(saturday + dt.timedelta(days=3 if late else 1), 20)
        WorkLog.objects.create(
            author=staff,
            unit=unit,
            kind="weekend",
            date=saturday,
            text="走访企业",
            submitted_at=submitted,
        )
    for saturday in (d(11, 7), d(11, 21)):  # 张强: two of the three weekends he owed
        WorkLog.objects.create(
            author=head,
            unit=unit,
            kind="weekend",
            date=saturday,
            text="现场调度",
            submitted_at=at(saturday, 18),
        )

    # Projects and the lights frozen for November.
    lights = [Light.GREEN, Light.YELLOW, None, Light.GREEN]
    for n, light in enumerate(lights):
        project = make_project(name=f"灯色项目{n}", unit=unit_name, light=Light.RED)
        if light is not None:
            PeriodLight.objects.create(
                project=project, period_start=NOVEMBER, light=light, frozen_light=light
            )
            PeriodLight.objects.create(
                project=project, period_start=d(10, 1), light=Light.RED, frozen_light=Light.RED
            )

    # Verifications in November (and one in December).
    for result, day in [
        ("untrue", d(11, 8)),
        ("partly", d(11, 16)),
        ("true", d(11, 24)),
        ("untrue", d(12, 2)),
    ]:
        item = make_item(
            unit_name, title=f"核查{result}{day.day}", deadline=d(12, 20), state="in_progress"
        )
        feedback = Feedback.objects.create(
            item=item, text="已办", submitted_by=staff, submitted_at=at(day - dt.timedelta(days=1))
        )
        Verification.objects.create(
            item=item,
            feedback=feedback,
            result=result,
            notes="现场",
            verified_by=duban,
            verified_at=at(day),
            unit=unit,
        )

    # A meeting 张强 missed, one 刘洋 was excused from.
    meeting = Meeting.objects.create(
        kind=MeetingKind.ONSITE, title="11月14日现场办公会", starts_at=at(d(11, 14), 9)
    )
    Attendance.objects.create(meeting=meeting, person=head, status=Attendance.Status.ABSENT)
    Attendance.objects.create(meeting=meeting, person=staff, status=Attendance.Status.LEAVE)
    made["meeting"] = meeting
    return made


def enter_month(period, unit_name: str = UNIT) -> None:
    """What the 督查室 and a leader enter for the month: two adjustments and a 批示."""
    duban = person("duban").user
    unit = Unit.objects.get(name=unit_name)
    services.add_adjustment(duban, period.pk, unit=unit, points=Decimal(2), reason="获市委通报表扬")
    services.add_adjustment(duban, period.pk, unit=unit, points=Decimal(-1), reason="信息报送迟报")
    services.record_instruction(
        duban, unit=unit, leader=person("leader"), day=d(11, 20), text="经发局工作扎实,值得肯定"
    )
    services.record_instruction(
        duban, unit=unit, leader=person("leader"), day=d(10, 20), text="十月份的批示,不计入十一月"
    )
