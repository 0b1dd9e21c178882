"""Park pages and unit pages (D16 part 3): one page per park, one per unit, each figure a door
into the list behind it.

A park's page: its projects with their lights, its investment curve (completed against the
annual plan and the 序时进度 line, by month, with the table), its open problems and 督办
items, its last published park review rank and the photos of its projects' progress reports
this month. A unit's page: the 督办 items it leads, the projects it is responsible for, its
work logs and its published assessment trend.

The figures come from ``metrics`` (the cockpit's module) on the unit's ``Scope``; the view has
checked that the reader sees the unit's records (``visible_units``, 404 otherwise), and the
lists are read through the domains' ``visible_to`` as well. A fixed number of queries per
page whatever the number of projects, items and logs.
"""

import datetime as dt

from django.db.models import Case, Value, When
from django.utils import timezone

from tuijin.assessment import results as assessment_results
from tuijin.assessment.models import PeriodState, UnitScore
from tuijin.dashboard import metrics
from tuijin.org.models import UnitKind
from tuijin.parkreview.models import ParkEntry
from tuijin.parkreview.models import State as ReviewState
from tuijin.projects.models import Project, ProjectFile
from tuijin.supervision.models import OPEN_STATES, Problem, SupervisionItem
from tuijin.worklogs.models import WorkLog

LIGHTS = metrics.LIGHTS
LIST_ROWS = 20  # rows of a list on the page; its count opens all of them
PROJECT_ROWS = 50
LOG_ROWS = 10
LOG_DAYS = 30
PHOTOS = 12
link = metrics.link


def by_light(projects):
    """Red first, then yellow, then green; by code within a light."""
    order = Case(
        *(When(light=light, then=Value(i)) for i, light in enumerate(LIGHTS)),
        default=Value(len(LIGHTS)),
    )
    return projects.annotate(light_order=order).order_by("light_order", "code")


def light_links(counts: dict, **params) -> list[tuple[str, int, str]]:
    """(light, n, the ledger filtered to it) for red, yellow, green."""
    return [
        (light, counts.get(light, 0), link("projects:project_list", light=light, **params))
        for light in LIGHTS
    ]


def investment_table(inv: dict) -> list[dict]:
    """The chart's figures as rows (for print and screen readers): one per month shown."""
    return [
        {
            "month": inv["months"][m],
            "monthly": inv["monthly"][m],
            "cumulative": inv["cumulative"][m],
            "schedule": inv["schedule"][m] if inv["schedule"] else None,
        }
        for m in range(len(inv["cumulative"]))
    ]


def last_review(user, park) -> ParkEntry | None:
    """The park's entry in the last published park review the user may see (one query)."""
    return (
        ParkEntry.objects.visible_to(user)
        .filter(park=park, review__state=ReviewState.PUBLISHED)
        .select_related("review")
        .order_by("-review__year", "-review__quarter")
        .first()
    )


def month_photos(user, projects, today: dt.date) -> list[ProjectFile]:
    """Photos of the projects' progress reports uploaded this month, newest first."""
    first = timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time()))
    return list(
        ProjectFile.objects.visible_to(user)
        .filter(
            project__in=projects.values("pk"),
            kind=ProjectFile.Kind.PHOTO,
            report__isnull=False,
            uploaded_at__gte=first,
        )
        .select_related("project")
        .order_by("-uploaded_at", "-pk")[:PHOTOS]
    )


def latest_score(user, unit) -> UnitScore | None:
    """The unit's score in the last published month the user may see (one query)."""
    return (
        UnitScore.objects.visible_to(user)
        .filter(unit=unit, period__state=PeriodState.PUBLISHED)
        .select_related("period")
        .order_by("-period__month")
        .first()
    )


def items_of(user, unit, today: dt.date) -> dict:
    """Open 督办 items led by the unit or a unit under it: the board's ``?unit=`` (two
    queries)."""
    items = SupervisionItem.objects.visible_to(user).filter(
        lead_unit__path__startswith=unit.path, state__in=OPEN_STATES
    )
    rows = list(items.select_related("lead_unit", "project").order_by("deadline", "pk"))
    for item in rows:
        item.is_overdue = item.deadline < today
    return {
        "open": len(rows),
        "overdue": sum(item.is_overdue for item in rows),
        "open_url": link("supervision:item_board", unit=unit.pk, state="open"),
        "overdue_url": link("supervision:item_board", unit=unit.pk, view="overdue"),
        "list": rows[:LIST_ROWS],
    }


def park_context(user, park, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    scope = metrics.ParkScope.of_park(park)
    projects = Project.objects.visible_to(user).filter(park=park)
    lights = metrics.light_totals(metrics.park_lights(scope))
    inv = metrics.investment(scope, today)
    problems = (
        Problem.objects.visible_to(user)
        .filter(pk__in=scope.problems().values("pk"), status__in=metrics.UNRESOLVED)
        .select_related("project", "enterprise", "category", "unit")
        .order_by("-raised_at", "-pk")
    )
    problem_rows = list(problems[: LIST_ROWS + 1])
    return {
        "park": park,
        "today": today,
        "lights": light_links(lights, park=park.pk),
        "project_count": lights["total"],
        "projects_url": link("projects:project_list", park=park.pk),
        "projects": list(by_light(projects).select_related("unit")[:PROJECT_ROWS]),
        "investment": inv,
        "investment_rows": investment_table(inv),
        "investment_url": link("projects:project_list", park=park.pk, year=inv["year"]),
        "problem_count": problems.count() if len(problem_rows) > LIST_ROWS else len(problem_rows),
        "problems": problem_rows[:LIST_ROWS],
        "items": items_of(user, park, today),
        "review": last_review(user, park),
        "photos": month_photos(user, projects, today),
    }


def unit_context(user, unit, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    projects = Project.objects.visible_to(user).filter(unit__path__startswith=unit.path)
    counts = metrics.unit_lights(unit)
    logs = WorkLog.objects.visible_to(user).filter(unit__path__startswith=unit.path)
    since = today - dt.timedelta(days=LOG_DAYS)
    zone = unit.zone
    return {
        "unit": unit,
        "today": today,
        "items": items_of(user, unit, today),
        "lights": light_links(counts, unit=unit.pk),
        "project_count": counts["total"],
        "projects_url": link("projects:project_list", unit=unit.pk),
        "projects": list(by_light(projects).select_related("park")[:PROJECT_ROWS]),
        "log_count": logs.filter(date__gte=since).count(),
        "log_days": LOG_DAYS,
        "logs_url": link("worklogs:log_list", unit=unit.pk, date_from=since.isoformat()),
        "logs": list(logs.select_related("author").order_by("-date", "-pk")[:LOG_ROWS]),
        "trend": assessment_results.trend(unit, zone, user) if zone else None,
        "score": latest_score(user, unit),
        "is_park": unit.kind == UnitKind.PARK,
    }
