"""The reminder run at scale (B12): it reads only the items whose ``remind_on`` has come,
publishes in one fan-out, and its queries do not grow with its items or deliveries; skipping
the others loses no reminder; the services keep ``remind_on`` right."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.notify.models import Delivery, Rule, UnitRobot
from tuijin.org.models import Unit
from tuijin.projects.tests.factories import make_project
from tuijin.supervision import services
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.notifications import send_item_reminders
from tuijin.supervision.tests.factories import make_item

pytestmark = pytest.mark.django_db

NOV_17 = dt.date(2026, 11, 17)
# Deadlines as seen on Nov 17: 8 and 4 days overdue (escalated), yesterday, today, tomorrow
# and in two days (临期, reminder_days 3), in ten days (nothing yet).
DEADLINES = [-8, -4, -1, 0, 1, 2, 10]


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def setup(org):
    Rule.ensure_defaults()
    for name in ("经济发展局", "城东产业园"):
        unit = Unit.objects.get(name=name)
        for kind in ("wecom", "dingtalk"):
            UnitRobot.objects.create(unit=unit, kind=kind, webhook_url=f"https://r.invalid/{kind}")
    return make_project(leaders=["leader"])


def make_items(project, per_deadline: int, tag: str) -> list[SupervisionItem]:
    staff = user("jingfa_staff").person
    return [
        make_item(
            lead=lead,
            title=f"{tag}{lead}{days}-{n}",
            deadline=NOV_17 + dt.timedelta(days=days),
            reminder_days=3,
            responsible=staff,
            project=project,
        )
        for lead in ("经济发展局", "城东产业园")
        for days in DEADLINES
        for n in range(per_deadline)
    ]


def run(today=NOV_17) -> tuple[int, int]:
    """(deliveries created, queries sent)."""
    with CaptureQueriesContext(connection) as queries:
        created = send_item_reminders(today)
    return created, len(queries)


def forget() -> None:
    """As if nothing had been sent yet."""
    Delivery.objects.all().delete()
    SupervisionItem.objects.update(remind_on=None)


def test_the_query_count_does_not_grow_with_items_or_deliveries(setup):
    make_items(setup, 2, "a")
    few, few_queries = run()
    forget()
    make_items(setup, 4, "b")  # three times the items
    many, many_queries = run()
    assert many > 2.5 * few > 0
    assert many_queries == few_queries
    assert few_queries <= 30


def test_a_repeat_run_on_the_same_day_creates_nothing_in_one_query(
    setup, django_assert_num_queries
):
    make_items(setup, 2, "a")
    assert run()[0] > 0
    made = Delivery.objects.count()
    with django_assert_num_queries(1):  # the items due: none
        assert send_item_reminders(NOV_17) == 0
    assert Delivery.objects.count() == made


def test_the_next_day_reads_only_the_items_due_and_costs_the_same(setup):
    items = make_items(setup, 2, "a")
    run()
    before = keys()
    created, queries = run(NOV_17 + dt.timedelta(days=1))
    new = Delivery.objects.exclude(key__in=before)
    assert new.count() == created > 0
    # Overdue items get their daily reminder (people, and each unit's robots one list); the
    # item due yesterday falls overdue; the one due on the 18th is due today; the other 临期
    # one heard yesterday and the far one are not even read.
    assert {d.event for d in new} == {"item_overdue", "item_fell_overdue", "item_due_today"}
    assert new.filter(event="item_overdue", robot__isnull=False).count() == 4
    far = [item for item in items if item.deadline == NOV_17 + dt.timedelta(days=10)]
    assert not new.filter(key__contains=f":item{far[0].pk}:").exists()
    forget()
    make_items(setup, 4, "b")
    run()
    assert run(NOV_17 + dt.timedelta(days=1))[1] == queries


def keys() -> set[str]:
    return set(Delivery.objects.values_list("key", flat=True))


def test_skipping_the_items_not_due_loses_no_reminder(setup):
    """Day by day (a day missed too), the run sends exactly what reading every open item near
    its deadline every day (the run before remind_on) sends."""
    items = make_items(setup, 1, "a")
    days = [NOV_17 + dt.timedelta(days=d) for d in (0, 1, 2, 4, 5, 6, 7, 9, 10, 12, 13)]
    for day in days:
        send_item_reminders(day)
    stored = keys()
    Delivery.objects.all().delete()
    for day in days:
        SupervisionItem.objects.update(remind_on=None)  # every item re-read, every day
        send_item_reminders(day)
    assert keys() == stored
    assert len(stored) > 10 * len(items)


def test_services_keep_remind_on(setup):
    leader, staff = user("leader"), user("jingfa_staff")
    item, _warning = services.assign_item(
        leader,
        title="场地清表",
        requirement="清表",
        result_standard="场地清表完成",
        lead_unit=Unit.objects.get(name="经济发展局"),
        deadline_mode="date",
        deadline_date=dt.date(2099, 12, 31),
        assigned_on=dt.date(2099, 12, 1),
    )
    assert item.reminder_days == 3
    assert item.remind_on == dt.date(2099, 12, 28)  # the 临期 window opens
    services.accept(staff, item.pk, None)
    item.refresh_from_db()
    assert item.remind_on == dt.date(2099, 12, 28)  # a state among the open ones: unchanged
    SupervisionItem.objects.filter(pk=item.pk).update(remind_on=dt.date(2099, 12, 31))  # (sent)
    extension = services.request_extension(
        staff, item.pk, None, new_deadline=dt.date(2100, 1, 20), reason="雨天"
    )
    services.decide_extension(leader, item.pk, None, extension_pk=extension.pk, approve=True)
    item.refresh_from_db()
    assert item.remind_on == dt.date(2100, 1, 17)  # the new deadline's window
    services.cancel(leader, item.pk, None, "不再需要")
    item.refresh_from_db()
    assert item.remind_on is None


def test_verified_items_need_no_reminder(setup):
    from tuijin.supervision.models import Verification

    item, _warning = services.assign_item(
        user("duban"),
        title="违建拆除",
        requirement="拆除",
        result_standard="两处违建拆除",
        lead_unit=Unit.objects.get(name="经济发展局"),
        deadline_mode="date",
        deadline_date=dt.date(2099, 12, 31),
        assigned_on=dt.date(2099, 12, 1),
    )
    staff = user("jingfa_staff")
    services.accept(staff, item.pk, None)
    services.report(staff, item.pk, None, text="已拆除")
    services.verify(user("duban"), item.pk, None, result=Verification.Result.TRUE, notes="属实")
    item.refresh_from_db()
    assert item.state == "closed" and item.remind_on is None


def test_a_new_working_day_calendar_moves_remind_on(setup):
    from tuijin.supervision.models import HolidayOverride

    item, _warning = services.assign_item(
        user("leader"),
        title="手续办理",
        requirement="办理",
        result_standard="取得批复",
        lead_unit=Unit.objects.get(name="经济发展局"),
        deadline_mode="working",
        deadline_days=5,
        assigned_on=dt.date(2099, 12, 1),  # a Tuesday: five working days → Tue 8 Dec
    )
    before = item.deadline
    assert item.remind_on == before - dt.timedelta(days=item.reminder_days)
    HolidayOverride.objects.create(date=dt.date(2099, 12, 3), is_workday=False, note="调休")
    [moved] = services.apply_holiday_calendar(user("leader"), [dt.date(2099, 12, 3)])
    moved.refresh_from_db()
    assert moved.deadline == before + dt.timedelta(days=1)
    assert moved.remind_on == moved.deadline - dt.timedelta(days=moved.reminder_days)


def built_messages(monkeypatch) -> list:
    """The messages the run builds (handed to its Fanout), duplicates of sent ones included."""
    from tuijin.notify.services import Fanout
    from tuijin.supervision import notifications

    built = []

    class Spy(Fanout):
        def add(self, message, **kwargs):
            built.append(message)
            super().add(message, **kwargs)

    monkeypatch.setattr(notifications, "Fanout", Spy)
    return built


def test_an_item_already_escalated_gets_only_its_daily_reminder_built(setup, monkeypatch):
    """已超期 and the escalations are sent once per deadline: a run after the one that sent
    them does not build them again for the unique key to refuse (B12: that was most of a
    province's new day), and a missed day is caught up."""
    items = make_items(setup, 1, "a")
    item = next(i for i in items if i.deadline == NOV_17 - dt.timedelta(days=8))
    built = built_messages(monkeypatch)
    send_item_reminders(NOV_17)
    mine = lambda: [m.event for m in built if m.key.startswith(f"item{item.pk}:")]  # noqa: E731
    assert sorted(mine()) == sorted(
        ["item_overdue", "item_fell_overdue", "item_escalated", "item_escalated_leader"]
    )
    built.clear()
    assert send_item_reminders(NOV_17 + dt.timedelta(days=1)) > 0
    assert mine() == ["item_overdue"]
    # One that fell overdue yesterday: its escalation (3 days) comes on the 19th, built then
    # even when the 18th's run is missed.
    late = next(i for i in items if i.deadline == NOV_17 - dt.timedelta(days=1))
    built.clear()
    send_item_reminders(NOV_17 + dt.timedelta(days=3))
    events = [m.event for m in built if m.key.startswith(f"item{late.pk}:")]
    assert sorted(events) == ["item_escalated", "item_overdue"]


def test_a_deadline_moved_during_the_run_keeps_its_remind_on(setup, monkeypatch):
    """An overdue item given another (past) deadline while the run publishes keeps the
    remind_on its service set, so the next run tells of the new deadline (已超期 again)
    instead of taking it for told."""
    from tuijin.notify.services import Fanout
    from tuijin.supervision import notifications

    items = make_items(setup, 1, "a")
    item = next(i for i in items if i.deadline == NOV_17 - dt.timedelta(days=4))
    moved = NOV_17 - dt.timedelta(days=2)

    class Meanwhile(Fanout):
        def send(self):
            SupervisionItem.objects.filter(pk=item.pk).update(
                deadline=moved, remind_on=moved - dt.timedelta(days=3)
            )
            return super().send()

    monkeypatch.setattr(notifications, "Fanout", Meanwhile)
    send_item_reminders(NOV_17)
    item.refresh_from_db()
    assert item.remind_on == moved - dt.timedelta(days=3)  # as its service set it
    monkeypatch.setattr(notifications, "Fanout", Fanout)
    send_item_reminders(NOV_17 + dt.timedelta(days=1))
    assert Delivery.objects.filter(key__contains=f":item{item.pk}:d{moved}:").exists()


def test_a_lowered_escalation_threshold_escalates_the_items_already_past_it(setup, monkeypatch):
    """Escalations are built on the run that crosses the threshold; a threshold lowered below
    where an item already is must still escalate it on the next run."""
    from constance import config

    config.ESCALATE_AFTER_DAYS = 10
    items = make_items(setup, 1, "t")
    item = next(i for i in items if i.deadline == NOV_17 - dt.timedelta(days=4))
    built = built_messages(monkeypatch)
    send_item_reminders(NOV_17)
    mine = lambda: [m.event for m in built if m.key.startswith(f"item{item.pk}:")]  # noqa: E731
    assert "item_escalated" not in mine()
    config.ESCALATE_AFTER_DAYS = 3
    built.clear()
    send_item_reminders(NOV_17 + dt.timedelta(days=1))
    assert "item_escalated" in mine()
