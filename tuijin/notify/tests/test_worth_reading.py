"""L11 part 7, notifications worth reading: "剩余N天" is counted when a message is read, not
frozen when it was sent; leaders hear of what needs them (not of every 签收); dates are
written in Chinese."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from tuijin.core import deadlines
from tuijin.dashboard.digest import build_digest
from tuijin.notify.models import Delivery, Notification, Rule, UnitRobot
from tuijin.org.models import Unit
from tuijin.supervision import services as supervision
from tuijin.supervision.notifications import send_item_reminders
from tuijin.supervision.tests.factories import make_item, person

DAY_1 = dt.datetime(2026, 11, 17, 2, tzinfo=dt.UTC)  # Tuesday 10:00 in Shanghai
DAY_3 = dt.datetime(2026, 11, 19, 2, tzinfo=dt.UTC)


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def rules(org):
    Rule.ensure_defaults()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def assign(by="duban", days=3):
    return supervision.assign_item(
        user(by),
        title="两处违章建筑拆除",
        requirement="三天见成效",
        result_standard="两处违章建筑拆除、场地清表",
        lead_unit=Unit.objects.get(name="经济发展局"),
        deadline_mode="calendar",
        deadline_days=days,
    )[0]


def test_days_left_in_a_message_are_counted_when_it_is_read(rules, receiver, committed, client):
    UnitRobot.objects.create(
        unit=Unit.objects.get(name="经济发展局"),
        kind="wecom",
        webhook_url=receiver.url("/cgi-bin/webhook/send?key=k1"),
    )
    with time_machine.travel(DAY_1, tick=False):
        with committed():
            item = assign()
        bell = Notification.objects.get(recipient=user("jingfa"), event="item_assigned")
        assert item.deadline == dt.date(2026, 11, 20)
        assert "期限:2026年11月20日(剩余3天)" in bell.text
    # The robot's message was pushed on day 1 and says so.
    assert "2026年11月20日(剩余3天)" in receiver.last.json["markdown"]["content"]
    with time_machine.travel(DAY_3, tick=False):
        client.force_login(user("jingfa"))
        bell.refresh_from_db()
        assert "期限:2026年11月20日(剩余1天)" in bell.text
        page = client.get(reverse("notify:list")).content.decode()
    assert "剩余1天" in page and "剩余3天" not in page and "⟪" not in page
    with time_machine.travel(DAY_3 + dt.timedelta(days=3), tick=False):
        client.force_login(user("jingfa"))
        assert "2026年11月20日(超期2天)" in client.get(reverse("notify:list")).content.decode()


def test_the_stored_text_holds_the_deadline_not_the_words(rules, committed):
    with time_machine.travel(DAY_1, tick=False), committed():
        assign()
    body = Notification.objects.filter(event="item_assigned").first().body
    assert "⟪期限:2026-11-20⟫" in body and "剩余" not in body


def test_a_leader_is_not_told_of_acceptance_but_is_told_of_overdue_once(rules, committed):
    with time_machine.travel(DAY_1, tick=False):
        with committed():
            item = assign(by="leader", days=1)
        with committed():
            supervision.accept(user("jingfa"), item.pk, item.version)
    leader = Notification.objects.filter(recipient=user("leader"))
    assert not leader.filter(event="item_accepted").exists()
    assert not leader.exists()
    for day in (DAY_3, DAY_3 + dt.timedelta(days=1)):  # overdue on both days
        with time_machine.travel(day, tick=False), committed():
            send_item_reminders()
    told = leader.filter(event="item_fell_overdue")
    assert told.count() == 1  # once per deadline, not every day
    assert told.get().title == "督办已超期:两处违章建筑拆除"
    # The unit is still reminded daily.
    staff = Notification.objects.filter(recipient=user("jingfa"), event="item_overdue")
    assert staff.count() == 2


@pytest.mark.parametrize(("result", "told"), [("untrue", True), ("true", False)])
def test_leaders_hear_of_an_untrue_verification_only(rules, committed, result, told):
    from tuijin.projects.tests.factories import make_project

    project = make_project(leaders=["leader"])
    item = make_item(state="verifying", assigner=person("leader"), project=project)
    with time_machine.travel(DAY_1, tick=False), committed():
        supervision.verify(user("duban"), item.pk, item.version, result=result, notes="仍在使用")
    leader = Notification.objects.filter(recipient=user("leader"))
    assert leader.filter(event="item_untrue").exists() is told
    assert not leader.filter(event="item_verified").exists()
    if told:
        assert "核查不属实:仍在使用" in leader.get().body


def test_the_weekly_digest_carries_acceptance_and_counts_days_when_read(rules):
    monday = dt.date(2026, 11, 23)
    make_item(title="已签收事项", state="accepted", assigned_on=dt.date(2026, 11, 18))
    make_item(title="待签收事项", assigned_on=dt.date(2026, 11, 20), deadline=monday)
    make_item(title="超期事项", assigned_on=dt.date(2026, 11, 2), deadline=dt.date(2026, 11, 20))
    text = build_digest(user("leader"), monday).text()
    assert "四、上周新交办(2项,1项待签收)" in text
    assert "待签收事项(经济发展局,交办,期限⟪期限:2026-11-23⟫)" in text
    with time_machine.travel(dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC), tick=False):
        assert "超期事项(超期3天)" in deadlines.render(text)
    with time_machine.travel(dt.datetime(2026, 11, 25, 1, tzinfo=dt.UTC), tick=False):
        shown = deadlines.render(text)
    assert "超期事项(超期5天)" in shown and "期限2026年11月23日(超期2天)" in shown


def test_a_closed_items_message_gives_the_date_alone(rules, committed):
    item = make_item(state="verifying", deadline=dt.date(2026, 11, 19))
    with time_machine.travel(DAY_1, tick=False), committed():
        supervision.verify(user("duban"), item.pk, item.version, result="true", notes="已拆除")
    closed = Notification.objects.filter(event="item_verified").first()
    assert "期限:2026年11月19日\n" in closed.body + "\n" and "⟪" not in closed.body


def test_the_admin_delivery_log_shows_the_words_not_the_markers(rules, committed, admin_client_):
    with time_machine.travel(DAY_1, tick=False), committed():
        assign()
    delivery = Delivery.objects.filter(body__contains="⟪").first()
    assert delivery is not None
    with time_machine.travel(DAY_3, tick=False):
        listing = admin_client_.get(reverse("admin:notify_delivery_changelist"))
        page = admin_client_.get(reverse("admin:notify_delivery_change", args=[delivery.pk]))
    for response in (listing, page):
        assert response.status_code == 200
        assert "⟪" not in response.content.decode()
    assert "2026年11月20日(剩余1天)" in page.content.decode()
