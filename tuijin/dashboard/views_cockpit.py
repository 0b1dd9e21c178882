"""The leaders' cockpit (驾驶舱) and its big-screen mode (大屏): the zone's figures as charts,
each a door into the list it summarises, and the same figures as tables.

Who may open it (``can_see_cockpit``): zone leaders, the 督查室 and admins see their zone; a
unit head sees the same for their unit's subtree; everyone else is refused (403). The figures
come from ``metrics.cached_cockpit`` (kept at most five minutes, forgotten on relevant
writes); the page embeds them with ``json_script`` and the big screen fetches them again from
``cockpit:data`` every ``COCKPIT_SCREEN_REFRESH_SECONDS``.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tuijin.dashboard import metrics, pipeline
from tuijin.org.access import role_of, visible_units
from tuijin.org.models import Role

COCKPIT_ROLES = {Role.ZONE_LEADER, Role.SUPERVISOR, Role.UNIT_HEAD, Role.ADMIN}


def can_see_cockpit(user) -> bool:
    """Zone leaders, the 督查室, admins (their zone) and unit heads (their unit's subtree)."""
    return role_of(user) in COCKPIT_ROLES


def refresh_seconds() -> int:
    return max(1, getattr(settings, "COCKPIT_SCREEN_REFRESH_SECONDS", 300))


def park_page_url() -> str:
    """The park page's address with 999999999 standing for the park (the carousel puts each
    park's id in its place), or "" while there is no park page."""
    try:
        return reverse("places:park", args=[999999999])
    except NoReverseMatch:
        return ""


def labels() -> dict:
    """The charts' words in the reader's language (series, axes, legends)."""
    return {
        "red": _("红灯"),
        "yellow": _("黄灯"),
        "green": _("绿灯"),
        "projects": _("项目数"),
        "monthly": _("当月完成"),
        "cumulative": _("累计完成"),
        "schedule": _("序时进度"),
        "wan": _("万元"),
        "plan": _("年度计划"),
        "expected": _("序时应完成"),
        "completed": _("已完成"),
        "planned": _("计划新开工"),
        "started": _("已开工"),
        "overdue": _("超期"),
        "open": _("未办结"),
        "on_time_rate": _("按期办结率"),
        "solved": _("已解决"),
        "rate": _("提交率"),
        "unresolved": _("未解决"),
        "weekend": _("周末"),
        "leads": _("线索数"),
        "gap": _("缺口"),
    }


def _scope_and_data(request):
    if not can_see_cockpit(request.user):
        raise PermissionDenied(_("驾驶舱仅供区领导、督查室和单位负责人查看。"))
    scope = metrics.Scope.of_user(request.user)
    today = timezone.localdate()
    # The E14 cards (funnel, factor gaps) are scoped by those apps' own rules, per reader.
    cards = pipeline.cached_cards(request.user, today, metrics.version())
    return scope, {**metrics.cached_cockpit(scope, today), **cards}


@require_GET
def cockpit(request):
    """The cockpit: charts and tables of the reader's scope."""
    scope, data = _scope_and_data(request)
    return render(
        request,
        "dashboard/cockpit.html",
        {"data": data, "scope": scope, "labels": labels(), "zone_wide": scope.unit_ids is None},
    )


def opens_every_park(user, data) -> bool:
    """Whether the reader may open the park page of every park of the carousel (a unit head
    of a department may not: the park page answers 404 outside ``visible_units``)."""
    parks = {park["park"] for park in data["parks"]}
    if not parks:
        return True
    return visible_units(user).filter(pk__in=parks).count() == len(parks)


@require_GET
def screen(request):
    """The big screen (1920×1080, dark, no navigation): the same figures, refreshed in place.
    The carousel's park name opens the park page, or the ledger filtered to the park for a
    reader who may not open every park page."""
    _scope, data = _scope_and_data(request)
    return render(
        request,
        "dashboard/cockpit_screen.html",
        {
            "data": data,
            "labels": labels(),
            "refresh": refresh_seconds(),
            "park_url": park_page_url() if opens_every_park(request.user, data) else "",
        },
    )


@require_GET
def data(request):
    """The figures as JSON, scoped to the reader (the big screen fetches them)."""
    _scope, data = _scope_and_data(request)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response
