"""Sending deliveries: one at a time, claimed so two workers never send the same one,
retried by the kind of failure, given up after the configured attempts (the Huey tasks call
these).

A robot's delivery first takes a token from the robot's budget (``robots.take_token``);
without one it waits, uncounted, until a token is free. A robot's refusal is classified:
too fast → wait the robot's block time; a bad key, address or signature → no retry, the
robot is marked broken; anything else (network, 5xx) → retry after 1, 4, 16 … minutes.
A delivery left "sending" by a killed worker is taken back after
``NOTIFY_STUCK_SENDING_MINUTES`` and sent again.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from tuijin.core import deadlines
from tuijin.core.rules_settings import setting
from tuijin.notify import channels, robots
from tuijin.notify.models import ROBOT_CHANNELS, Channel, Delivery, Notification

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 … minutes after the n-th failure."""
    return dt.timedelta(minutes=4 ** (attempts - 1))


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due and nobody else is sending it. Returns its status."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery_id,
        status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
    ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    delivery = Delivery.objects.select_related("recipient", "robot").get(pk=delivery_id)
    if not claimed:
        return delivery.status
    fields = ["status", "last_error", "next_attempt_at", "sent_at"]
    if delivery.channel in ROBOT_CHANNELS:
        held = _hold_for_robot(delivery, now)
        if held:
            delivery.attempts -= 1  # waiting for a token is not a failed attempt
            delivery.save(update_fields=[*fields, "attempts"])
            return delivery.status
    try:
        skipped = _send(delivery)
    except channels.DeliveryError as error:
        _failed(delivery, error, now)
    else:
        delivery.status = Delivery.Status.SKIPPED if skipped else Delivery.Status.SENT
        delivery.last_error = skipped or ""
        delivery.sent_at = None if skipped else timezone.now()
    delivery.save(update_fields=fields)
    return delivery.status


def _hold_for_robot(delivery: Delivery, now: dt.datetime) -> bool:
    """Keep a robot's delivery back (True) when its robot is gone or broken (given up) or
    its budget is spent (pending until a token is free)."""
    robot = delivery.robot
    if robot is None or robot.broken_at or not robot.is_active:
        delivery.status = Delivery.Status.GAVE_UP
        delivery.last_error = (
            f"群机器人已失效:{robot.broken_reason}"[:2000]
            if robot is not None and robot.broken_at
            else "群机器人已删除或停用"
        )
        return True
    wait = robots.take_token(robot, now)
    if not wait:
        return False
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = now + dt.timedelta(seconds=wait)
    return True


def _failed(delivery: Delivery, error: channels.DeliveryError, now: dt.datetime) -> None:
    delivery.last_error = str(error)[:2000]
    robot = delivery.robot if delivery.channel in ROBOT_CHANNELS else None
    kind = error.kind if robot is not None else channels.TRANSIENT
    if kind == channels.PERMANENT:
        # Retrying a refused key cannot help: stop, and tell who can fix it.
        delivery.status = Delivery.Status.GAVE_UP
        delivery.last_error = error.explain()[:2000]
        robots.mark_broken(robot, error.explain())
    elif delivery.attempts >= setting("DELIVERY_MAX_ATTEMPTS"):
        delivery.status = Delivery.Status.GAVE_UP
        logger.warning("delivery %s gave up after %s attempts", delivery.pk, delivery.attempts)
    elif kind == channels.RATE_LIMITED:
        delivery.status = Delivery.Status.FAILED
        delivery.last_error = error.explain()[:2000]
        delivery.next_attempt_at = robots.block(robot, now)
    else:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = now + backoff(delivery.attempts)


def _send(delivery: Delivery) -> str:
    """Send on the delivery's channel; returns a reason when there was nothing to send to."""
    if delivery.channel == Channel.IN_APP:
        Notification.objects.create(
            recipient=delivery.recipient,
            event=delivery.event,
            title=delivery.title,
            body=delivery.body,
            url=delivery.url,
        )
        return ""
    # Pushed now: the deadlines are put into words as of sending (the bell shows them as of
    # reading, see Notification.text).
    title, body = deadlines.render(delivery.title), deadlines.render(delivery.body)
    if delivery.channel == Channel.EMAIL:
        if not delivery.recipient.email:
            return "接收人未填写邮箱"
        channels.send_email(delivery.recipient.email, title, body, delivery.url)
    elif delivery.channel in ROBOT_CHANNELS:
        robots.post(delivery.robot, title, body, delivery.url, delivery.mentions or ())
    return ""


def reclaim_stuck(now: dt.datetime | None = None) -> int:
    """Deliveries left "sending" (their worker was killed mid-send) longer than
    ``NOTIFY_STUCK_SENDING_MINUTES`` go back to the retry queue. Returns how many.

    A worker killed after the robot accepted but before the row was saved makes this send
    the message twice; that is the price of never losing one.
    """
    now = now or timezone.now()
    minutes = getattr(settings, "NOTIFY_STUCK_SENDING_MINUTES", 10)
    cutoff = now - dt.timedelta(minutes=minutes)
    stuck = Delivery.objects.filter(
        Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True, created_at__lt=cutoff),
        status=Delivery.Status.SENDING,
    )
    count = stuck.update(
        status=Delivery.Status.FAILED,
        next_attempt_at=now,
        last_error=f"发送中断(超过 {minutes} 分钟仍在发送中),重新发送",
    )
    if count:
        logger.warning("reclaimed %s deliveries stuck in sending", count)
    return count


def deliver_due() -> int:
    """Take back stuck deliveries, retry failed ones whose wait has passed and send those
    held by quiet hours or a robot's budget."""
    reclaim_stuck()
    due = (
        Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
    return sum(deliver(pk) == Delivery.Status.SENT for pk in list(due))
