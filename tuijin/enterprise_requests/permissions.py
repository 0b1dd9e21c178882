"""Who may do what with an enterprise request. Plain rules, checked by ``services``; views use
them only to decide which forms and buttons to show."""

from tuijin.enterprise_requests.models import CheckResult, State
from tuijin.org.access import can_write, person_of, role_of, sees_everything
from tuijin.org.models import Role
from tuijin.supervision.permissions import can_assign_items


def can_raise(user) -> bool:
    """Raise a request: an enterprise liaison with at least one enterprise of their own."""
    person = person_of(user)
    return (
        person is not None and person.role == Role.LIAISON and person.liaison_enterprises.exists()
    )


def is_requester(user, request) -> bool:
    """The enterprise's side: its liaison (who raised it, or took over from them)."""
    person = person_of(user)
    return person is not None and person.pk in (
        request.enterprise.liaison_id,
        request.raised_by_id,
    )


def is_enterprise_leader(user, request) -> bool:
    person = person_of(user)
    return person is not None and request.enterprise.leaders.filter(pk=person.pk).exists()


def is_handler(user, request) -> bool:
    """The handling unit's people (or of a unit above it), who may write."""
    person = person_of(user)
    return (
        request.unit is not None
        and person is not None
        and person.role not in (Role.LIAISON, Role.INSPECTOR)
        and can_write(user)
        and person.unit.is_within(request.unit)
    ) or (sees_everything(user) and request.unit is not None)


def can_assign(user, request) -> bool:
    """交办 (or give to another unit before it is accepted): the 督查室, zone leaders, admins,
    and the enterprise's 包保 leaders."""
    return (
        request.state in (State.SUBMITTED, State.ASSIGNED)
        and can_write(user)
        and (can_assign_items(user) or is_enterprise_leader(user, request))
    )


def can_accept(user, request) -> bool:
    return request.state == State.ASSIGNED and is_handler(user, request)


def can_answer(user, request) -> bool:
    return request.state == State.HANDLING and is_handler(user, request)


def can_mark_complex(user, request) -> bool:
    """复杂诉求 (the longer resolve clock, with a reason): the handling unit or who assigns."""
    return (
        request.state in (State.ASSIGNED, State.HANDLING)
        and not request.is_complex
        and (is_handler(user, request) or can_assign(user, request) or can_assign_items(user))
        and can_write(user)
    )


def can_close(user, request) -> bool:
    """Confirm resolved or reopen: the enterprise, once the unit has answered."""
    return request.state == State.ANSWERED and is_requester(user, request)


def can_rate(user, request) -> bool:
    """Satisfaction, separately from resolution: the enterprise, once, after closing."""
    return (
        request.state in (State.RESOLVED, State.WITHDRAWN)
        and not request.satisfaction
        and is_requester(user, request)
    )


def can_withdraw(user, request) -> bool:
    return request.state in (State.SUBMITTED, State.ASSIGNED, State.HANDLING, State.ANSWERED) and (
        is_requester(user, request)
    )


def can_check(user, request) -> bool:
    """A sampled withdrawal is checked by the 督查室 (or a zone leader, an admin)."""
    return (
        request.state == State.WITHDRAWN
        and request.check_result == CheckResult.PENDING
        and can_assign_items(user)
    )


RULES = {
    "assign": can_assign,
    "accept": can_accept,
    "answer": can_answer,
    "complex": can_mark_complex,
    "reopen": can_close,
    "confirm": can_close,
    "rate": can_rate,
    "withdraw": can_withdraw,
    "check": can_check,
}


def sees_requests(user) -> bool:
    """The menu's 企业诉求: everyone who may see some request (not inspectors, R15 item 14)."""
    role = role_of(user)
    return role is not None and role != Role.INSPECTOR
