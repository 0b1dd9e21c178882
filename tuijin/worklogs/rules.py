"""Who owes a weekend log and who wrote it; which key enterprises and projects nobody visited.

Plain functions over querysets, a fixed number of queries each, whatever the number of
people or records.

Weekend logs (DESIGN §2 "各部门干部继续书写周末日志"):
* a cadre on the roster (``Duty``) owes one weekend log for each weekend whose Sunday is on
  or after the day they joined it, unless leave or an exemption overlaps that weekend;
* the log is on time when first submitted before Sunday 24:00 plus ``WORKLOG_GRACE_HOURS``,
  late after that, missing when there is none once that moment has passed, and pending
  before it.

Visits: a key enterprise or project counts as visited when its 包保 leader or someone of its
responsible unit (or a unit under it) recorded a visit; it is listed when that last happened
more than ``VISIT_STALE_DAYS`` days ago, or never.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tuijin.core.rules_settings import setting
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Enterprise, KeyLevel, Project
from tuijin.worklogs.models import Duty, Exemption, Visit, WorkLog

ON_TIME, LATE, MISSING, PENDING, EXEMPT = "on_time", "late", "missing", "pending", "exempt"
STATUS_LABELS = {
    ON_TIME: gettext_lazy("按时提交"),
    LATE: gettext_lazy("迟交"),
    MISSING: gettext_lazy("未提交"),
    PENDING: gettext_lazy("待提交"),
    EXEMPT: gettext_lazy("请假/免报"),
}


def weekend_deadline(saturday: dt.date) -> dt.datetime:
    """Sunday 24:00 of that weekend plus the grace hours, in the zone's time zone."""
    monday = dt.datetime.combine(saturday + dt.timedelta(days=2), dt.time())
    return timezone.make_aware(monday) + dt.timedelta(hours=setting("WORKLOG_GRACE_HOURS"))


def status_of(first_submitted: dt.datetime | None, deadline: dt.datetime, now) -> str:
    if first_submitted is not None:
        return ON_TIME if first_submitted <= deadline else LATE
    return MISSING if now > deadline else PENDING


@dataclass
class Row:
    person: Person
    status: str
    submitted_at: dt.datetime | None = None
    exemption: Exemption | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class UnitTally:
    unit: Unit
    rows: list[Row] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def owed(self) -> int:
        return sum(1 for row in self.rows if row.status != EXEMPT)

    @property
    def submitted(self) -> int:
        return self.count(ON_TIME) + self.count(LATE)

    @property
    def rate(self) -> float | None:
        """Share of owed logs submitted (on time or late), None when nobody owed one."""
        return self.submitted / self.owed if self.owed else None

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUS_LABELS}


def weekend_roster(units, saturday: dt.date, now: dt.datetime | None = None) -> list[UnitTally]:
    """Per unit (in tree order): each cadre on the roster and their status for that weekend.

    Three queries: the roster, the exemptions overlapping the weekend, the first submission
    time of each author's weekend logs.
    """
    now = now or timezone.now()
    sunday = saturday + dt.timedelta(days=1)
    deadline = weekend_deadline(saturday)
    duties = list(
        Duty.objects.filter(person__unit__in=units, person__is_active=True, since__lte=sunday)
        .select_related("person__unit")
        .order_by("person__unit__path", "person__name")
    )
    people = [d.person_id for d in duties]
    exemptions = {
        e.person_id: e
        for e in Exemption.objects.filter(person__in=people, start__lte=sunday, end__gte=saturday)
    }
    first = dict(
        WorkLog.objects.filter(author__in=people, kind=WorkLog.Kind.WEEKEND, weekend=saturday)
        .values("author")
        .annotate(first=Min("submitted_at"))
        .values_list("author", "first")
    )
    tallies: dict[int, UnitTally] = {}
    for duty in duties:
        person = duty.person
        tally = tallies.setdefault(person.unit_id, UnitTally(person.unit))
        submitted = first.get(person.pk)
        if person.pk in exemptions and submitted is None:
            tally.rows.append(Row(person, EXEMPT, exemption=exemptions[person.pk]))
        else:
            tally.rows.append(Row(person, status_of(submitted, deadline, now), submitted))
    return list(tallies.values())


def owing_reminder(saturday: dt.date, now: dt.datetime | None = None) -> list[Person]:
    """Cadres on the roster, not exempt, with no weekend log yet for that weekend."""
    rows = weekend_roster(Unit.objects.all(), saturday, now)
    return [row.person for tally in rows for row in tally.rows if row.status in (PENDING, MISSING)]


# --- Visits ---------------------------------------------------------------------------------


def _visits_annotations(kind: str, today: dt.date) -> dict:
    """Subqueries per record: last visit (date, visitor), visits this month, last visit by
    its 包保 leader or responsible unit (including units below it)."""
    visits = Visit.objects.filter(**{kind: OuterRef("pk")})
    leaders = "assigned_enterprises" if kind == "enterprise" else "assigned_projects"
    by_duty = visits.filter(
        Q(**{f"visitor__{leaders}": OuterRef("pk")})
        | Q(visitor__unit__path__startswith=OuterRef("unit__path"))
    )
    latest = visits.order_by("-visited_on", "-pk")
    month = visits.filter(visited_on__gte=today.replace(day=1), visited_on__lte=today)
    return {
        "last_visit_on": Subquery(latest.values("visited_on")[:1]),
        "last_visitor": Subquery(latest.values("visitor__name")[:1]),
        "month_visits": Coalesce(
            Subquery(month.order_by().values(kind).annotate(n=Count("pk")).values("n")[:1]),
            0,
        ),
        "last_duty_visit_on": Subquery(by_duty.order_by("-visited_on").values("visited_on")[:1]),
    }


def days_since(day: dt.date | None, today: dt.date) -> int | None:
    return None if day is None else (today - day).days


def is_stale(last_duty_visit: dt.date | None, today: dt.date, days: int) -> bool:
    """Not visited by its leader or unit for more than `days` days (or never)."""
    return last_duty_visit is None or (today - last_duty_visit).days > days


def key_enterprises(user, today: dt.date):
    return (
        Enterprise.objects.visible_to(user)
        .filter(is_key=True)
        .select_related("unit", "park")
        .annotate(**_visits_annotations("enterprise", today))
    )


def key_projects(user, today: dt.date):
    return (
        Project.objects.visible_to(user)
        .exclude(key_level=KeyLevel.NONE)
        .select_related("unit", "park")
        .annotate(**_visits_annotations("project", today))
    )


def stale_filter(queryset, today: dt.date, days: int):
    """Only records whose last leader-or-unit visit is older than `days` days, or missing."""
    cutoff = today - dt.timedelta(days=days)
    return queryset.filter(Q(last_duty_visit_on__isnull=True) | Q(last_duty_visit_on__lt=cutoff))
