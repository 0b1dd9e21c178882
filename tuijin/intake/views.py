"""Intake pages: paste or upload → preview with repairs and proposals → confirm → result."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.intake import services
from tuijin.intake.forms import ConfirmForm, IntakeForm
from tuijin.intake.models import IntakeDocument
from tuijin.intake.permissions import can_use_intake

RECENT = 10


def _require_intake(user) -> None:
    require(can_use_intake(user), _("您的角色不能使用文本录入。"))


def _preview(request, form: ConfirmForm):
    return render(request, "intake/preview.html", {"form": form, "proposal": form.proposal})


@require_http_methods(["GET", "POST"])
def intake_start(request):
    """GET: the form and recent intakes. POST: the preview (nothing is saved)."""
    _require_intake(request.user)
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.propose(
                request.user, data["data"], data["reference_date"], data["source_name"]
            )
        except services.IntakeError as error:
            form.add_error(form.source_field, str(error))
        else:
            return _preview(request, ConfirmForm(proposal))
    recent = (
        IntakeDocument.objects.visible_to(request.user)
        .select_related("created_by", "unit")
        .order_by("-created_at", "-pk")[:RECENT]
    )
    return render(request, "intake/start.html", {"form": form, "recent": recent})


@require_POST
def intake_confirm(request):
    """Create what was ticked; on any error nothing is saved and the preview comes back."""
    _require_intake(request.user)
    payload = request.POST.get("payload", "")
    try:
        form = ConfirmForm(services.proposal_from_payload(request.user, payload), request.POST)
    except services.StalePreview as error:
        messages.error(request, str(error))
        return redirect("intake:start")
    if form.is_valid():
        try:
            document = services.confirm(request.user, payload, form.selection())
        except services.RowError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except services.StalePreview as error:
            messages.error(request, str(error))
            return redirect("intake:start")
        else:
            messages.success(request, services.summary(document))
            return redirect(document)
    return _preview(request, form)


@require_GET
def document_detail(request, pk):
    """What one intake created, with links; readable by whoever sees the record."""
    document = get_for_user(
        request.user, IntakeDocument.objects.select_related("created_by", "unit"), pk=pk
    )
    return render(request, "intake/document.html", {"document": document})
