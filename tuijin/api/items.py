"""督办 items as the API reads them (shared by the reads in api.py and the actions)."""

from django.db.models import Prefetch

from tuijin.api.common import detail_response
from tuijin.api.schemas import ItemDetail
from tuijin.core.access import get_for_user
from tuijin.org.models import Unit
from tuijin.supervision.models import (
    ExtensionRequest,
    Feedback,
    ItemActivity,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.permissions import allowed_verbs


def items():
    return SupervisionItem.objects.select_related(
        "assigner", "lead_unit", "responsible"
    ).prefetch_related(Prefetch("co_units", Unit.objects.only("pk")))


def item_detail_queryset():
    return items().prefetch_related(
        Prefetch("feedbacks", Feedback.objects.select_related("submitted_by")),
        Prefetch("verifications", Verification.objects.select_related("verified_by")),
        Prefetch("extensions", ExtensionRequest.objects.select_related("requested_by")),
        Prefetch("activities", ItemActivity.objects.select_related("actor")),
    )


def item_response(request, item_id: int):
    """The item as its detail shows it (with the actions the user may take now)."""
    item = get_for_user(request.user, item_detail_queryset(), pk=item_id)
    item.allowed_actions = allowed_verbs(request.user, item)
    return detail_response(request, ItemDetail, item)
