from pathlib import PurePosixPath

from django.apps import apps
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuijin.core import files
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


@require_GET
def stored_file(request, model, pk, thumbnail=False):
    """An uploaded file, as visible as the record holding it (404 outside the user's scope)."""
    stored = files.stored_file_of(model)
    if stored is None:
        raise Http404
    obj = get_for_user(request.user, apps.get_model(model), pk=pk)
    fieldfile = getattr(obj, stored.field)
    if not fieldfile:
        raise Http404
    name = getattr(obj, stored.name_field) or ""
    if thumbnail and stored.thumbnail:
        thumb = files.thumbnail_name(fieldfile.name)
        if fieldfile.storage.exists(thumb):  # until the task has made it, the photo itself
            fieldfile = type(fieldfile)(obj, fieldfile.field, thumb)
            name = f"缩略图-{PurePosixPath(name or 'photo').stem}.jpg"
    try:
        return files.file_response(fieldfile, name)
    except FileNotFoundError:
        raise Http404 from None


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
