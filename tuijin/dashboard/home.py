"""What each role's first screen shows: "what needs me today" (L11 part 11).

One builder per kind of home; each reads through the domains' ``visible_to`` in a fixed
number of queries, however many records there are. Every number is shown with the link of
the list it counts, built here beside the count from the same filter, so the two cannot
drift apart (``tests/test_counts.py`` follows each link and counts the rows).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from tuijin.core.rules_settings import setting
from tuijin.dashboard import metrics
from tuijin.enterprise_requests.models import OPEN_STATES, EnterpriseRequest
from tuijin.meetings.models import Meeting
from tuijin.org.access import home_unit, person_of, role_of, sees_everything
from tuijin.org.models import Role, Unit, UnitKind
from tuijin.projects.filters import due_period, report_missing_q
from tuijin.projects.models import Light, Project
from tuijin.supervision.filters import (
    PSEUDO_STATES,
    due_this_week_q,
    mine_q,
    overdue_q,
    pending_extension_q,
    scheduled_q,
)
from tuijin.supervision.models import ExtensionRequest, ItemState, Problem, SupervisionItem
from tuijin.worklogs import rules as log_rules
from tuijin.worklogs.models import weekend_of
from tuijin.worklogs.permissions import can_write_log

LEADER, SUPERVISOR, UNIT, CADRE, LIAISON, NOBODY = (
    "leader",
    "supervisor",
    "unit",
    "cadre",
    "liaison",
    "nobody",
)
KIND_OF_ROLE = {
    Role.ZONE_LEADER: LEADER,
    Role.ADMIN: LEADER,
    Role.INSPECTOR: LEADER,
    Role.SUPERVISOR: SUPERVISOR,
    Role.UNIT_HEAD: UNIT,
    Role.UNIT_STAFF: UNIT,
    Role.CADRE: CADRE,
    Role.LIAISON: LIAISON,
}
UNRESOLVED = [Problem.Status.OPEN, Problem.Status.COORDINATING]
SHORT_LIST = 6  # rows of a list on the home page; the count's link opens all of them


def first_rows(queryset, *related) -> list:
    """The first SHORT_LIST (six) rows of an ordered queryset, with their related records.

    Two queries: the ids, then the rows by id. In one query PostgreSQL misjudges how few rows
    pass the visibility rule and hash-joins whole tables for six rows (the leader's escalated
    problems at province scale: 30 ms → 3.5 ms, B12)."""
    ids = list(queryset.values_list("pk", flat=True)[:SHORT_LIST])
    rows = queryset.model.objects.select_related(*related).in_bulk(ids)
    return [rows[pk] for pk in ids]


def kind_of(user) -> str:
    return KIND_OF_ROLE.get(role_of(user), NOBODY)


@dataclass
class Stat:
    """A number on the home page and the list it opens."""

    key: str
    label: str
    n: int
    url: str
    tone: str = ""  # "danger", "warning" or "" (the number's colour; the label says it too)


def link(name: str, **params) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def zone_of(user) -> Unit | None:
    unit = home_unit(user)
    zone = unit.zone if unit else None
    if zone is None and sees_everything(user):
        zone = Unit.objects.filter(kind=UnitKind.ZONE).first()
    return zone


# --- Leaders (and admins, inspectors): the zone at a glance ---------------------------------


def park_lights(user) -> list[Unit]:
    """The parks the user's projects stand in (or the user's units are), with light counts:
    the counts are the cockpit's (``metrics.park_lights``), so the two never disagree."""
    by_park = {row["park"]: row for row in metrics.park_lights(metrics.Scope.of_user(user))}
    seen_parks = Unit.objects.visible_to(user).filter(kind=UnitKind.PARK).values("pk")
    parks = list(Unit.objects.filter(Q(pk__in=set(by_park)) | Q(pk__in=seen_parks)))
    for park in parks:
        row = by_park.get(park.pk, {})
        park.project_count = row.get("total", 0)
        park.light_links = [
            (light, row[light], row["urls"][light])
            for light in (Light.RED, Light.YELLOW, Light.GREEN)
            if row.get(light)
        ]
        park.url = link("projects:project_list", park=park.pk)
    return parks


def leader_home(user, today: dt.date) -> dict:
    parks = park_lights(user)
    lights = {light: 0 for light in Light}
    for park in parks:
        for light, n, _url in park.light_links:
            lights[light] += n
    items = SupervisionItem.objects.visible_to(user)
    overdue_by_unit = [
        {**row, "url": link("supervision:item_board", view="overdue", lead_unit=row["lead_unit"])}
        for row in items.filter(overdue_q(today))
        .values("lead_unit", "lead_unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_unit__name")
    ]
    week = items.filter(due_this_week_q(today)).count()
    escalated = Problem.objects.visible_to(user).filter(
        level=Problem.Level.LEADER, status__in=UNRESOLVED
    )
    escalated_list = first_rows(escalated.order_by("-raised_at"), "project", "enterprise", "unit")
    stats = [
        Stat(
            "red",
            _("红灯项目"),
            lights[Light.RED],
            link("projects:project_list", light="red"),
            "danger",
        ),
        Stat(
            "yellow",
            _("黄灯项目"),
            lights[Light.YELLOW],
            link("projects:project_list", light="yellow"),
            "warning",
        ),
        Stat(
            "projects",
            _("项目总数"),
            sum(p.project_count for p in parks),
            link("projects:project_list"),
        ),
        Stat(
            "overdue",
            _("督办超期"),
            sum(row["n"] for row in overdue_by_unit),
            link("supervision:item_board", view="overdue"),
            "danger",
        ),
        Stat("week", _("本周到期"), week, link("supervision:item_board", view="week")),
        Stat(
            "escalated",
            _("待领导协调问题"),
            escalated.count(),
            link("supervision:problem_list", level=Problem.Level.LEADER),
        ),
    ]
    red = list(
        Project.objects.visible_to(user)
        .filter(light=Light.RED)
        .select_related("park")
        .order_by("park__path", "code")[:12]
    )
    return {
        "stats": stats,
        "overdue_by_unit": overdue_by_unit,
        "escalated": escalated_list,
        "meetings": week_meetings(user, today),
        "parks": parks,
        "red_projects": red,
    }


def week_meetings(user, today: dt.date) -> list:
    monday = today - dt.timedelta(days=today.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    return list(
        Meeting.objects.visible_to(user)
        .filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=7))
        .select_related("park")
        .order_by("starts_at", "pk")
    )


# --- The 督查室: what waits for them --------------------------------------------------------


def supervisor_home(user, today: dt.date) -> dict:
    items = SupervisionItem.objects.visible_to(user)
    now = timezone.now()
    counts = items.aggregate(
        to_verify=Count("pk", filter=Q(state__in=PSEUDO_STATES["to_verify"])),
        extension=Count("pk", filter=pending_extension_q()),
        overdue=Count("pk", filter=overdue_q(today)),
        week=Count("pk", filter=due_this_week_q(today)),
        scheduled=Count("pk", filter=scheduled_q(now)),
    )
    board = "supervision:item_board"
    stats = [
        Stat("to_verify", _("待核查"), counts["to_verify"], link(board, state="to_verify")),
        Stat(
            "extension",
            _("延期待审批"),
            counts["extension"],
            link(board, extension="pending"),
            "warning",
        ),
        Stat("overdue", _("超期待催办"), counts["overdue"], link(board, view="overdue"), "danger"),
        Stat("scheduled", _("已安排现场核查"), counts["scheduled"], link(board, scheduled="true")),
        Stat("week", _("本周到期"), counts["week"], link(board, view="week")),
    ]
    extensions = list(
        ExtensionRequest.objects.filter(
            item__in=items.open().values("pk"), status=ExtensionRequest.Status.PENDING
        )
        .select_related("item__lead_unit")
        .order_by("requested_at", "pk")[:SHORT_LIST]
    )
    scheduled = list(
        items.filter(scheduled_q(now))
        .select_related("lead_unit", "project")
        .prefetch_related("verifiers")
        .order_by("verification_at", "pk")[:SHORT_LIST]
    )
    to_verify = list(
        items.filter(state__in=PSEUDO_STATES["to_verify"])
        .select_related("lead_unit")
        .order_by("deadline", "pk")[:SHORT_LIST]
    )
    return {
        "stats": stats,
        "extensions": extensions,
        "scheduled": scheduled,
        "to_verify": to_verify,
        "meetings": week_meetings(user, today),
    }


# --- Unit heads and clerks: reports, items to sign and answer, the unit's weekend logs -----


def reports_due(user, today: dt.date):
    """Projects the user sees that owe the report of the last period already due (未报)."""
    return due_period(today), Project.objects.visible_to(user).filter(report_missing_q(today))


def unit_home(user, today: dt.date) -> dict:
    person = person_of(user)
    unit = person.unit
    items = SupervisionItem.objects.visible_to(user).filter(lead_unit__path__startswith=unit.path)
    counts = items.aggregate(
        to_sign=Count("pk", filter=Q(state=ItemState.ASSIGNED)),
        working=Count("pk", filter=Q(state__in=PSEUDO_STATES["working"])),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    period, due = reports_due(user, today)
    board = "supervision:item_board"
    stats = [
        Stat(
            "reports",
            _("%(period)s未报进度") % {"period": period.label()},
            due.count(),
            link("projects:project_list", report="missing"),
            "warning",
        ),
        Stat(
            "to_sign",
            _("督办待签收"),
            counts["to_sign"],
            link(board, unit=unit.pk, state=ItemState.ASSIGNED),
            "danger",
        ),
        Stat(
            "working",
            _("督办待反馈"),
            counts["working"],
            link(board, unit=unit.pk, state="working"),
        ),
        Stat(
            "overdue",
            _("本单位超期"),
            counts["overdue"],
            link(board, view="overdue", unit=unit.pk),
            "danger",
        ),
    ]
    open_items = list(
        items.filter(state__in=[ItemState.ASSIGNED, *PSEUDO_STATES["working"]])
        .select_related("lead_unit")
        .order_by("deadline", "pk")[:SHORT_LIST]
    )
    saturday = weekend_of(today)
    tallies = log_rules.weekend_roster([unit.pk], saturday)
    rows = [row for tally in tallies for row in tally.rows]
    return {
        "stats": stats,
        "unit": unit,
        "open_items": open_items,
        "due_projects": list(due.select_related("park").order_by("code")[:SHORT_LIST]),
        "saturday": saturday,
        "log_rows": rows,
        "owing": [row for row in rows if row.status in (log_rules.MISSING, log_rules.PENDING)],
    }


# --- Cadres: my weekend log, my visits, my items --------------------------------------------


def cadre_home(user, today: dt.date) -> dict:
    days = setting("VISIT_STALE_DAYS")
    enterprises = log_rules.stale_filter(log_rules.key_enterprises(user, today), today, days)
    projects = log_rules.stale_filter(log_rules.key_projects(user, today), today, days)
    visits = "worklogs:visits"
    rule = mine_q(user)
    mine = SupervisionItem.objects.visible_to(user).open().filter(rule) if rule else None
    stats = [
        Stat(
            "stale_enterprises",
            _("超%(days)s天未走访的重点企业") % {"days": days},
            enterprises.count(),
            link(visits, kind="enterprise", stale=1),
            "warning",
        ),
        Stat(
            "stale_projects",
            _("超%(days)s天未走访的重点项目") % {"days": days},
            projects.count(),
            link(visits, kind="project", stale=1),
            "warning",
        ),
        Stat(
            "my_items",
            _("我的未办结督办"),
            mine.count() if mine is not None else 0,
            link("supervision:item_board", view="mine", state="open"),
        ),
    ]
    stale = [
        *enterprises.order_by("last_duty_visit_on", "name")[:SHORT_LIST],
        *projects.order_by("last_duty_visit_on", "name")[:SHORT_LIST],
    ]
    person = person_of(user)
    saturday = weekend_of(today)
    tallies = log_rules.weekend_roster([person.unit_id], saturday)
    mine_rows = [row for t in tallies for row in t.rows if row.person.pk == person.pk]
    return {
        "stats": stats,
        "stale": stale,
        "days": days,
        "can_write_log": can_write_log(user),
        "saturday": saturday,
        "log_row": mine_rows[0] if mine_rows else None,
        "unit": person.unit,
        "my_items": list(
            mine.select_related("lead_unit").order_by("deadline", "pk")[:SHORT_LIST]
            if mine is not None
            else []
        ),
    }


# --- Enterprise liaisons: my projects, my requests -------------------------------------------


def liaison_home(user, today: dt.date) -> dict:
    """The enterprise's requests (企业诉求, what the liaison asks of the zone) and the problems
    they raised on its projects (问题, from a project's page): two records, counted apart."""
    projects = list(Project.objects.visible_to(user).select_related("park").order_by("code"))
    requests = EnterpriseRequest.objects.visible_to(user)
    counts = requests.aggregate(open=Count("pk", filter=Q(state__in=OPEN_STATES)), all=Count("pk"))
    problems = Problem.objects.visible_to(user).filter(status__in=UNRESOLVED).count()
    stats = [
        Stat("projects", _("我的项目"), len(projects), link("projects:project_list")),
        Stat(
            "unresolved",
            _("未解决的诉求"),
            counts["open"],
            link("enterprise_requests:request_list", state="open"),
            "warning",
        ),
        Stat("requests", _("全部诉求"), counts["all"], link("enterprise_requests:request_list")),
        Stat("problems", _("未解决的问题"), problems, link("supervision:problem_list")),
    ]
    latest = first_rows(requests.order_by("-raised_at", "-pk"), "enterprise")
    return {"stats": stats, "projects": projects, "requests": latest}


BUILDERS = {
    LEADER: leader_home,
    SUPERVISOR: supervisor_home,
    UNIT: unit_home,
    CADRE: cadre_home,
    LIAISON: liaison_home,
}


def home_context(user) -> dict:
    today = timezone.localdate()
    kind = kind_of(user)
    context = {"kind": kind, "zone": zone_of(user), "today": today}
    if kind in (UNIT, CADRE) and person_of(user) is None:
        kind = NOBODY
    if builder := BUILDERS.get(kind):
        context.update(builder(user, today))
    return context
