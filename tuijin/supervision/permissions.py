"""Who may do each verb on a 督办 item or a problem (DESIGN §3), one plain function per rule.

Reading is decided by each model's ``visible_to``, changing at all by ``editable_by``; these
functions say which verb. The services check them before writing anything; views call them
only to decide which buttons to show. Where each verb may start is ``workflow.TRANSITIONS``.
"""

from tuijin.org.access import (
    can_write,
    home_unit,
    in_own_subtree,
    person_of,
    role_of,
    sees_everything,
)
from tuijin.org.models import Role
from tuijin.supervision.models import ASSIGNER_ROLES, UNIT_ROLES
from tuijin.supervision.workflow import TRANSITIONS

# --- Items ----------------------------------------------------------------------------------


def can_assign_items(user) -> bool:
    """Set a 督办 item or an on-site directive: zone leaders, 督查室, admins."""
    return sees_everything(user) or role_of(user) in ASSIGNER_ROLES


def is_unit_side(user, item) -> bool:
    """People of the lead unit (or a unit under it) and the named responsible person."""
    person = person_of(user)
    if person is None:
        return False
    if item.responsible_id == person.pk:
        return True
    return person.role in UNIT_ROLES and person.unit.is_within(item.lead_unit)


def is_supervisor_side(user, item) -> bool:
    """Zone leaders, 督查室, admins and the item's assigner."""
    person = person_of(user)
    return (
        sees_everything(user)
        or role_of(user) in ASSIGNER_ROLES
        or (person is not None and item.assigner_id == person.pk)
    )


def is_assigner(user, item) -> bool:
    person = person_of(user)
    return sees_everything(user) or (person is not None and item.assigner_id == person.pk)


def can_decide_extension(user, item) -> bool:
    """The assigner (the one who set the deadline), the 督查室 of the item's zone, admins.
    Not unit people (they ask), not zone leaders who did not set it, not liaisons."""
    if is_assigner(user, item):
        return True
    if role_of(user) != Role.SUPERVISOR:
        return False
    zone = home_unit(user)
    return zone is not None and item.lead_unit.is_within(zone)


def can_cancel_item(user, item) -> bool:
    return is_assigner(user, item) or role_of(user) == Role.ZONE_LEADER


# verb → its rule: the unit side works an item, the supervision side checks it.
ITEM_RULES = {
    "accept": is_unit_side,
    "start": is_unit_side,
    "report": is_unit_side,
    "request_extension": is_unit_side,
    "start_verification": is_supervisor_side,
    "verify": is_supervisor_side,
    "return": is_supervisor_side,
    "urge": is_supervisor_side,
    "decide_extension": can_decide_extension,
    "cancel": can_cancel_item,
}


def allowed_verbs(user, item) -> set[str]:
    """The verbs the user may take on the item in its current state."""
    return {
        verb
        for verb, (sources, _target) in TRANSITIONS.items()
        if item.state in sources and ITEM_RULES[verb](user, item)
    }


# --- Problems -------------------------------------------------------------------------------


def can_raise_problem(user) -> bool:
    """Anyone who writes at all, enterprise liaisons included (they report their problems)."""
    return can_write(user)


def can_act_on_problem(user, problem) -> bool:
    """Escalate, resolve or report upward: the problem's unit side (unit people of its unit or
    a unit above it), the zone's leaders and 督查室, admins. Not the enterprise liaison (who
    sees their enterprise's problems), not the inspector. Same scope as ``editable_by``."""
    if sees_everything(user):
        return True
    role = role_of(user)
    if role in ASSIGNER_ROLES:
        zone = home_unit(user)
        return zone is not None and problem.unit.is_within(zone)
    return role in UNIT_ROLES and in_own_subtree(user, problem.unit)
