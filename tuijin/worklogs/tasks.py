"""Weekend reminders on the Huey queue."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tuijin.worklogs import services


# Every half hour on Saturday and Sunday; the service sends from WORKLOG_REMINDER_HOUR on,
# once a day per cadre, so an admin can move the hour without touching the schedule.
@db_periodic_task(crontab(day_of_week="6,0", minute="*/30"))
@lock_task("worklogs-weekend-reminders")
def weekend_reminders() -> None:
    services.send_weekend_reminders()
