"""Who may do what with work logs. Plain rules, checked by ``worklogs/services.py``; views use
them only to decide which forms and buttons to show."""

from tuijin.org.access import can_write, person_of, role_of, visible_units
from tuijin.org.models import Role

COMMENTING_ROLES = {Role.UNIT_HEAD, Role.ZONE_LEADER, Role.ADMIN}
ROSTER_ROLES = {Role.UNIT_HEAD, Role.ZONE_LEADER, Role.ADMIN}


def can_write_log(user) -> bool:
    """Cadres of units write logs; inspectors only read, enterprise liaisons are not cadres."""
    return person_of(user) is not None and can_write(user) and role_of(user) != Role.LIAISON


def can_comment_on_log(user, log) -> bool:
    """Unit heads comment on logs of their unit subtree, zone leaders on all, never their own."""
    person = person_of(user)
    if role_of(user) not in COMMENTING_ROLES or (person and log.author_id == person.pk):
        return False
    return visible_units(user).filter(pk=log.unit_id).exists()


def can_manage_roster(user) -> bool:
    """Keep a duty roster and grant leave at all (the roster page's buttons)."""
    return role_of(user) in ROSTER_ROLES


def can_manage_roster_of(user, person) -> bool:
    """Put this cadre on the roster, take them off, grant or revoke their leave."""
    return can_manage_roster(user) and visible_units(user).filter(pk=person.unit_id).exists()
