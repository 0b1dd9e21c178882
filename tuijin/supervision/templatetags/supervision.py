from django import template
from django.utils import timezone

from tuijin.supervision.models import Problem, SupervisionItem
from tuijin.supervision.permissions import can_assign_items
from tuijin.supervision.rules import item_light

register = template.Library()


@register.inclusion_tag("supervision/_project_panel.html", takes_context=True)
def project_supervision(context, project):
    """A project's problems and 督办 items, as the viewer may see them."""
    user = context["request"].user
    today = timezone.localdate()
    items = list(
        SupervisionItem.objects.visible_to(user)
        .filter(project=project)
        .select_related("lead_unit", "assigner")
        .order_by("-created_at")
    )
    for item in items:
        item.light = item_light(item, today)
    problems = Problem.objects.visible_to(user).filter(project=project).select_related("category")
    return {
        "project": project,
        "items": items,
        "problems": problems,
        "can_assign": can_assign_items(user),
        "can_raise": context.get("can_report", False),
    }
