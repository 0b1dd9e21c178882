"""The zone home page (D16 grows it into the leaders' cockpit): reads every domain, owns none."""

import datetime as dt

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuijin.org.access import home_unit, sees_everything
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Light, Project
from tuijin.supervision.models import Problem, SupervisionItem


@require_GET
def home(request):
    """The zone home: the user's zone with its parks and units."""
    zone = home_unit(request.user)
    zone = zone.zone if zone else None
    if zone is None and sees_everything(request.user):
        zone = Unit.objects.filter(kind=UnitKind.ZONE).first()
    units = Unit.objects.visible_to(request.user)
    projects = Project.objects.visible_to(request.user)
    # Light counts per park in one query: {park_id: {"red": n, ...}}.
    by_park = {}
    for park_id, light, n in (
        projects.values_list("park_id", "light").annotate(n=Count("pk")).order_by()
    ):
        by_park.setdefault(park_id, {})[light] = n
    parks = list(
        Unit.objects.filter(
            kind=UnitKind.PARK,
            pk__in=set(by_park)
            | set(units.filter(kind=UnitKind.PARK).values_list("pk", flat=True)),
        )
    )
    for park in parks:
        park.lights = by_park.get(park.pk, {})
        park.project_count = sum(park.lights.values())
    red = list(
        projects.filter(light=Light.RED).select_related("park").order_by("park__path", "code")[:12]
    )
    today = timezone.localdate()
    items = SupervisionItem.objects.visible_to(request.user).open()
    overdue_by_unit = list(
        items.filter(deadline__lt=today)
        .values("lead_unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_unit__name")
    )
    week_end = today + dt.timedelta(days=6 - today.weekday())
    context = {
        "overdue_by_unit": overdue_by_unit,
        "overdue_count": sum(row["n"] for row in overdue_by_unit),
        "due_this_week": items.filter(deadline__gte=today, deadline__lte=week_end).count(),
        "escalated_problems": Problem.objects.visible_to(request.user)
        .filter(
            level__in=[Problem.Level.LEADER, Problem.Level.MEETING],
            status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING],
        )
        .count(),
        "zone": zone,
        "parks": parks,
        "red_projects": red,
        "red_count": sum(p.lights.get(Light.RED, 0) for p in parks),
        "yellow_count": sum(p.lights.get(Light.YELLOW, 0) for p in parks),
        "project_count": sum(p.project_count for p in parks),
    }
    return render(request, "dashboard/home.html", context)
