"""The demo's clock (L11 part 8): the demo loaders run the services as of the story's days, so
what the services stamp (a report's time, a closing day) and the audit events they write carry
the story's dates, and a record's history agrees with its timeline.

Only for the demo loaders (``manage.py load_demo``, one thread, before anyone uses the site):
inside ``story_clock(moment)`` ``django.utils.timezone.now()`` answers ``moment`` (so do
``localdate()`` and ``auto_now`` fields). Audit events written inside are appended to the chain
like any other; the chain's order is its ``seq`` (commit order), not ``created_at``, so events
dated in the past verify as every other event (``core/chain.py``). ``load_demo`` seals them
at its end: an event left unsealed with a time in the past would be reported by
``verify_audit`` as unsealed beyond the grace period.
"""

import contextlib
import datetime as dt

from django.utils import timezone


@contextlib.contextmanager
def story_clock(moment: dt.datetime | None):
    """``timezone.now()`` is ``moment`` inside (``None``: the real clock, for today's steps)."""
    if moment is None:
        yield
        return
    real = timezone.now
    moment = moment.astimezone(dt.UTC)  # as the database gives it back: moves compare equal
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real
