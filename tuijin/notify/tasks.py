"""Notification work on the Huey queue; each task calls one engine function."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from tuijin.notify import events, services


@db_task()
def deliver_task(delivery_id: int) -> str:
    return services.deliver(delivery_id)


@db_periodic_task(crontab(minute="*"))
@lock_task("notify-deliver-due")
def deliver_due() -> None:
    services.deliver_due()


@db_periodic_task(crontab(minute="*/30"))
def item_reminders() -> None:
    events.send_item_reminders()


@db_periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def weekly_digest() -> None:
    events.send_weekly_digests()
