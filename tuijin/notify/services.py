"""The notification engine: events fan out by rules into deliveries; deliveries are sent,
retried with backoff, and never sent twice (a unique key per message and recipient)."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from tuijin.core.rules_settings import setting
from tuijin.notify import audiences, channels
from tuijin.notify.models import (
    PERSONAL_CHANNELS,
    ROBOT_CHANNELS,
    URGENT_EVENTS,
    Channel,
    Delivery,
    Notification,
    Preference,
    Rule,
    UnitRobot,
)

logger = logging.getLogger(__name__)


@dataclass
class Message:
    event: str
    key: str  # what makes this message unique: "item12:deadline2026-11-19", "item12:v5" …
    title: str
    body: str = ""
    url: str = ""


def publish(
    message: Message,
    *,
    unit=None,
    item=None,
    problem=None,
    extension=None,
    person=None,
    users=None,
) -> list[Delivery]:
    """Fan a message out by the active rules of its event. Returns the new deliveries (those
    already created by an earlier run are skipped: idempotent). Sending starts on commit."""
    created = []
    for rule in Rule.objects.filter(event=message.event, is_active=True):
        recipients = (
            users
            if users is not None
            else audiences.resolve(
                rule.audience,
                unit=unit,
                item=item,
                problem=problem,
                extension=extension,
                person=person,
            )
        )
        for channel in rule.channels:
            if channel in ROBOT_CHANNELS:
                for robot in UnitRobot.objects.filter(unit=unit, kind=channel, is_active=True):
                    created.append(_create(message, channel, robot=robot))
            elif channel in PERSONAL_CHANNELS:
                for user in recipients:
                    if wants(user, message.event, channel):
                        created.append(_create(message, channel, recipient=user))
    created = [d for d in created if d is not None]
    if created:
        ids = [d.pk for d in created]
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    from tuijin.notify.tasks import deliver_task

    for pk in ids:
        deliver_task(pk)


def preference(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def wants(user, event: str, channel: str) -> bool:
    pref = preference(user)
    if event in pref.muted_events:
        return False
    return channel != Channel.EMAIL or pref.email


def quiet_until(user, event: str, now: dt.datetime) -> dt.datetime | None:
    """End of the user's quiet hours if now falls inside them; overdue alerts ignore them."""
    pref = preference(user)
    if event in URGENT_EVENTS or not (pref.quiet_start and pref.quiet_end):
        return None
    local = timezone.localtime(now)
    start, end, t = pref.quiet_start, pref.quiet_end, local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)  # may span midnight
    if not inside:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end))


def _create(message: Message, channel: str, *, recipient=None, robot=None) -> Delivery | None:
    who = f"u{recipient.pk}" if recipient else f"r{robot.pk}"
    key = f"{message.event}:{message.key}:{channel}:{who}"[:200]
    now = timezone.now()
    later = quiet_until(recipient, message.event, now) if channel == Channel.EMAIL else None
    try:
        with transaction.atomic():  # a savepoint: a duplicate key must not spoil the caller
            return Delivery.objects.create(
                key=key,
                event=message.event,
                channel=channel,
                recipient=recipient,
                robot=robot,
                title=message.title[:200],
                body=message.body,
                url=message.url,
                next_attempt_at=later or now,
            )
    except IntegrityError:
        return None  # already created by an earlier run or another worker


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
    ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1)
    delivery = Delivery.objects.select_related("recipient", "robot").get(pk=delivery_id)
    if not claimed:
        return delivery.status
    try:
        skipped = _send(delivery)
    except channels.DeliveryError as error:
        delivery.last_error = str(error)[:2000]
        if delivery.attempts >= setting("DELIVERY_MAX_ATTEMPTS"):
            delivery.status = Delivery.Status.GAVE_UP
            logger.warning("delivery %s gave up after %s attempts", delivery.pk, delivery.attempts)
        else:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    else:
        delivery.status = Delivery.Status.SKIPPED if skipped else Delivery.Status.SENT
        delivery.last_error = skipped or ""
        delivery.sent_at = None if skipped else timezone.now()
    delivery.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at"])
    return delivery.status


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
    elif delivery.channel == Channel.EMAIL:
        if not delivery.recipient.email:
            return "接收人未填写邮箱"
        channels.send_email(delivery.recipient.email, delivery.title, delivery.body, delivery.url)
    elif delivery.channel == Channel.WECOM:
        channels.send_wecom(delivery.robot.webhook_url, delivery.title, delivery.body, delivery.url)
    elif delivery.channel == Channel.DINGTALK:
        channels.send_dingtalk(
            delivery.robot.webhook_url,
            delivery.robot.secret,
            delivery.title,
            delivery.body,
            delivery.url,
        )
    return ""


def deliver_due() -> int:
    """Retry failed deliveries whose backoff has passed and send those held by quiet hours."""
    due = Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED],
        next_attempt_at__lte=timezone.now(),
    ).values_list("pk", flat=True)[:500]
    return sum(deliver(pk) == Delivery.Status.SENT for pk in list(due))


# --- Reading ------------------------------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
