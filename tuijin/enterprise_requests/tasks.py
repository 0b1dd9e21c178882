"""Enterprise requests' periodic work on the Huey queue; the task calls one plain function."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from tuijin.enterprise_requests.services import escalate_overdue


@db_periodic_task(crontab(hour="7", minute="20"))
@lock_task("enterprise-requests-escalate")
def escalate_overdue_requests() -> None:
    """Every morning: requests past a clock become 督办 items (once each)."""
    escalate_overdue()
