"""Delivery work on the Huey queue; each task calls one function of ``delivery.py``.

The apps' own periodic work (督办 reminders, the weekly digest) is in their ``tasks.py``.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from tuijin.notify import delivery


@db_task()
def deliver_task(delivery_id: int) -> str:
    return delivery.deliver(delivery_id)


@db_periodic_task(crontab(minute="*"))
@lock_task("notify-deliver-due")
def deliver_due() -> None:
    # Also takes back deliveries left "sending" by a killed worker.
    delivery.deliver_due()
