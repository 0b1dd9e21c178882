from django.apps import apps
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuijin.core.access import get_for_user, home_unit, sees_everything
from tuijin.core.audit import AuditedModel
from tuijin.org.models import Person, Unit, UnitKind


@require_GET
def home(request):
    """The zone home: the user's zone with its parks and units."""
    zone = home_unit(request.user)
    zone = zone.zone if zone else None
    if zone is None and sees_everything(request.user):
        zone = Unit.objects.filter(kind=UnitKind.ZONE).first()
    units = Unit.objects.visible_to(request.user)
    parks = units.filter(kind=UnitKind.PARK)
    context = {
        "zone": zone,
        "parks": parks,
        "unit_count": units.count(),
        "people_count": Person.objects.visible_to(request.user).count(),
    }
    return render(request, "core/home.html", context)


@require_GET
def history(request, model, pk):
    """The history tab of any audited record, scoped by that model's visible_to."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    if not issubclass(model_class, AuditedModel):
        raise Http404
    obj = get_for_user(request.user, model_class, pk=pk)
    return render(request, "core/history.html", {"object": obj})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
