"""Supervision's periodic work on the Huey queue; each task calls one plain function."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tuijin.supervision.notifications import send_item_reminders


@db_periodic_task(crontab(minute="*/30"))
def item_reminders() -> None:
    send_item_reminders()
