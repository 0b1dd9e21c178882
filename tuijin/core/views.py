from django.apps import apps
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuijin.core.access import get_for_user
from tuijin.core.audit import AuditedModel


@require_GET
def history(request, model, pk):
    """The history tab of any audited record, scoped by that model's visible_to."""
    try:
        model_class = apps.get_model(model)
    except (LookupError, ValueError):
        raise Http404 from None
    # Every audited model has visible_to (a test walks them all); anything else is not ours.
    if not issubclass(model_class, AuditedModel) or not hasattr(
        model_class._default_manager.all(), "visible_to"
    ):
        raise Http404
    obj = get_for_user(request.user, model_class, pk=pk)
    return render(request, "core/history.html", {"object": obj})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
