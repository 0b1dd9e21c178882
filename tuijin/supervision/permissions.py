"""Who may do each transition of a 督办 item (DESIGN §3)."""

from tuijin.org.access import person_of, role_of, sees_everything
from tuijin.org.models import Role

ASSIGNER_ROLES = {Role.ZONE_LEADER, Role.SUPERVISOR}
UNIT_ROLES = {Role.UNIT_HEAD, Role.UNIT_STAFF, Role.CADRE}


def can_assign(user) -> bool:
    """Set a 督办 item or an on-site directive."""
    return sees_everything(user) or role_of(user) in ASSIGNER_ROLES


def is_unit_side(user, item) -> bool:
    """People of the lead unit (or under it) and the named responsible person."""
    person = person_of(user)
    if person is None:
        return False
    if item.responsible_id == person.pk:
        return True
    return person.role in UNIT_ROLES and person.unit.path.startswith(item.lead_unit.path)


def is_supervisor_side(user, item) -> bool:
    person = person_of(user)
    return (
        sees_everything(user)
        or role_of(user) in ASSIGNER_ROLES
        or (person is not None and item.assigner_id == person.pk)
    )


def is_assigner(user, item) -> bool:
    person = person_of(user)
    return sees_everything(user) or (person is not None and item.assigner_id == person.pk)


# verb → who may do it
RULES = {
    "accept": is_unit_side,
    "start": is_unit_side,
    "report": is_unit_side,
    "request_extension": is_unit_side,
    "start_verification": is_supervisor_side,
    "verify": is_supervisor_side,
    "return": is_supervisor_side,
    "urge": is_supervisor_side,
    "decide_extension": is_assigner,
    "cancel": lambda user, item: is_assigner(user, item) or role_of(user) == Role.ZONE_LEADER,
}


def may(user, verb: str, item) -> bool:
    return RULES[verb](user, item)


def allowed_verbs(user, item) -> set[str]:
    from tuijin.supervision.services import TRANSITIONS

    return {
        verb
        for verb, (sources, _target) in TRANSITIONS.items()
        if item.state in sources and may(user, verb, item)
    }
