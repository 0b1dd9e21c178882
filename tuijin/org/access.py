"""Who a user is in the organisation, and which units' records they see by ownership.

The unit-subtree primitive of DESIGN §4: a user sees records owned by units in their own
unit's subtree, records they are assigned to, and what their role grants (zone leaders,
supervisors and inspectors see their whole zone; admins see everything). Each model's
``visible_to`` / ``editable_by`` (see ``tuijin.core.access``) is built from these helpers;
per-verb rules live in each app's ``permissions.py``. Domain apps import them from here.

How a new model plugs in: docs/development/access.md.
"""

from tuijin.org.models import (
    READ_ONLY_ROLES,
    ZONE_WIDE_ROLES,
    Unit,
    UnitKind,
    home_unit,
    person_of,
    role_of,
    sees_everything,
    unit_scope,
    visible_units,
)

__all__ = [
    "READ_ONLY_ROLES",
    "ZONE_WIDE_ROLES",
    "can_write",
    "has_role",
    "home_unit",
    "in_own_subtree",
    "person_of",
    "role_of",
    "sees_everything",
    "unit_scope",
    "visible_units",
    "zone_units",
]


def has_role(user, *roles) -> bool:
    return role_of(user) in roles


def can_write(user) -> bool:
    """Any write at all: logged in, with a person record, and not a read-only role."""
    return bool(getattr(user, "is_authenticated", False)) and role_of(user) not in (
        READ_ONLY_ROLES | {None}
    )


def zone_units(user):
    """Units of the user's zone (every unit for admins; none without a person record): what a
    choice list may offer beyond the user's own scope, such as the park a project stands in or
    the leader assigned to it. Never another zone's units or people (DESIGN §4)."""
    if sees_everything(user):
        return Unit.objects.all()
    person = person_of(user)
    if person is None:
        return Unit.objects.none()
    return person.unit.zone.subtree()


def in_own_subtree(user, unit: Unit | None) -> bool:
    """Is ``unit`` the user's own unit or under it? In memory, no query (a path prefix)."""
    person = person_of(user)
    return person is not None and unit is not None and unit.is_within(person.unit)


def sheet_unit(user) -> str:
    """The unit an export names in its title row: the user's own, or the zone for those
    without one (administrators)."""
    person = person_of(user)
    if person is not None:
        return person.unit.name
    root = Unit.objects.filter(kind=UnitKind.ZONE).order_by("depth", "path").first()
    return root.name if root else ""
