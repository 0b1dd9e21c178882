"""Who an audience is, for a given item or problem (resolved when the event happens)."""

from django.contrib.auth import get_user_model

from tuijin.notify.models import Audience
from tuijin.org.models import Person, Role

UNIT_PEOPLE = [Role.UNIT_HEAD, Role.UNIT_STAFF, Role.CADRE]


def users_of(people) -> list:
    """Active users of these Person rows, distinct, in a stable order."""
    ids = {p.user_id for p in people if p.user_id and p.is_active}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def resolve(
    audience: str, *, unit=None, item=None, problem=None, extension=None, person=None
) -> list:
    project = (item.project if item else None) or (problem.project if problem else None)
    if audience == Audience.LEAD_UNIT and unit:
        return users_of(Person.objects.filter(unit=unit, role__in=UNIT_PEOPLE))
    if audience == Audience.LEAD_UNIT_HEAD and unit:
        return users_of(Person.objects.filter(unit=unit, role=Role.UNIT_HEAD))
    if audience == Audience.RESPONSIBLE and item and item.responsible_id:
        return users_of([item.responsible])
    if audience == Audience.ASSIGNER and item:
        return users_of([item.assigner])
    if audience == Audience.PROJECT_LEADERS and project:
        return users_of(project.leaders.all())
    if audience == Audience.PERSON and person:
        return users_of([person])
    if audience == Audience.REQUESTER and extension:
        return users_of([extension.requested_by])
    if audience in (Audience.ZONE_LEADERS, Audience.SUPERVISORS) and unit:
        role = Role.ZONE_LEADER if audience == Audience.ZONE_LEADERS else Role.SUPERVISOR
        zone = unit.zone
        return users_of(Person.objects.filter(role=role, unit__path__startswith=zone.path))
    return []
