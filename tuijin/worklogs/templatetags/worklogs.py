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


@register.inclusion_tag("worklogs/_my_weekend.html", takes_context=True)
def my_weekend_log(context):
    """On the home page: the reader's own weekend log for this (or the past) weekend, when
    they are on the roster."""
    from django.utils import timezone

    from tuijin.org.access import person_of
    from tuijin.worklogs import rules
    from tuijin.worklogs.models import weekend_of

    person = person_of(context["request"].user)
    if person is None or not hasattr(person, "log_duty"):
        return {"row": None}
    saturday = weekend_of(timezone.localdate())
    tallies = rules.weekend_roster([person.unit_id], saturday)
    rows = [row for tally in tallies for row in tally.rows if row.person.pk == person.pk]
    return {"row": rows[0] if rows else None, "saturday": saturday}
