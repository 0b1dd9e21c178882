"""The dashboard's periodic work on the Huey queue; each task calls one plain function."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tuijin.dashboard import services
from tuijin.dashboard.digest import send_weekly_digests


@db_periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def weekly_digest() -> None:
    send_weekly_digests()


# Every quarter of an hour on Monday; the service builds and sends from WEEKLY_REPORT_TIME
# (07:30 unless set) on, once per zone and week, so the hour is a setting, not the schedule.
@db_periodic_task(crontab(day_of_week="1", minute="*/15"))
@lock_task("dashboard-monday-report")
def monday_report() -> None:
    services.send_monday_reports()
