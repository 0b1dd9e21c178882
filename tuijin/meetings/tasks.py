from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tuijin.meetings.services import schedule_recurring


@db_periodic_task(crontab(hour="6", minute="10"))
@lock_task("meetings-schedule")
def schedule_meetings() -> None:
    """Every morning: the weekly meetings of the coming weeks exist (idempotent per slot)."""
    schedule_recurring()
