from django import template

from tuijin.worklogs.models import Visit, WorkLog

register = template.Library()


@register.inclusion_tag("worklogs/_recent_visits.html", takes_context=True)
def recent_visits(context, subject, limit: int = 5):
    """The latest visits to a project or enterprise, from logs the reader may see."""
    user = context["request"].user
    field = "project" if subject._meta.model_name == "project" else "enterprise"
    visits = (
        Visit.objects.filter(**{field: subject}, log__in=WorkLog.objects.visible_to(user))
        .select_related("visitor", "log")
        .order_by("-visited_on", "-pk")[:limit]
    )
    return {"visits": visits, "field": field, "subject": subject}
