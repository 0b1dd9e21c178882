"""Background work of the integrity app: the hourly scan for talks the workflow asks for."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tuijin.integrity.triggers import scan


@db_periodic_task(crontab(minute="23"))
def open_due_talks() -> None:
    """A project about to start, tender or be accepted, a new unit head: a due talk."""
    scan()
