"""The home page: each role's first screen (``home.py`` says what each one shows); reads
every domain, owns none."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuijin.dashboard.home import home_context


@require_GET
def home(request):
    """What needs the reader today: the zone for leaders, what waits for the 督查室, a unit's
    reports, items and weekend logs, a cadre's log and visits, a liaison's projects and
    requests."""
    return render(request, "dashboard/home.html", home_context(request.user))
