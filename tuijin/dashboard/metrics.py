"""The zone's figures, from one place (D16 item 5).

Every figure the home pages, the cockpit, the big screen, the park and unit pages and the
Monday report show is computed here (or, for the 督办 board's per-unit counts, in
``supervision.queries``, which this module calls: the board cannot import upwards), so two
pages never disagree about the same number.

Each function takes a ``Scope`` (the units whose records count) and plain dates, returns
plain dicts and lists (JSON-ready: numbers, strings, URLs) and runs a constant number of
queries whatever the number of records. A ``Scope`` is built from a user
(``Scope.of_user``: the records they see by ownership, through ``org.models.unit_scope``)
or from a unit (``Scope.of_unit``: that unit's subtree, for a park or unit page whose view
has already checked the reader may see it). A unit head's scope is their unit's subtree
only: records they see as a person (包保 projects elsewhere) are not counted, so their
cockpit holds no other unit's figures.

Every figure carries the URL of the list it summarises, with the same filter in the query
string (the ledger ``?park=…&light=red``, the 督办 board ``?view=overdue&lead_unit=…``, the
problems list ``?category=…``, the weekend-log submissions ``?weekend=…``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tuijin.core.rules_settings import setting
from tuijin.org.models import Unit, home_unit, unit_scope
from tuijin.projects.charts import month_label
from tuijin.projects.lights import elapsed_months
from tuijin.projects.models import (
    NOT_STARTED_STAGES,
    AnnualPlan,
    Light,
    ProgressReport,
    Project,
    Stage,
)
from tuijin.projects.reasons import reason_text
from tuijin.supervision.filters import OPEN, due_this_week_q, overdue_q
from tuijin.supervision.models import ItemState, Problem, ProblemCategory, SupervisionItem
from tuijin.supervision.queries import unit_rows
from tuijin.worklogs import rules as log_rules
from tuijin.worklogs.models import Duty, Exemption, WorkLog, weekend_of

LIGHTS = [Light.RED, Light.YELLOW, Light.GREEN]
UNRESOLVED = [Problem.Status.OPEN, Problem.Status.COORDINATING]
SOLVED = [Problem.Status.RESOLVED, Problem.Status.REPORTED_UP]
AGE_BUCKETS = [(0, 7), (7, 30), (30, 90), (90, None)]  # days open: [from, to)
TREND_WEEKS = 12
HEATMAP_WEEKENDS = 8
LAGGING = 10


def link(name: str, *args, **params) -> str:
    url = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def number(value) -> float:
    return float(value or 0)


def percent(part, whole) -> float | None:
    return round(100 * float(part) / float(whole), 1) if whole else None


# --- Scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The units whose records count: ``unit_ids`` None for every unit, else those ids.

    ``key`` names the scope in the cache (two readers with the same key see the same
    figures); ``unit`` is the scope's own unit (the zone, a park, a department) if any."""

    unit_ids: tuple[int, ...] | None
    key: str
    unit: Unit | None = None

    @classmethod
    def of_user(cls, user) -> Scope:
        """What the user sees by ownership: their zone for zone-wide roles, their unit's
        subtree for unit people, every unit for admins, nothing for liaisons."""
        scope = unit_scope(user)
        unit = home_unit(user)
        if scope.everything:
            return cls(None, "all", unit)
        if not scope.unit_ids:
            return cls((), "none", None)
        return cls(tuple(scope.unit_ids), f"unit-{unit.pk}" if unit else "none", unit)

    @classmethod
    def of_unit(cls, unit: Unit) -> Scope:
        """A unit's subtree (one query). The caller has checked the reader may see it."""
        ids = tuple(unit.subtree().values_list("pk", flat=True))
        return cls(ids, f"unit-{unit.pk}", unit)

    def rule(self, *fields: str) -> Q | None:
        if self.unit_ids is None:
            return None
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}_id__in": self.unit_ids})
        return q

    def _filter(self, queryset: QuerySet, *fields: str) -> QuerySet:
        rule = self.rule(*fields)
        if rule is None:
            return queryset
        return queryset.filter(rule) if self.unit_ids else queryset.none()

    def projects(self) -> QuerySet:
        """Projects whose responsible unit or park is in scope (``Project.visible_to``'s
        ownership rule)."""
        return self._filter(Project.objects.all(), "unit", "park")

    def items(self) -> QuerySet:
        """督办 items led by a unit in scope."""
        return self._filter(SupervisionItem.objects.all(), "lead_unit")

    def problems(self) -> QuerySet:
        """Problems owned by a unit in scope or raised on a project in scope."""
        if self.unit_ids is None:
            return Problem.objects.all()
        if not self.unit_ids:
            return Problem.objects.none()
        return Problem.objects.filter(
            Q(unit_id__in=self.unit_ids) | Q(project__in=self.projects().values("pk"))
        )

    def duties(self) -> QuerySet:
        """The weekend-log roster of the units in scope."""
        return self._filter(Duty.objects.filter(person__is_active=True), "person__unit")


# --- Projects -------------------------------------------------------------------------------


def park_lights(scope: Scope) -> list[dict]:
    """Projects by park × light, parks in tree order: one query. Each row's counts link to
    the ledger filtered to that park and light."""
    rows: dict[int, dict] = {}
    for park_id, name, path, light, n in (
        scope.projects()
        .values_list("park_id", "park__name", "park__path", "light")
        .annotate(n=Count("pk"))
        .order_by("park__path", "light")
    ):
        row = rows.setdefault(
            park_id,
            {
                "park": park_id,
                "name": name,
                "path": path,
                "total": 0,
                "url": link("projects:project_list", park=park_id),
                **{light: 0 for light in LIGHTS},
                "urls": {
                    light: link("projects:project_list", park=park_id, light=light)
                    for light in LIGHTS
                },
            },
        )
        row[light] = n
        row["total"] += n
    return sorted(rows.values(), key=lambda row: row["path"])


def light_totals(parks: list[dict]) -> dict:
    """The zone's red / yellow / green counts, summed from ``park_lights`` (no query)."""
    totals = {light: sum(p[light] for p in parks) for light in LIGHTS}
    totals["total"] = sum(p["total"] for p in parks)
    totals["urls"] = {light: link("projects:project_list", light=light) for light in LIGHTS}
    totals["url"] = link("projects:project_list")
    return totals


def stages(scope: Scope) -> list[dict]:
    """Projects by stage (阶段), in the stages' order: one query."""
    counts = dict(scope.projects().values_list("stage").annotate(n=Count("pk")).order_by())
    return [
        {
            "stage": value,
            "label": str(label),
            "n": counts.get(value, 0),
            "url": link("projects:project_list", stage=value),
        }
        for value, label in Stage.choices
    ]


def investment(scope: Scope, today: dt.date) -> dict:
    """Completed investment against the annual plan and 序时进度 (plan × elapsed months /
    12, DESIGN §3) for today's year: the zone by month, and each park. Two queries."""
    year = today.year
    projects = scope.projects().values("pk")
    plans: dict[int, Decimal] = defaultdict(Decimal)
    for park_id, amount in (
        AnnualPlan.objects.filter(project__in=projects, year=year)
        .values_list("project__park_id")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        plans[park_id] += amount or 0
    monthly = [Decimal(0)] * 12
    done: dict[int, Decimal] = defaultdict(Decimal)
    for park_id, start, amount in (
        ProgressReport.objects.filter(project__in=projects, period_start__year=year)
        .values_list("project__park_id", "period_start")
        .annotate(s=Sum("investment"))
        .order_by()
    ):
        monthly[start.month - 1] += amount or 0
        done[park_id] += amount or 0
    plan = sum(plans.values(), Decimal(0))
    months = elapsed_months(today)
    cumulative, running = [], Decimal(0)
    for amount in monthly[: max(months, today.month)]:
        running += amount
        cumulative.append(number(running))
    expected = plan * months / 12
    completed = sum(monthly, Decimal(0))
    names = dict(
        Unit.objects.filter(pk__in=set(plans) | set(done))
        .order_by("path")
        .values_list("pk", "name")
    )
    parks = []
    for park_id in names:  # in tree order
        park_plan = plans.get(park_id, Decimal(0))
        park_done = done.get(park_id, Decimal(0))
        park_expected = park_plan * months / 12
        parks.append(
            {
                "park": park_id,
                "name": names[park_id],
                "plan": number(park_plan),
                "expected": number(round(park_expected, 2)),
                "completed": number(park_done),
                "rate": percent(park_done, park_plan),
                "schedule_rate": percent(park_done, park_expected),
                "url": link("projects:project_list", park=park_id, year=year),
            }
        )
    return {
        "year": year,
        "months": [month_label(m) for m in range(1, 13)],
        "monthly": [number(a) for a in monthly],
        "cumulative": cumulative,
        "schedule": [round(number(plan) * m / 12, 2) for m in range(1, 13)] if plan else [],
        "plan": number(plan),
        "expected": number(round(expected, 2)),
        "completed": number(completed),
        "rate": percent(completed, plan),  # of the annual plan
        "schedule_rate": percent(completed, expected),  # of 序时进度
        "elapsed_months": months,
        "parks": parks,
        "url": link("projects:project_list", year=year),
    }


def new_starts(scope: Scope, today: dt.date) -> dict:
    """新开工: projects planned to start this year against those that started this year,
    zone and per park. One query."""
    year = today.year
    rows = (
        scope.projects()
        .values_list("park_id", "park__name", "park__path")
        .annotate(
            planned=Count("pk", filter=Q(planned_start__year=year)),
            started=Count("pk", filter=Q(actual_start__year=year)),
            planned_started=Count(
                "pk", filter=Q(planned_start__year=year, actual_start__isnull=False)
            ),
            waiting=Count(
                "pk",
                filter=Q(
                    planned_start__year=year,
                    planned_start__lte=today,
                    actual_start__isnull=True,
                    stage__in=NOT_STARTED_STAGES,
                ),
            ),
        )
        .order_by("park__path")
    )
    parks = [
        {
            "park": park_id,
            "name": name,
            "planned": planned,
            "started": started,
            "planned_started": planned_started,
            "waiting": waiting,
            "rate": percent(planned_started, planned),
            "url": link("projects:project_list", park=park_id),
        }
        for park_id, name, _path, planned, started, planned_started, waiting in rows
        if planned or started
    ]
    planned = sum(p["planned"] for p in parks)
    planned_started = sum(p["planned_started"] for p in parks)
    return {
        "year": year,
        "planned": planned,
        "started": sum(p["started"] for p in parks),
        "planned_started": planned_started,
        "waiting": sum(p["waiting"] for p in parks),
        "rate": percent(planned_started, planned),
        "parks": parks,
    }


def lagging(scope: Scope, limit: int = LAGGING) -> list[dict]:
    """The red projects first, then the yellow, longest in their light first, with their
    reasons in the reader's language: one query."""
    rows = (
        scope.projects()
        .filter(light__in=[Light.RED, Light.YELLOW])
        .select_related("park", "unit")
        .order_by("light", "light_since", "code")[:limit]  # "red" sorts before "yellow"
    )
    return [
        {
            "pk": p.pk,
            "code": p.code,
            "name": p.name,
            "park": p.park.name,
            "unit": p.unit.name,
            "light": p.light,
            "light_label": str(Light(p.light).label),
            "reasons": [reason_text(r) for r in p.light_reasons],
            "url": p.get_absolute_url(),
        }
        for p in rows
    ]


# --- 督办 -----------------------------------------------------------------------------------


def duban(scope: Scope, today: dt.date) -> dict:
    """督办 items: open, overdue and due this week; the on-time rate of the closed ones;
    overdue by lead unit (the 督办 board's own ``unit_rows``, so the two agree); three
    queries."""
    items = scope.items()
    counts = items.aggregate(
        open=Count("pk", filter=Q(state__in=OPEN)),
        overdue=Count("pk", filter=overdue_q(today)),
        week=Count("pk", filter=due_this_week_q(today)),
        on_time=Count("pk", filter=Q(state=ItemState.CLOSED, closed_on_time=True)),
        late=Count("pk", filter=Q(state=ItemState.CLOSED, closed_on_time=False)),
    )
    board = "supervision:item_board"
    units = [
        {
            "unit": row["lead_unit"],
            "name": row["lead_unit__name"],
            "open": row["open"],
            "overdue": row["overdue"],
            "on_time": row["on_time"],
            "late": row["late"],
            "on_time_rate": percent(row["on_time"], row["on_time"] + row["late"]),
            "url": link(board, view="overdue", lead_unit=row["lead_unit"]),
        }
        for row in unit_rows(items, today)
    ]
    units.sort(key=lambda row: (-row["overdue"], -row["open"], row["name"]))
    return {
        **counts,
        "on_time_rate": percent(counts["on_time"], counts["on_time"] + counts["late"]),
        "units": units,
        "trend": duban_trend(scope, today),
        "urls": {
            "open": link(board, state="open"),
            "overdue": link(board, view="overdue"),
            "week": link(board, view="week"),
            "on_time": link(board, light="closed_on_time"),
            "late": link(board, light="closed_late"),
            "units": link("supervision:unit_board"),
        },
    }


def duban_trend(scope: Scope, today: dt.date, weeks: int = TREND_WEEKS) -> list[dict]:
    """The last ``weeks`` weeks (Monday to Sunday, this week last): items overdue at the
    week's end, and items closed during the week on time and late. One query.

    An item counts as overdue at a day when it was assigned by then, its deadline (as
    extended) had passed and it was not closed by then; cancelled items are left out (the
    day they were cancelled is not kept)."""
    monday = today - dt.timedelta(days=today.weekday())
    starts = [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    aggregates = {}
    for i, start in enumerate(starts):
        end = min(start + dt.timedelta(days=6), today)
        aggregates[f"overdue_{i}"] = Count(
            "pk",
            filter=Q(assigned_on__lte=end, deadline__lt=end)
            & ~Q(state=ItemState.CANCELLED)
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
        )
        closed = Q(state=ItemState.CLOSED, closed_on__gte=start, closed_on__lte=end)
        aggregates[f"on_time_{i}"] = Count("pk", filter=closed & Q(closed_on_time=True))
        aggregates[f"late_{i}"] = Count("pk", filter=closed & Q(closed_on_time=False))
    counts = scope.items().aggregate(**aggregates)
    trend = []
    for i, start in enumerate(starts):
        on_time, late = counts[f"on_time_{i}"], counts[f"late_{i}"]
        trend.append(
            {
                "week": start.isoformat(),
                "label": f"{start.month}/{start.day}",
                "overdue": counts[f"overdue_{i}"],
                "on_time": on_time,
                "late": late,
                "on_time_rate": percent(on_time, on_time + late),
            }
        )
    return trend


# --- Problems -------------------------------------------------------------------------------


def problems(scope: Scope, today: dt.date) -> dict:
    """Problems by category (unresolved by age, resolved) and the resolution rate: two
    queries (the categories, the counts)."""
    now = timezone.now()
    aggregates = {
        "total": Count("pk"),
        "unresolved": Count("pk", filter=Q(status__in=UNRESOLVED)),
        "solved": Count("pk", filter=Q(status__in=SOLVED)),
        "leader": Count("pk", filter=Q(status__in=UNRESOLVED, level=Problem.Level.LEADER)),
    }
    for i, (start, end) in enumerate(AGE_BUCKETS):
        q = Q(status__in=UNRESOLVED, raised_at__lte=now - dt.timedelta(days=start))
        if end is not None:
            q &= Q(raised_at__gt=now - dt.timedelta(days=end))
        aggregates[f"age_{i}"] = Count("pk", filter=q)
    rows = {
        row["category"]: row
        for row in scope.problems().values("category").annotate(**aggregates).order_by()
    }
    categories = []
    for category in ProblemCategory.objects.all():
        row = rows.get(category.pk)
        if row is None:
            continue
        categories.append(
            {
                "category": category.pk,
                "name": category.name,
                "total": row["total"],
                "unresolved": row["unresolved"],
                "solved": row["solved"],
                "ages": [row[f"age_{i}"] for i in range(len(AGE_BUCKETS))],
                "rate": percent(row["solved"], row["total"]),
                "url": link("supervision:problem_list", category=category.pk),
                "all_url": link("supervision:problem_list", category=category.pk, status="all"),
            }
        )
    total = {key: sum(row[key] for row in rows.values()) for key in aggregates}
    ages = []
    for i, (start, end) in enumerate(AGE_BUCKETS):
        if end is None:
            label = _("%(n)s天以上") % {"n": start}
        else:
            label = _("%(a)s–%(b)s天") % {"a": start, "b": end}
        ages.append({"label": label, "n": total[f"age_{i}"]})
    return {
        "total": total["total"],
        "unresolved": total["unresolved"],
        "solved": total["solved"],
        "leader": total["leader"],
        "rate": percent(total["solved"], total["total"]),
        "ages": ages,
        "categories": categories,
        "urls": {
            "unresolved": link("supervision:problem_list"),
            "all": link("supervision:problem_list", status="all"),
            "leader": link("supervision:problem_list", level=Problem.Level.LEADER),
        },
    }


# --- Weekend logs ---------------------------------------------------------------------------


def worklog_heatmap(
    scope: Scope, today: dt.date, weekends: int = HEATMAP_WEEKENDS, now=None
) -> dict:
    """Weekend-log submission rate per unit and weekend (the last ``weekends``, the current
    one last), by ``worklogs.rules``' statuses: three queries (the roster, the exemptions,
    the first submission of each author's weekend logs)."""
    now = now or timezone.now()
    last = weekend_of(today)
    saturdays = [last - dt.timedelta(weeks=n) for n in range(weekends - 1, -1, -1)]
    last_sunday = last + dt.timedelta(days=1)
    duties = list(
        scope.duties()
        .filter(since__lte=last_sunday)
        .select_related("person__unit")
        .order_by("person__unit__path", "person__name")
    )
    people = [d.person_id for d in duties]
    exempt = defaultdict(list)
    for e in Exemption.objects.filter(
        person__in=people, start__lte=last_sunday, end__gte=saturdays[0]
    ):
        exempt[e.person_id].append((e.start, e.end))
    first = {
        (author, weekend): submitted
        for author, weekend, submitted in WorkLog.objects.filter(
            author__in=people, kind=WorkLog.Kind.WEEKEND, weekend__in=saturdays
        )
        .values_list("author", "weekend")
        .annotate(first=Min("submitted_at"))
        .order_by()
    }
    # ``rules.weekend_deadline`` reads the grace hours each time: read them once here.
    grace = dt.timedelta(hours=setting("WORKLOG_GRACE_HOURS"))
    deadlines = [
        timezone.make_aware(dt.datetime.combine(s + dt.timedelta(days=2), dt.time())) + grace
        for s in saturdays
    ]
    units: dict[int, dict] = {}
    for duty in duties:
        person = duty.person
        row = units.setdefault(
            person.unit_id,
            {
                "unit": person.unit_id,
                "name": person.unit.name,
                "cells": [{"owed": 0, "submitted": 0, "on_time": 0} for _ in saturdays],
            },
        )
        for i, saturday in enumerate(saturdays):
            sunday = saturday + dt.timedelta(days=1)
            if duty.since > sunday:
                continue
            submitted = first.get((person.pk, saturday))
            if submitted is None and any(
                s <= sunday and e >= saturday for s, e in exempt.get(person.pk, [])
            ):
                continue  # exempt
            status = log_rules.status_of(submitted, deadlines[i], now)
            cell = row["cells"][i]
            cell["owed"] += 1
            cell["submitted"] += status in (log_rules.ON_TIME, log_rules.LATE)
            cell["on_time"] += status == log_rules.ON_TIME
    for row in units.values():
        for cell in row["cells"]:
            cell["rate"] = percent(cell["submitted"], cell["owed"])
    totals = []
    for i in range(len(saturdays)):
        owed = sum(row["cells"][i]["owed"] for row in units.values())
        submitted = sum(row["cells"][i]["submitted"] for row in units.values())
        totals.append({"owed": owed, "submitted": submitted, "rate": percent(submitted, owed)})
    return {
        "weekends": [
            {
                "date": s.isoformat(),
                "label": f"{s.month}/{s.day}",
                "url": link("worklogs:submissions", weekend=s.isoformat()),
            }
            for s in saturdays
        ],
        "units": list(units.values()),
        "totals": totals,
    }


# --- Assessment -----------------------------------------------------------------------------


def ranking(scope: Scope) -> dict | None:
    """The last published monthly assessment: each unit's rank and its change since the
    month before, for the units in scope. Two queries (the month, its scores)."""
    from tuijin.assessment.models import Period, PeriodState, UnitScore

    scores = UnitScore.objects.filter(period__state=PeriodState.PUBLISHED)
    if scope.unit_ids is not None:
        scores = scores.filter(unit_id__in=scope.unit_ids)
    period = Period.objects.filter(pk__in=scores.values("period")).order_by("-month", "-pk").first()
    if period is None:
        return None
    rows = []
    for score in (
        scores.filter(period=period).select_related("unit").order_by("unit_class", "rank", "pk")
    ):
        change = score.previous_rank - score.rank if score.previous_rank else None
        rows.append(
            {
                "unit": score.unit_id,
                "name": score.unit.name,
                "class": score.unit_class,
                "class_label": str(score.get_unit_class_display()),
                "total": number(score.total),
                "rank": score.rank,
                "previous_rank": score.previous_rank,
                "change": change,  # positive: moved up
                "change_abs": abs(change) if change else change,
                "grade": str(score.get_grade_display()),
                "url": reverse("assessment:score_detail", args=[score.pk]),
            }
        )
    return {
        "month": period.month.isoformat(),
        "label": str(period),
        "url": period.get_absolute_url(),
        "rows": rows,
    }


# --- Everything the cockpit shows -----------------------------------------------------------


def cockpit(scope: Scope, today: dt.date | None = None) -> dict:
    """Every figure of the cockpit and the big screen, in about twenty queries whatever the
    number of records (``tests/test_cockpit.py`` holds the figure)."""
    today = today or timezone.localdate()
    parks = park_lights(scope)
    return {
        "scope": scope.key,
        "unit": scope.unit.name if scope.unit else "",
        "today": today.isoformat(),
        "lights": light_totals(parks),
        "parks": parks,
        "stages": stages(scope),
        "investment": investment(scope, today),
        "new_starts": new_starts(scope, today),
        "duban": duban(scope, today),
        "problems": problems(scope, today),
        "worklogs": worklog_heatmap(scope, today),
        "ranking": ranking(scope),
        "lagging": lagging(scope),
    }


# --- Cache ----------------------------------------------------------------------------------
# The cockpit's figures are kept for at most ``COCKPIT_CACHE_SECONDS`` (5 minutes) per scope,
# day and language. A write to the records they count raises a version number kept in the
# cache (after the transaction commits), so the next request computes them afresh; writers
# that bypass signals (bulk updates of lights by the nightly task) are caught by the timeout.

VERSION_KEY = "dashboard:metrics:version"
COUNTED_MODELS = [
    ("projects", "Project"),
    ("projects", "AnnualPlan"),
    ("projects", "ProgressReport"),
    ("supervision", "SupervisionItem"),
    ("supervision", "Problem"),
    ("worklogs", "WorkLog"),
    ("worklogs", "Duty"),
    ("worklogs", "Exemption"),
    ("assessment", "Period"),
    ("assessment", "UnitScore"),
    # The E14 cards (dashboard.pipeline).
    ("investment", "Lead"),
    ("investment", "ClockRules"),
    ("factors", "SupplyEntry"),
    ("factors", "Allocation"),
    ("factors", "FactorNeed"),
    ("factors", "FactorRules"),
]


def cache_seconds() -> int:
    from django.conf import settings

    return getattr(settings, "COCKPIT_CACHE_SECONDS", 300)


def version() -> int:
    from django.core.cache import cache

    return cache.get_or_set(VERSION_KEY, 1, None)


def bump() -> None:
    """Forget every cached figure (the version number moves on)."""
    from django.core.cache import cache

    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): nothing cached under it is reachable
        cache.set(VERSION_KEY, 2, None)


def bump_on_commit(sender=None, **kwargs) -> None:
    from django.db import transaction

    transaction.on_commit(bump)


def connect_signals() -> None:
    """Called from ``DashboardConfig.ready``: a save or delete of a counted record bumps the
    version once its transaction commits."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for app_label, model_name in COUNTED_MODELS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        uid = f"dashboard-metrics-{app_label}.{model_name}"
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=uid + "-delete")


def cached_cockpit(scope: Scope, today: dt.date | None = None) -> dict:
    """``cockpit(scope, today)`` through the cache (no query when it is there)."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    today = today or timezone.localdate()
    key = f"dashboard:cockpit:{version()}:{scope.key}:{today.isoformat()}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = cockpit(scope, today)
        cache.set(key, data, cache_seconds())
    return data


# Park, unit and weekly figures ---------------------------------------------------------------
# (the park and unit pages, ``places.py``, and the Monday report, ``weekly.py``)


def unit_lights(unit: Unit) -> dict:
    """Projects the unit or a unit under it is responsible for, by light, as the ledger's
    ``?unit=`` lists them (not the projects standing in a park: ``park_lights``). One query."""
    counts = dict.fromkeys(LIGHTS, 0)
    for light, n in (
        Project.objects.filter(unit__path__startswith=unit.path)
        .values_list("light")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[light] = n
    counts["total"] = sum(counts.values())
    return counts


def week_activity(scope: Scope, monday: dt.date) -> dict:
    """What happened in the week before ``monday`` (Monday to Sunday): 督办 items assigned,
    closed (and closed late), problems resolved. Two queries."""
    since = monday - dt.timedelta(days=7)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    week = Q(closed_on__gte=since, closed_on__lt=monday, state=ItemState.CLOSED)
    items = scope.items().aggregate(
        assigned=Count("pk", filter=Q(assigned_on__gte=since, assigned_on__lt=monday)),
        closed=Count("pk", filter=week),
        closed_late=Count("pk", filter=week & Q(closed_on_time=False)),
    )
    resolved = scope.problems().filter(
        status=Problem.Status.RESOLVED, resolved_at__gte=start, resolved_at__lt=end
    )
    return {**items, "resolved": resolved.count()}


class ParkScope(Scope):
    """A park page's scope: the projects standing in the park (the ledger's ``?park=``, whatever
    their responsible unit), and the 督办 items and problems of the park's units (``Scope``)."""

    @classmethod
    def of_park(cls, park: Unit) -> ParkScope:
        return cls(Scope.of_unit(park).unit_ids, f"park-{park.pk}", park)

    def projects(self) -> QuerySet:
        return Project.objects.filter(park_id=self.unit.pk)
