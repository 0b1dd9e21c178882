"""The 督办 state machine (DESIGN §3): where each verb may start and where it leads.

Who may do a verb is a separate question, answered in ``permissions.py``; the services check
both. Kept apart so permissions and services can both read the machine without importing
each other.
"""

from django.utils.translation import gettext_lazy as _

from tuijin.supervision.models import OPEN_STATES, ItemState

S = ItemState
OPEN = frozenset(OPEN_STATES)
# verb → (states it may start from, state it leads to; None: stays)
TRANSITIONS = {
    "accept": ({S.ASSIGNED}, S.ACCEPTED),
    "start": ({S.ACCEPTED}, S.IN_PROGRESS),
    "report": ({S.ACCEPTED, S.IN_PROGRESS}, S.REPORTED),
    "start_verification": ({S.REPORTED}, S.VERIFYING),
    "verify": ({S.REPORTED, S.VERIFYING}, None),  # 属实 → 办结; otherwise → 办理中 (退回)
    "return": ({S.REPORTED, S.VERIFYING}, S.IN_PROGRESS),
    "cancel": (OPEN, S.CANCELLED),
    "urge": (OPEN - {S.REPORTED, S.VERIFYING}, None),
    "request_extension": ({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS}, None),
    "decide_extension": (OPEN, None),
}
VERB_LABELS = {
    "assign": _("交办"),
    "accept": _("签收"),
    "start": _("开始办理"),
    "report": _("反馈办理情况"),
    "start_verification": _("安排现场核查"),
    "verify": _("核查"),
    "return": _("退回"),
    "cancel": _("撤销"),
    "urge": _("催办"),
    "request_extension": _("申请延期"),
    "decide_extension": _("审批延期"),
    "apply_holiday_calendar": _("节假日调整期限"),  # the timeline only: not a user's verb
}


def can_start_from(verb: str, state: str) -> bool:
    sources, _target = TRANSITIONS[verb]
    return state in sources


def target_of(verb: str) -> str | None:
    return TRANSITIONS[verb][1]
