"""The notification engine on real components: rules fan events out, a local HTTP receiver
plays the WeCom and DingTalk robots, retries back off, reminders are sent once."""

import base64
import datetime as dt
import hashlib
import hmac

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tuijin.notify import delivery
from tuijin.notify.models import Channel, Delivery, Notification, Preference, Rule, UnitRobot
from tuijin.org.models import Unit
from tuijin.supervision import services as supervision
from tuijin.supervision.notifications import send_item_reminders
from tuijin.supervision.tests.factories import make_item

NOV_17 = dt.datetime(2026, 11, 17, 2, tzinfo=dt.UTC)  # Tuesday 10:00 in Shanghai


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def rules(org):
    Rule.ensure_defaults()


@pytest.fixture
def wecom(rules, receiver):
    """经济发展局's WeCom group robot, played by the local receiver."""
    return UnitRobot.objects.create(
        unit=Unit.objects.get(name="经济发展局"),
        kind="wecom",
        webhook_url=receiver.url("/cgi-bin/webhook/send?key=k1"),
    )


def assign(**fields):
    fields.setdefault("deadline_mode", "calendar")
    fields.setdefault("deadline_days", 3)
    return supervision.assign_item(
        user("duban"),
        title="两处违章建筑拆除",
        requirement="三天见成效",
        result_standard="两处违章建筑拆除、场地清表",
        lead_unit=Unit.objects.get(name="经济发展局"),
        **fields,
    )[0]


def test_assigning_notifies_the_unit_in_app_and_through_its_robot(wecom, receiver, committed):
    with committed():
        item = assign()
    bells = Notification.objects.filter(title__contains="新交办督办事项")
    assert {n.recipient.username for n in bells} == {"jingfa", "jingfa_staff"}
    assert bells.first().url == item.get_absolute_url()
    content = receiver.last.json["markdown"]["content"]
    assert "新交办督办事项:两处违章建筑拆除" in content and "两处违章建筑拆除、场地清表" in content
    assert f"/supervision/items/{item.pk}/" in content
    assert len(receiver.requests) == 1


def test_urging_reaches_the_units_robot_each_time(wecom, receiver, committed):
    with committed():
        item = assign()
    with committed():
        supervision.urge(user("duban"), item.pk, "今天下班前报告进展")
    with committed():
        supervision.urge(user("duban"), item.pk)
    urges = [
        r.json["markdown"]["content"]
        for r in receiver.requests
        if "催办" in r.json["markdown"]["content"]
    ]
    assert len(urges) == 2 and "今天下班前报告进展" in urges[0]


def test_dingtalk_robot_gets_a_signed_request(rules, receiver, committed):
    secret = "SEC0123456789abcdef"
    UnitRobot.objects.create(
        unit=Unit.objects.get(name="经济发展局"),
        kind="dingtalk",
        webhook_url=receiver.url("/robot/send?access_token=t"),
        secret=secret,
    )
    with committed():
        assign()
    request = receiver.last
    timestamp, sign = request.query["timestamp"], request.query["sign"]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert sign == expected
    assert request.json["msgtype"] == "markdown"
    assert request.json["markdown"]["title"].startswith("新交办督办事项")


def test_a_receiver_failing_twice_gets_exactly_one_message_after_retries(
    wecom, receiver, committed
):
    receiver.fail_next(2)
    with time_machine.travel(NOV_17, tick=False) as clock:
        with committed():
            assign()
        robot = Delivery.objects.get(channel=Channel.WECOM)
        assert (robot.status, robot.attempts) == ("failed", 1)
        assert delivery.deliver_due() == 0  # backoff: not due yet
        clock.shift(dt.timedelta(minutes=1, seconds=1))
        delivery.deliver_due()
        robot.refresh_from_db()
        assert (robot.status, robot.attempts) == ("failed", 2)
        assert "HTTP 500" in robot.last_error
        clock.shift(dt.timedelta(minutes=4, seconds=1))
        delivery.deliver_due()
        delivery.deliver_due()  # nothing left to send
    robot.refresh_from_db()
    assert (robot.status, robot.attempts) == ("sent", 3)
    assert len(receiver.requests) == 3  # two failures, one success
    assert sum(1 for _ in Delivery.objects.filter(channel=Channel.WECOM)) == 1


def test_deliveries_give_up_after_the_configured_attempts(wecom, receiver, committed):
    from constance import config

    config.DELIVERY_MAX_ATTEMPTS = 2
    receiver.fail_next(5)
    with time_machine.travel(NOV_17, tick=False) as clock:
        with committed():
            assign()
        clock.shift(dt.timedelta(hours=1))
        delivery.deliver_due()
    assert Delivery.objects.get(channel=Channel.WECOM).status == "gave_up"


def test_running_the_reminder_task_twice_sends_each_reminder_once(wecom, receiver, committed):
    with time_machine.travel(NOV_17, tick=False):
        item = make_item(deadline=dt.date(2026, 11, 17), responsible=None)  # due today
        with committed():
            first = send_item_reminders()
        with committed():
            second = send_item_reminders()
    assert first > 0 and second == 0
    today = [r for r in receiver.requests if "今天到期" in r.json["markdown"]["content"]]
    assert len(today) == 1
    assert (
        Delivery.objects.filter(event="item_due_today", key__contains=f"item{item.pk}:").count()
        == 1
    )


def test_reminders_climb_the_chain_when_overdue(rules, committed):
    from tuijin.projects.tests.factories import make_project

    project = make_project(leaders=["leader"])
    item = make_item(deadline=dt.date(2026, 11, 10), project=project)
    item.responsible = user("jingfa_staff").person
    item.save()
    events_on = {}
    for day in (11, 13, 16):  # 1, 3 and 6 days overdue (ESCALATE_AFTER_DAYS = 3)
        moment = dt.datetime(2026, 11, day, 2, tzinfo=dt.UTC)
        with time_machine.travel(moment, tick=False), committed():
            send_item_reminders()
        events_on[day] = {
            (n.recipient.username, n.event)
            for n in Notification.objects.filter(created_at__date=dt.date(2026, 11, day))
        }
    # The assigner hears once that it fell overdue (L11: leaders hear of overdue items).
    assert events_on[11] == {("jingfa_staff", "item_overdue"), ("duban", "item_fell_overdue")}
    assert ("jingfa", "item_escalated") in events_on[13]
    assert ("leader", "item_escalated_leader") in events_on[16]
    assert ("duban", "item_escalated_leader") in events_on[16]  # the assigner
    # Overdue reminders repeat daily; escalations happen once.
    assert Notification.objects.filter(event="item_escalated").count() == 1
    assert Notification.objects.filter(event="item_overdue").count() == 3


def test_quiet_hours_hold_email_but_not_overdue_alerts(rules, mailoutbox, committed):
    staff = user("jingfa_staff")
    staff.email = "liuyang@example.cn"
    staff.save()
    Preference.objects.create(user=staff, quiet_start=dt.time(22), quiet_end=dt.time(7))
    night = dt.datetime(2026, 11, 17, 15, tzinfo=dt.UTC)  # 23:00 in Shanghai
    with time_machine.travel(night, tick=False) as clock:
        item = make_item(deadline=dt.date(2026, 11, 19), responsible=staff.person)
        with committed():
            supervision.accept(staff, item.pk, None)  # (an event for the assigner only)
        make_item(deadline=dt.date(2026, 11, 15), responsible=staff.person, title="超期事项")
        soon = make_item(deadline=dt.date(2026, 11, 18), responsible=staff.person, title="临期事项")
        with committed():
            send_item_reminders()
        subjects = [m.subject for m in mailoutbox]
        assert any("超期事项" in s for s in subjects)  # overdue ignores quiet hours
        assert not any("临期事项" in s for s in subjects)
        held = Delivery.objects.get(channel="email", key__contains=f"item{soon.pk}:")
        assert held.status == "pending"
        assert held.next_attempt_at == dt.datetime(2026, 11, 17, 23, tzinfo=dt.UTC)  # 07:00
        clock.move_to(dt.datetime(2026, 11, 17, 23, 1, tzinfo=dt.UTC))
        delivery.deliver_due()
    assert any("临期事项" in m.subject for m in mailoutbox)


def test_muted_events_are_not_sent(rules, committed):
    staff = user("jingfa_staff")
    Preference.objects.create(user=staff, muted_events=["item_assigned"])
    with committed():
        assign()
    assert not Notification.objects.filter(recipient=staff).exists()
    assert Notification.objects.filter(recipient=user("jingfa")).exists()


def test_email_without_an_address_is_skipped_with_a_reason(rules, committed):
    item = make_item(deadline=dt.date(2026, 11, 17), responsible=user("jingfa_staff").person)
    with time_machine.travel(NOV_17, tick=False), committed():
        send_item_reminders()
    skipped = Delivery.objects.get(channel="email", key__contains=f"item{item.pk}:")
    assert (skipped.status, skipped.last_error) == ("skipped", "接收人未填写邮箱")


def test_escalated_problems_reach_the_projects_leaders(rules, committed):
    from tuijin.projects.tests.factories import make_project
    from tuijin.supervision.tests.factories import category

    project = make_project(leaders=["leader"])
    problem = supervision.raise_problem(
        user("jingfa_staff"),
        project=project,
        category=category("能耗指标"),
        description="能耗指标不足",
    )
    with committed():
        supervision.escalate_problem(user("jingfa"), problem.pk, None)
    note = Notification.objects.get(recipient=user("leader"), event="problem_escalated")
    assert "问题升级至领导" in note.title
    assert Notification.objects.filter(recipient=user("duban"), event="problem_escalated").exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_on_postgresql_send_each_reminder_once(org, receiver):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (PostgreSQL in CI)")
    Rule.ensure_defaults()
    UnitRobot.objects.create(
        unit=Unit.objects.get(name="经济发展局"), kind="wecom", webhook_url=receiver.url()
    )
    make_item(deadline=dt.date(2026, 11, 17))
    barrier = threading.Barrier(2)

    def worker():
        try:
            with time_machine.travel(NOV_17, tick=False):
                barrier.wait()
                send_item_reminders()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Delivery.objects.filter(event="item_due_today", channel="wecom").count() == 1
    assert len([r for r in receiver.requests if "今天到期" in r.json["markdown"]["content"]]) == 1
