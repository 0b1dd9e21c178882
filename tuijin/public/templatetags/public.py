"""The public app's hook on the project page: zone leaders and admins get a link to choose
which of the project's photos the public progress page shows (the projects app knows nothing
of publishing)."""

from django import template

from tuijin.public.permissions import can_publish

register = template.Library()


@register.inclusion_tag("public/_photos_link.html", takes_context=True)
def public_photos_link(context, project):
    return {"project": project, "can_publish": can_publish(context["request"].user)}
