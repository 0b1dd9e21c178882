"""Sending deliveries: one at a time, claimed so two workers never send the same one,
retried with backoff, given up after the configured attempts (the Huey tasks call these)."""

import datetime as dt
import logging

from django.db.models import F, Q
from django.utils import timezone

from tuijin.core.rules_settings import setting
from tuijin.notify import channels
from tuijin.notify.models import Channel, Delivery, Notification

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
