"""Who may do what in the rural linkage records. Plain rules, checked by ``rural/services.py``;
views use them only to decide which forms and buttons to show."""

from tuijin.org.access import role_of, sees_everything, visible_units
from tuijin.org.models import Role
from tuijin.rural.models import RECORDER_ROLES, RURAL_KINDS


def can_record(user) -> bool:
    """Record companies, parks, agreements, deliveries, payments and incomes at all: the
    people of towns, villages and communities (and any unit's head, staff and cadres, for
    their own subtree), zone leaders, admins. Not 督查室, inspectors or liaisons."""
    if sees_everything(user):
        return True
    role = role_of(user)
    return role == Role.ZONE_LEADER or role in RECORDER_ROLES


def recordable_units(user):
    """The villages, communities and towns a user may record for (a choice list's units)."""
    if not can_record(user):
        return visible_units(user).none()
    return visible_units(user).filter(kind__in=RURAL_KINDS)


def can_edit(user, record) -> bool:
    """Change this record (or add to it): it is in ``editable_by``."""
    return type(record)._default_manager.editable_by(user).filter(pk=record.pk).exists()
