"""Ledger background work: time alone changes lights (a planned start month arrives)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tuijin.projects.models import Project
from tuijin.projects.services import freeze_due_periods, refresh_lights


@db_periodic_task(crontab(hour="1", minute="5"))
@lock_task("projects-daily-lights")
def daily_lights() -> None:
    """Every night: recompute every light for the new day, then freeze the period just due."""
    refresh_lights(Project.objects.all())
    freeze_due_periods()
