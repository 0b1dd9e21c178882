"""Who sees and works the investment pipeline (招商项目库, E14).

- The 招商局 (a department whose name starts with 招商) and the zone-wide roles (leaders,
  督查室, inspectors) see the whole pipeline of their zone; admins everything.
- Other units see the leads they handle: the lead's 招商 unit or park is in their subtree,
  or they are its 包保 leader.
- Enterprise liaisons never see the pipeline.
- The investor's contact data: only the lead's handlers (its unit's people, its 包保 leader)
  and the zone's leaders.
"""

from django.db.models import Q

from tuijin.org.models import (
    READ_ONLY_ROLES,
    ZONE_WIDE_ROLES,
    Role,
    Unit,
    UnitKind,
    person_of,
    role_of,
    sees_everything,
)

INVESTMENT_BUREAU_PREFIX = "招商"


def is_investment_bureau(unit: Unit | None) -> bool:
    """The 招商局: a department named 招商…"""
    return (
        unit is not None
        and unit.kind == UnitKind.DEPARTMENT
        and unit.name.startswith(INVESTMENT_BUREAU_PREFIX)
    )


def sees_whole_pipeline(user) -> bool:
    """Admins, the zone-wide roles and the 招商局's people."""
    if sees_everything(user):
        return True
    person = person_of(user)
    if person is None or person.role == Role.LIAISON:
        return False
    return person.role in ZONE_WIDE_ROLES or is_investment_bureau(person.unit)


def pipeline_zone(user) -> Unit | None:
    person = person_of(user)
    return person.unit.zone if person else None


def lead_scope(user) -> Q | None:
    """The rule for the leads a user sees: None for every lead, Q(pk__in=[]) for none."""
    if sees_everything(user):
        return None
    person = person_of(user)
    if person is None or person.role == Role.LIAISON:
        return Q(pk__in=[])
    if sees_whole_pipeline(user):
        return Q(unit__path__startswith=person.unit.zone.path)
    path = person.unit.path
    return Q(unit__path__startswith=path) | Q(park__path__startswith=path) | Q(leader=person)


def can_work_pipeline(user) -> bool:
    """Enter leads and move them on: anyone who writes and is not a liaison."""
    role = role_of(user)
    return role is not None and role not in READ_ONLY_ROLES | {Role.LIAISON}


def reads_pipeline(user) -> bool:
    """Opens the pipeline's pages at all: those who work it and the zone-wide roles."""
    return can_work_pipeline(user) or sees_whole_pipeline(user)


def can_edit_lead(user, lead) -> bool:
    """The lead's handlers (its unit's people, its 包保 leader), the 招商局 and admins."""
    if sees_everything(user):
        return True
    if not can_work_pipeline(user):
        return False
    person = person_of(user)
    if is_investment_bureau(person.unit):
        return lead.unit.path.startswith(person.unit.zone.path)
    return (
        lead.unit.is_within(person.unit)
        or lead.leader_id == person.pk
        or (lead.park_id is not None and lead.park.is_within(person.unit))
    )


def edit_scope(user) -> Q | None:
    """The query form of ``can_edit_lead``."""
    if sees_everything(user):
        return None
    if not can_work_pipeline(user):
        return Q(pk__in=[])
    person = person_of(user)
    if is_investment_bureau(person.unit):
        return Q(unit__path__startswith=person.unit.zone.path)
    path = person.unit.path
    return Q(unit__path__startswith=path) | Q(park__path__startswith=path) | Q(leader=person)


def sees_contacts(user, lead) -> bool:
    """The investor's contact data: the lead's handlers (its unit, its 包保 leader) and the
    zone's leaders."""
    if sees_everything(user):
        return True
    person = person_of(user)
    if person is None or person.role == Role.LIAISON:
        return False
    if person.role == Role.ZONE_LEADER:
        return True
    return lead.leader_id == person.pk or lead.unit.is_within(person.unit)


def can_supervise_clock(user) -> bool:
    """Turn an overdue clock into a 督办 item: those who may assign items."""
    from tuijin.supervision.permissions import can_assign_items

    return can_assign_items(user)


def can_manage_planning(user) -> bool:
    """Run the yearly planning cycle (谋划项目库): the 招商局, zone leaders, 督查室, admins;
    the units fill in their own planned projects."""
    if sees_everything(user):
        return True
    person = person_of(user)
    if person is None or person.role in READ_ONLY_ROLES | {Role.LIAISON}:
        return False
    return person.role in ZONE_WIDE_ROLES or is_investment_bureau(person.unit)
