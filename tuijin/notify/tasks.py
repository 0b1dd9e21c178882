"""Delivery work on the Huey queue; each task calls one function of ``delivery.py``.

The apps' own periodic work (督办 reminders, the weekly digest) is in their ``tasks.py``.
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from tuijin.notify import delivery
from tuijin.notify.models import ROBOT_CHANNELS, Delivery


@db_task()
def deliver_task(delivery_id: int) -> str:
    status = delivery.deliver(delivery_id)
    if status == Delivery.Status.PENDING:
        # A robot's delivery waiting for a token: queued again for when one is free
        # (deliver_due, every minute, is the safety net).
        row = Delivery.objects.filter(pk=delivery_id, channel__in=ROBOT_CHANNELS).first()
        if row and row.next_attempt_at:
            wait = (row.next_attempt_at - timezone.now()).total_seconds()
            deliver_task.schedule((delivery_id,), delay=max(wait, 0.0))
    return status


@db_task()
def deliver_batch_task(delivery_ids: list[int]) -> None:
    """Deliveries of a large fan-out (a periodic job's), sent one after another by one worker:
    one queued task per batch instead of per delivery (enqueueing is the cost at thousands)."""
    for delivery_id in delivery_ids:
        deliver_task.call_local(delivery_id)


@db_periodic_task(crontab(minute="*"))
@lock_task("notify-deliver-due")
def deliver_due() -> None:
    # Also takes back deliveries left "sending" by a killed worker.
    delivery.deliver_due()
