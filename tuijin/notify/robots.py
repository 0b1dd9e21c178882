"""Group robots at real volume: the shared send budget, broken keys, the admin's test message.

WeCom and DingTalk robots accept 20 messages a minute each and refuse the rest (DingTalk then
blocks the robot for ten minutes). Every worker and process takes a token from the robot's
bucket in the database before posting (``take_token``); without one, the delivery waits
until a token comes back instead of being sent and refused. A robot that answers that its
key, address or signature is wrong is marked broken and the unit's head and the system
admins are told in-app (``mark_broken``); saving a new key clears it.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.notify import channels
from tuijin.notify.models import Channel, Event, Notification, RobotBucket, UnitRobot
from tuijin.org.models import Person, Role

logger = logging.getLogger(__name__)

WINDOW = 60.0  # seconds: a spent token comes back after a minute


def block_seconds(robot: UnitRobot) -> int:
    """How long the robot refuses everything after a "too fast" answer."""
    blocks = getattr(settings, "NOTIFY_ROBOT_BLOCK_SECONDS", {})
    return int(blocks.get(robot.kind, 600))


def take_token(robot: UnitRobot, now: dt.datetime | None = None) -> float:
    """Take one send from the robot's budget. Returns 0 when taken (post now), otherwise the
    seconds until a token is free (nothing taken: come back then).

    The bucket row is locked (SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction
    serialises writers), so workers and processes share one budget.
    """
    now = now or timezone.now()
    moment = now.timestamp()
    with transaction.atomic():
        RobotBucket.objects.get_or_create(robot=robot)
        bucket = RobotBucket.objects.select_for_update().get(robot=robot)
        if bucket.blocked_until and bucket.blocked_until > now:
            return (bucket.blocked_until - now).total_seconds()
        recent = sorted(t for t in bucket.sent if t > moment - WINDOW)
        capacity = max(robot.rate, 1)
        if len(recent) >= capacity:
            # The oldest of the last `capacity` sends frees its token first.
            return max(recent[-capacity] + WINDOW - moment, 0.001)
        bucket.sent = [*recent, moment]
        bucket.save(update_fields=["sent"])
        return 0.0


def block(robot: UnitRobot, now: dt.datetime | None = None) -> dt.datetime:
    """The robot said "too fast": nothing goes to it for its block time. Returns the end."""
    until = (now or timezone.now()) + dt.timedelta(seconds=block_seconds(robot))
    with transaction.atomic():
        RobotBucket.objects.get_or_create(robot=robot)
        RobotBucket.objects.filter(robot=robot).update(blocked_until=until)
    return until


def mark_broken(robot: UnitRobot, reason: str) -> bool:
    """Stop using a robot whose key, address or signature was refused, and tell the unit's
    head and the system admins in-app. Returns False if it was already marked."""
    with transaction.atomic():
        robot = UnitRobot.objects.select_for_update().get(pk=robot.pk)
        if robot.broken_at:
            return False
        robot.broken_at, robot.broken_reason = timezone.now(), reason[:2000]
        with audit_context(action="mark_broken"):
            robot.save(update_fields=["broken_at", "broken_reason"])
        # Straight to the bell (once per breakdown): an operational alarm, not a rule's event.
        Notification.objects.bulk_create(
            Notification(
                recipient=user,
                event=Event.ROBOT_BROKEN,
                title=f"群机器人失效:{robot}",
                body=f"{reason}\n已停止向该机器人发送消息,请更换 Webhook 地址或加签密钥。",
                url=robot.get_absolute_url(),
            )
            for user in keepers(robot)
        )
    logger.warning("robot %s marked broken: %s", robot.pk, reason)
    return True


def keepers(robot: UnitRobot) -> list:
    """Who looks after a unit's robot: the unit's heads and the system admins."""
    from django.contrib.auth import get_user_model

    people = Person.objects.filter(unit=robot.unit, role=Role.UNIT_HEAD) | Person.objects.filter(
        role=Role.ADMIN
    )
    ids = set(people.filter(is_active=True, user__isnull=False).values_list("user_id", flat=True))
    users = get_user_model().objects.filter(is_active=True)
    return list(users.filter(pk__in=ids) | users.filter(is_superuser=True))


def post(robot: UnitRobot, title: str, body: str, url: str, mentions=()) -> None:
    """Post to the robot on its channel (raises ``channels.DeliveryError``)."""
    if robot.kind == Channel.WECOM:
        channels.send_wecom(robot.webhook_url, title, body, url, mentions=mentions)
    else:
        channels.send_dingtalk(robot.webhook_url, robot.secret, title, body, url, mentions=mentions)


def send_test_message(robot: UnitRobot) -> tuple[bool, str]:
    """发送测试消息: post a test message now. Returns (sent, a Chinese result for the admin).

    It spends a token like any message; a refused key marks the robot broken, a success
    clears a broken mark (the admin fixed it in the group's settings).
    """
    wait = take_token(robot)
    if wait:
        return False, f"发送过于频繁,请 {int(wait) + 1} 秒后再试"
    try:
        post(
            robot,
            "推进平台测试消息",
            f"这是一条测试消息,发送时间 {cn_date(timezone.now())}。",
            "",
        )
    except channels.DeliveryError as error:
        if error.kind == channels.PERMANENT:
            mark_broken(robot, error.explain())
            return False, f"测试消息发送失败,已将机器人标记为失效。{error.explain()}"
        if error.kind == channels.RATE_LIMITED:
            block(robot)
        return False, f"测试消息发送失败。{error.explain()}"
    if robot.broken_at:
        robot.broken_at, robot.broken_reason = None, ""
        with audit_context(action="repair"):
            robot.save(update_fields=["broken_at", "broken_reason"])
    return True, "测试消息发送成功"
