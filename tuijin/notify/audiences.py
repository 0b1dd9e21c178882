"""Who an audience is when a message is published.

Unit-based audiences (the unit's people, its head, the zone's leaders, 督查室 and 纪检) are
resolved here from the message's unit. Every other audience (责任人, 交办人, 包保领导, 申请人,
the log's author …) is named by the app that publishes: notify knows no domain.
"""

from collections.abc import Callable, Iterable, Mapping

from django.contrib.auth import get_user_model

from tuijin.notify.models import Audience
from tuijin.org.models import Person, Role

UNIT_PEOPLE = [Role.UNIT_HEAD, Role.UNIT_STAFF, Role.CADRE]
UNIT_AUDIENCES = {
    Audience.LEAD_UNIT,
    Audience.LEAD_UNIT_HEAD,
    Audience.ZONE_LEADERS,
    Audience.SUPERVISORS,
    Audience.INSPECTORS,
}
ZONE_ROLES = {
    Audience.ZONE_LEADERS: Role.ZONE_LEADER,
    Audience.SUPERVISORS: Role.SUPERVISOR,
    Audience.INSPECTORS: Role.INSPECTOR,
}

# audience → its people, or a callable returning them (called only if a rule asks).
People = Mapping[str, Iterable[Person] | Callable[[], Iterable[Person]]]


def users_of(people) -> list:
    """Active users of these Person rows (None skipped), distinct, in a stable order."""
    ids = {p.user_id for p in people if p is not None and p.user_id and p.is_active}
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def resolve(audience: str, *, unit=None, people: People | None = None) -> list:
    if audience in UNIT_AUDIENCES:
        return _of_unit(audience, unit) if unit else []
    named = (people or {}).get(audience)
    if named is None:
        return []
    return users_of(named() if callable(named) else named)


def _of_unit(audience: str, unit) -> list:
    if audience == Audience.LEAD_UNIT:
        return users_of(Person.objects.filter(unit=unit, role__in=UNIT_PEOPLE))
    if audience == Audience.LEAD_UNIT_HEAD:
        return users_of(Person.objects.filter(unit=unit, role=Role.UNIT_HEAD))
    role = ZONE_ROLES[audience]
    zone = unit.zone
    return users_of(Person.objects.filter(role=role, unit__path__startswith=zone.path))
