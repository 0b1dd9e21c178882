"""Park pages, unit pages and the Monday reports' page.

Thin: a park or unit loads through ``get_for_user`` on the units the reader sees
(``visible_units``: 404 outside), ``places.py`` reads the figures; the reports list through
``WeeklyReport.visible_to`` and download through the protected ``file`` view; building one is
a background job started by a service (``services.start_weekly_report``: 403 but for the 督查室).
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tuijin.core.access import get_for_user
from tuijin.dashboard import places, services, weekly
from tuijin.org.models import Unit, UnitKind


@require_GET
def park_page(request, pk):
    park = get_for_user(request.user, Unit.objects.filter(kind=UnitKind.PARK), pk=pk)
    return render(request, "dashboard/place_park.html", places.park_context(request.user, park))


@require_GET
def unit_page(request, pk):
    unit = get_for_user(request.user, Unit, pk=pk)
    return render(request, "dashboard/place_unit.html", places.unit_context(request.user, unit))


@require_GET
def weekly_list(request):
    reports = list(weekly.readable(request.user)[:60])
    return render(
        request,
        "dashboard/weekly_list.html",
        {
            "reports": reports,
            "can_build": weekly.can_build_reports(request.user),
            "report_time": weekly.report_time(),
        },
    )


@require_POST
def weekly_build(request):
    return redirect(services.start_weekly_report(request.user))
