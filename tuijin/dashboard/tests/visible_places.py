"""How a Monday report is made, for tests/test_every_record_visible.py (``MAKERS``): built by
the 督查室 (or an admin) through ``services.build_weekly_report``, shown on the reports' page."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuijin.dashboard import services, weekly
from tuijin.org.models import Unit, UnitKind


def report_as(name: str):
    user = get_user_model().objects.get(username=name)
    zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()
    return services.build_weekly_report(zone, weekly.monday_of(timezone.localdate()), user=user)


def makers(made) -> dict:
    """``made``: the test's ``Made`` class (roles, make, page, shows)."""
    return {
        "dashboard.weeklyreport": [
            made(
                ("duban", "admin"),
                report_as,
                lambda record: reverse("places:weekly_list"),
                lambda record: f'id="report-{record.pk}"',
            )
        ]
    }
