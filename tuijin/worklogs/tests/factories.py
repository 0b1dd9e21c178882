"""Builders for work log tests (the `org` fixture provides units and people)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.org.models import Person
from tuijin.worklogs import services
from tuijin.worklogs.models import Duty, WorkLog
from tuijin.worklogs.services import VisitInput

SAT = dt.date(2026, 11, 21)  # a weekend: Saturday 21, Sunday 22 November 2026
SUN = SAT + dt.timedelta(days=1)


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


def user(username: str):
    return get_user_model().objects.get(username=username)


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def on_roster(*usernames, since=dt.date(2026, 1, 1)) -> list[Duty]:
    return [Duty.objects.create(person=person(u), since=since) for u in usernames]


def make_log(
    username="jingfa_staff",
    day=SAT,
    kind=WorkLog.Kind.WEEKEND,
    text="走访企业,协调用电问题。",
    visits=(),
    submitted=None,
) -> WorkLog:
    """A log written through the service, its submission time then set as given."""
    log = services.write_log(user(username), kind=kind, date=day, text=text, visits=list(visits))
    if submitted is not None:
        WorkLog.objects.filter(pk=log.pk).update(submitted_at=submitted)
        log.refresh_from_db()
    return log


def visit_to(subject, purpose="了解进度", **fields) -> VisitInput:
    from tuijin.projects.models import Enterprise

    key = "enterprise" if isinstance(subject, Enterprise) else "project"
    return VisitInput(**{key: subject}, purpose=purpose, **fields)
