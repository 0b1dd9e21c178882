"""Group robots at real volume (H9): the per-robot budget, refusals by kind, stuck deliveries,
@mentions, masked keys and the admin's 发送测试消息 — against the local HTTP receiver."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.notify import channels, delivery
from tuijin.notify.channels import DeliveryError
from tuijin.notify.models import Delivery, Notification, Rule, UnitRobot
from tuijin.org.models import Unit
from tuijin.supervision.notifications import send_item_reminders
from tuijin.supervision.tests.factories import make_item

NOV_17 = dt.datetime(2026, 11, 17, 2, tzinfo=dt.UTC)  # Tuesday 10:00 in Shanghai
KEY = "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture
def rules(org):
    Rule.ensure_defaults()


def robot(receiver, kind="wecom", **fields):
    path = "/cgi-bin/webhook/send?key=" if kind == "wecom" else "/robot/send?access_token="
    return UnitRobot.objects.create(
        unit=Unit.objects.get(name="经济发展局"),
        kind=kind,
        webhook_url=receiver.url(path + KEY),
        **fields,
    )


def due_today(count: int) -> None:
    for number in range(count):
        make_item(deadline=dt.date(2026, 11, 17), title=f"到期事项{number + 1}")


def busiest_minute(requests) -> int:
    times = sorted(r.at for r in requests)
    return max((sum(1 for t in times if s <= t < s + 60) for s in times), default=0)


# --- The budget -------------------------------------------------------------------------------


def test_31_messages_to_one_robot_go_20_a_minute_and_none_is_refused(rules, receiver, committed):
    receiver.per_minute = 20  # the receiver refuses the 21st in a minute, as WeCom does
    wecom = robot(receiver)
    with time_machine.travel(NOV_17, tick=False) as clock:
        due_today(31)
        with committed():
            send_item_reminders()
        assert len(receiver.requests) == 20
        waiting = Delivery.objects.filter(robot=wecom, status="pending")
        assert waiting.count() == 11
        # They wait for the first token to come back, uncounted.
        assert {d.next_attempt_at for d in waiting} == {NOV_17 + dt.timedelta(seconds=60)}
        assert {d.attempts for d in waiting} == {0}
        clock.shift(dt.timedelta(seconds=59))
        delivery.deliver_due()
        assert len(receiver.requests) == 20
        clock.shift(dt.timedelta(seconds=2))
        delivery.deliver_due()
    assert len(receiver.requests) == 31
    assert receiver.refused == []
    assert busiest_minute(receiver.requests) <= 20
    assert Delivery.objects.filter(robot=wecom, status="sent").count() == 31


def test_a_robots_own_rate_overrides_the_default(rules, receiver, committed):
    robot(receiver, rate_per_minute=5)
    with time_machine.travel(NOV_17, tick=False):
        due_today(8)
        with committed():
            send_item_reminders()
    assert len(receiver.requests) == 5


def test_the_budget_is_per_robot(rules, receiver, settings):
    settings.NOTIFY_ROBOT_RATE_PER_MINUTE = 2
    from tuijin.notify import robots

    first, second = robot(receiver), robot(receiver, kind="dingtalk")
    with time_machine.travel(NOV_17, tick=False):
        assert [robots.take_token(first) for _ in range(2)] == [0, 0]
        assert robots.take_token(first) == 60
        assert robots.take_token(second) == 0


# --- Refusals by kind -------------------------------------------------------------------------


def test_errors_are_classified_by_the_robots_real_codes():
    def kind(**answer):
        return DeliveryError("x", **answer).kind

    assert kind(errcode=45009) == kind(errcode=130101) == kind(status=429) == channels.RATE_LIMITED
    assert kind(errcode=93000) == kind(errcode=300001) == kind(errcode="310000") == "permanent"
    assert kind(status=400) == kind(status=404) == channels.PERMANENT
    assert kind(status=502) == kind() == kind(errcode=-1) == channels.TRANSIENT


@pytest.mark.parametrize(
    "failure",
    [
        {"kind": "errcode", "body": {"errcode": 93000, "errmsg": "invalid webhook url"}},
        {"kind": "http", "status": 400},
        {"kind": "errcode", "body": {"errcode": 300001, "errmsg": "token is not exist"}},
    ],
)
def test_a_refused_key_is_not_retried_and_marks_the_robot_broken(
    rules, receiver, committed, failure
):
    wecom = robot(receiver)
    receiver.fail_next(1, **failure)
    with time_machine.travel(NOV_17, tick=False) as clock:
        make_item(deadline=dt.date(2026, 11, 17))
        with committed():
            send_item_reminders()
        sent = Delivery.objects.get(robot=wecom)
        assert (sent.status, sent.attempts) == ("gave_up", 1)
        assert "机器人配置无效" in sent.last_error
        clock.shift(dt.timedelta(hours=3))
        delivery.deliver_due()
        # Nothing new goes to a broken robot.
        make_item(deadline=dt.date(2026, 11, 17), title="另一项")
        with committed():
            send_item_reminders()
    assert len(receiver.requests) == 1
    wecom.refresh_from_db()
    assert wecom.broken_at is not None and "机器人配置无效" in wecom.broken_reason
    told = Notification.objects.filter(event="robot_broken")
    assert {n.recipient.username for n in told} == {"jingfa", "admin"}  # the head, the admins
    assert AuditEvent.objects.filter(
        model="notify.unitrobot", object_id=str(wecom.pk), action="mark_broken"
    ).exists()
    # A new key is worth trying again.
    wecom.webhook_url = receiver.url("/cgi-bin/webhook/send?key=new-key-0001")
    wecom.save()
    assert wecom.broken_at is None


@pytest.mark.parametrize(
    ("kind", "answer", "block"),
    [
        ("dingtalk", {"errcode": 130101, "errmsg": "send too fast"}, 600),
        ("wecom", {"errcode": 45009, "errmsg": "api freq out of limit"}, 60),
    ],
)
def test_a_rate_limited_answer_waits_the_robots_block_time(
    rules, receiver, committed, kind, answer, block
):
    bot = robot(receiver, kind=kind)
    receiver.fail_next(1, "errcode", body=answer)
    with time_machine.travel(NOV_17, tick=False) as clock:
        make_item(deadline=dt.date(2026, 11, 17))
        with committed():
            send_item_reminders()
        held = Delivery.objects.get(robot=bot)
        assert held.status == "failed"
        assert held.next_attempt_at == NOV_17 + dt.timedelta(seconds=block)
        assert "发送过于频繁" in held.last_error
        clock.shift(dt.timedelta(seconds=block - 1))
        delivery.deliver_due()
        assert len(receiver.requests) == 1  # still blocked
        clock.shift(dt.timedelta(seconds=2))
        delivery.deliver_due()
    held.refresh_from_db()
    assert (held.status, len(receiver.requests)) == ("sent", 2)


# --- Stuck deliveries -------------------------------------------------------------------------


def test_a_delivery_left_sending_by_a_killed_worker_is_sent_again(rules, receiver):
    wecom = robot(receiver)
    with time_machine.travel(NOV_17, tick=False) as clock:
        stuck, fresh = (
            Delivery.objects.create(
                key=f"t:{n}",
                event="item_urged",
                channel="wecom",
                robot=wecom,
                title=f"催办{n}",
                status="sending",
                attempts=1,
                claimed_at=NOV_17,
            )
            for n in (1, 2)
        )
        clock.shift(dt.timedelta(minutes=5))
        fresh.claimed_at = NOV_17 + dt.timedelta(minutes=5)
        fresh.save()
        delivery.deliver_due()
        assert len(receiver.requests) == 0  # 5 minutes may still be a slow send
        clock.shift(dt.timedelta(minutes=6))
        delivery.deliver_due()
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert fresh.status == "sending"
    assert [r.json["markdown"]["content"].splitlines()[0] for r in receiver.requests] == [
        "### 催办1"
    ]


# --- @mentions --------------------------------------------------------------------------------


def test_robots_mention_the_responsible_person_by_mobile(rules, receiver, committed):
    staff = get_user_model().objects.get(username="jingfa_staff").person
    staff.phone = "138-0722-1234"
    staff.save()
    wecom, ding = robot(receiver), robot(receiver, kind="dingtalk")
    with time_machine.travel(NOV_17, tick=False):
        make_item(deadline=dt.date(2026, 11, 17), responsible=staff)
        with committed():
            send_item_reminders()
    by_path = {r.path: r.json for r in receiver.requests}
    assert by_path["/cgi-bin/webhook/send"]["msgtype"] == "text"
    assert by_path["/cgi-bin/webhook/send"]["text"]["mentioned_mobile_list"] == ["13807221234"]
    assert by_path["/robot/send"]["at"] == {"atMobiles": ["13807221234"], "isAtAll": False}
    assert "@13807221234" in by_path["/robot/send"]["markdown"]["text"]
    assert Delivery.objects.get(robot=wecom).mentions == ["13807221234"]
    assert Delivery.objects.get(robot=ding).status == "sent"


def test_a_wecom_text_message_stays_under_2048_bytes_with_its_link():
    payload = channels.wecom_payload(
        "标题", "很长的说明" * 500, "https://x.example/i/7", ["13800000000"]
    )
    content = payload["text"]["content"]
    assert len(content.encode()) <= 2048
    assert content.endswith("…\n查看详情:https://x.example/i/7")


# --- Admin: masked keys, audit, 发送测试消息 ---------------------------------------------------


def test_keys_are_masked_in_the_admin_and_the_audit_trail(rules, receiver, admin_client_):
    bot = robot(receiver, kind="dingtalk", secret="SEC0123456789abcdefwxyz")
    change = reverse("admin:notify_unitrobot_change", args=[bot.pk])
    for url in (reverse("admin:notify_unitrobot_changelist"), change):
        html = admin_client_.get(url).content.decode()
        assert "****5aaa" in html and "****wxyz" in html
        assert KEY not in html and "SEC0123456789" not in html
    events = AuditEvent.objects.filter(model="notify.unitrobot", object_id=str(bot.pk))
    assert events.exists()
    assert all(KEY not in str(e.changes) and "SEC01" not in str(e.changes) for e in events)


def test_saving_with_empty_boxes_keeps_the_key_and_a_new_one_replaces_it(
    rules, receiver, admin_client_
):
    bot = robot(receiver, kind="dingtalk", secret="SEC0123456789abcdefwxyz")
    url = reverse("admin:notify_unitrobot_change", args=[bot.pk])
    form = {
        "unit": bot.unit_id,
        "kind": "dingtalk",
        "webhook_url": "",
        "secret": "",
        "is_active": "on",
    }
    assert admin_client_.post(url, form).status_code == 302
    bot.refresh_from_db()
    assert (bot.webhook_url, bot.secret) == (
        receiver.url("/robot/send?access_token=" + KEY),
        "SEC0123456789abcdefwxyz",
    )
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    new = "https://oapi.dingtalk.com/robot/send?access_token=new0new0"
    assert admin_client_.post(url, {**form, "webhook_url": new}).status_code == 302
    bot.refresh_from_db()
    assert (bot.webhook_url, bot.webhook_hint) == (new, "****new0")
    change = AuditEvent.objects.filter(model="notify.unitrobot", pk__gt=before).get()
    assert change.changes["webhook_hint"] == ["****5aaa", "****new0"]
    assert "credentials_changed_at" in change.changes


def test_the_add_form_asks_for_the_address_and_shows_no_empty_masks(rules, admin_client_):
    add = reverse("admin:notify_unitrobot_add")
    html = admin_client_.get(add).content.decode()
    assert 'name="webhook_url"' in html and 'name="clear_secret"' not in html
    assert "Webhook(掩码)" not in html and "状态" not in html
    unit = Unit.objects.get(name="经济发展局")
    response = admin_client_.post(add, {"unit": unit.pk, "kind": "wecom", "is_active": "on"})
    assert response.status_code == 200 and "请填写 Webhook 地址" in response.content.decode()
    assert not UnitRobot.objects.exists()


def test_the_change_form_has_no_view_on_site_link_to_itself(rules, receiver, admin_client_):
    bot = robot(receiver)
    html = admin_client_.get(reverse("admin:notify_unitrobot_change", args=[bot.pk])).content
    assert "viewsitelink" not in html.decode()


def test_the_test_button_sends_now_and_shows_the_result(rules, receiver, admin_client_):
    bot = robot(receiver)
    change = reverse("admin:notify_unitrobot_change", args=[bot.pk])
    test = reverse("admin:notify_unitrobot_test", args=[bot.pk])
    assert f'action="{test}"' in admin_client_.get(change).content.decode()

    response = admin_client_.post(test, follow=True)
    assert response.redirect_chain == [(change, 302)]
    assert "测试消息发送成功" in response.content.decode()
    assert "测试消息" in receiver.last.json["markdown"]["content"]

    receiver.fail_next(1, "errcode", body={"errcode": 93000, "errmsg": "invalid webhook url"})
    html = admin_client_.post(test, follow=True).content.decode()
    assert "测试消息发送失败" in html and "机器人配置无效" in html and "93000" in html
    bot.refresh_from_db()
    assert bot.broken_at is not None


def test_the_test_button_is_a_csrf_checked_post_for_admins_only(rules, receiver, staff):
    bot = robot(receiver)
    test = reverse("admin:notify_unitrobot_test", args=[bot.pk])
    admin = get_user_model().objects.get(username="admin")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin)
    assert strict.post(test).status_code == 403  # no CSRF token
    assert strict.get(test).status_code == 405
    # Not staff: the admin site sends them to its login page.
    response = staff.post(test)
    assert response.status_code == 302 and "/login/" in response["Location"]
    # Staff without the right to change robots: refused.
    clerk = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
    other = Client()
    other.force_login(clerk)
    assert other.post(test).status_code == 403
    assert receiver.requests == []
