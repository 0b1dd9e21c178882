"""The dashboard's periodic work on the Huey queue; each task calls one plain function."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tuijin.dashboard.digest import send_weekly_digests


@db_periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def weekly_digest() -> None:
    send_weekly_digests()
