"""Core background tasks (Huey). Each task only calls a plain function."""

import logging

from django.core.cache import cache
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tuijin.core import (
    health,
    jobs,  # noqa: F401  (registers run_job and the cleanup with the worker)
)
from tuijin.core.chain import (
    SEAL_NUDGE_KEY,
    publish_anchor,
    seal_audit_chain,
    stale_unsealed,
    verify_anchors,
    verify_chain,
)

logger = logging.getLogger(__name__)


def check_audit_chain() -> dict:
    checked, broken = verify_chain()
    if broken is not None:
        logger.error("audit chain broken at event #%s after %s intact events", broken.pk, checked)
    anchors, problems = verify_anchors()
    for problem in problems:
        logger.error("audit anchor: %s", problem)
    stale = stale_unsealed().count()
    if stale:
        logger.error("%s audit events are still unsealed past the grace period", stale)
    return {
        "checked": checked,
        "broken": broken.pk if broken else None,
        "anchors": anchors,
        "anchor_problems": len(problems),
        "unsealed": stale,
    }


@db_task()
def verify_audit_chain() -> dict:
    """On demand; its result is kept (periodic tasks keep none)."""
    return check_audit_chain()


@db_periodic_task(crontab(hour="3", minute="17"))
def nightly_audit_check() -> None:
    check_audit_chain()


@db_task()
def seal_audit_task() -> int:
    """Queued (debounced) when a transaction that wrote audit events commits."""
    cache.delete(SEAL_NUDGE_KEY)  # commits from now on queue the next run
    return seal_audit_chain()


@db_periodic_task(crontab(minute="*"))
def seal_audit_periodic() -> None:
    """The safety net: events whose nudge was lost (a restart, a cache outage) wait a minute."""
    seal_audit_chain()


@db_periodic_task(crontab(hour="0", minute="5"))
def anchor_audit_chain() -> None:
    """The day's anchor: the sealed head to the anchor file and the inspectors' inbox."""
    publish_anchor()


@db_periodic_task(crontab(minute="*"))
def consumer_heartbeat() -> None:
    """/healthz reads this: the consumer is alive and its scheduler runs."""
    health.beat()
