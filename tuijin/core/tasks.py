"""Core background tasks (Huey). Each task only calls a plain function."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tuijin.core import (
    health,
    jobs,  # noqa: F401  (registers run_job and the cleanup with the worker)
)
from tuijin.core.audit import verify_chain

logger = logging.getLogger(__name__)


def check_audit_chain() -> dict:
    checked, broken = verify_chain()
    if broken is not None:
        logger.error("audit chain broken at event #%s after %s intact events", broken.pk, checked)
    return {"checked": checked, "broken": broken.pk if broken else None}


@db_task()
def verify_audit_chain() -> dict:
    """On demand; its result is kept (periodic tasks keep none)."""
    return check_audit_chain()


@db_periodic_task(crontab(hour="3", minute="17"))
def nightly_audit_check() -> None:
    check_audit_chain()


@db_periodic_task(crontab(minute="*"))
def consumer_heartbeat() -> None:
    """/healthz reads this: the consumer is alive and its scheduler runs."""
    health.beat()
