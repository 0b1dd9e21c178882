"""Every write of enterprise requests, one function per thing people do. Each checks its rule
(``permissions``), locks the request and refuses a stale version (``core.versions``), writes in
one transaction under ``audit_context``, records a timeline step and queues its messages."""

import contextlib
import datetime as dt
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core import versions
from tuijin.core.audit import audit_context
from tuijin.core.deadlines import due
from tuijin.core.rules_settings import settings_for
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.core.uploads import facts_of
from tuijin.enterprise_requests import permissions
from tuijin.enterprise_requests.models import (
    OPEN_STATES,
    CheckResult,
    Clock,
    EnterpriseRequest,
    RequestPhoto,
    RequestStep,
    Satisfaction,
    State,
    Verb,
)
from tuijin.notify.models import Audience
from tuijin.notify.services import Message, publish
from tuijin.org.access import person_of
from tuijin.org.models import Person, Role, Unit
from tuijin.supervision import services as supervision
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.workdays import Calendar, add_working_days, span_end

SETTINGS = (
    "REQUEST_ACCEPT_DAYS",
    "REQUEST_ANSWER_DAYS",
    "REQUEST_RESOLVE_DAYS",
    "REQUEST_COMPLEX_DAYS",
    "REQUEST_CHECK_PERCENT",
)
# Events of these messages and their default rules: migration 0002 of this app.
RAISED, ASSIGNED, ANSWERED, REOPENED = (
    "request_raised",
    "request_assigned",
    "request_answered",
    "request_reopened",
)
ESCALATION_DAYS = 3  # working days the 督办 item gives the unit


class RequestError(Exception):
    """A refused action, with the reason in Chinese for the user."""


def clock_days() -> dict:
    return settings_for(*SETTINGS)


def deadlines(raised_on: dt.date, *, complex_case: bool = False) -> dict:
    """The three clocks of a request raised on ``raised_on`` (working days, the day itself not
    counted): accept, answer, resolve (the complex cases' longer one when marked)."""
    days = clock_days()
    resolve = days["REQUEST_COMPLEX_DAYS" if complex_case else "REQUEST_RESOLVE_DAYS"]
    longest = max(days["REQUEST_ACCEPT_DAYS"], days["REQUEST_ANSWER_DAYS"], resolve)
    calendar = Calendar.load(raised_on, span_end(raised_on, longest))
    accept = add_working_days(raised_on, days["REQUEST_ACCEPT_DAYS"], calendar)
    answer = max(accept, add_working_days(raised_on, days["REQUEST_ANSWER_DAYS"], calendar))
    return {
        "accept_due": accept,
        "answer_due": answer,
        "resolve_due": max(answer, add_working_days(raised_on, resolve, calendar)),
    }


def _step(request, verb: str, user, text: str = "", person=None) -> RequestStep:
    return RequestStep.objects.create(
        request=request,
        verb=verb,
        text=text,
        actor=person or person_of(user),
        at=timezone.now(),
    )


@contextlib.contextmanager
def acting_on(user, pk: int, version: int | None, verb: str):
    """Lock the request, check the version the user saw and the verb's rule, then save it
    (its version rises) and note the step; the caller sets the fields inside."""
    with transaction.atomic():
        request = versions.locked(
            EnterpriseRequest.objects.select_related("enterprise", "unit"),
            pk,
            version,
            _("该诉求"),
        )
        if not permissions.RULES[verb](user, request):
            raise PermissionDenied(
                _("该诉求当前为“%(state)s”,您不能执行“%(verb)s”。")
                % {"state": request.get_state_display(), "verb": Verb(verb).label}
            )
        with audit_context(actor=user, action=f"request_{verb}"):
            yield request
            request.save()


# --- The enterprise --------------------------------------------------------------------------


@transaction.atomic
def raise_request(
    user,
    *,
    enterprise,
    category: str,
    description: str,
    project=None,
    photos=(),
) -> EnterpriseRequest:
    """提出诉求: the liaison, for their own enterprise (and one of its projects)."""
    person = person_of(user)
    if not permissions.can_raise(user) or enterprise.liaison_id != person.pk:
        raise PermissionDenied(_("只有企业联络人可以为本企业提出诉求。"))
    if project is not None and not project.enterprises.filter(pk=enterprise.pk).exists():
        raise ValidationError({"project": _("请选择本企业的项目。")})
    if not description.strip():
        raise ValidationError({"description": _("请填写诉求内容。")})
    facts = [(upload, facts_of(upload)) for upload in photos]  # read in the form
    now = timezone.now()
    today = timezone.localdate(now)
    with audit_context(actor=user, action="request_raise"):
        request = EnterpriseRequest.objects.create(
            enterprise=enterprise,
            project=project,
            category=category,
            description=description.strip(),
            raised_by=person,
            raised_at=now,
            raised_on=today,
            **deadlines(today),
        )
        for upload, fact in facts:
            RequestPhoto.objects.create(
                request=request,
                image=upload,
                original_name=upload.name[:255],
                sha256=fact.sha256,
                taken_at=fact.taken_at,
            )
        _step(request, Verb.RAISE, user, request.description)
    _notify(
        RAISED,
        request,
        f"{enterprise.name}提出{request.get_category_display()}诉求,待交办",
        unit=enterprise.unit,
        people={
            Audience.PROJECT_LEADERS: lambda: enterprise.leaders.all(),
        },
    )
    return request


def confirm(user, pk: int, version: int | None) -> EnterpriseRequest:
    """The enterprise confirms its request resolved: closed, on time if the answer that
    resolved it came by the resolve clock."""
    with acting_on(user, pk, version, "confirm") as request:
        request.state = State.RESOLVED
        request.closed_on = timezone.localdate()
        answered = request.last_answered_on or request.closed_on
        request.resolved_on_time = answered <= request.resolve_due
        _step(request, Verb.CONFIRM, user)
    return request


@transaction.atomic
def reopen(user, pk: int, version: int | None, reason: str) -> EnterpriseRequest:
    """The enterprise says it is not resolved: back to the unit, with a new answer clock."""
    if not reason.strip():
        raise ValidationError({"text": _("请说明未解决的原因。")})
    with acting_on(user, pk, version, "reopen") as request:
        today = timezone.localdate()
        fresh = add_working_days(today, clock_days()["REQUEST_ANSWER_DAYS"])
        request.state = State.HANDLING
        request.reopened_count += 1
        request.answer_due = max(request.accept_due, min(fresh, request.resolve_due))
        _step(request, Verb.REOPEN, user, reason.strip())
    _notify(
        REOPENED,
        request,
        f"{request.enterprise.name}认为诉求未解决,已重新打开",
        body=reason.strip(),
        unit=request.unit,
        key=f"r{request.version}",
    )
    return request


def rate(user, pk: int, version: int | None, satisfaction: str, note: str = ""):
    """满意度, separately from resolution (a resolved request may still leave them unhappy)."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度。")})
    with acting_on(user, pk, version, "rate") as request:
        request.satisfaction = satisfaction
        request.rated_at = timezone.now()
        label = Satisfaction(satisfaction).label
        _step(request, Verb.RATE, user, f"{label}{'。' + note.strip() if note.strip() else ''}")
    return request


def withdraw(
    user, pk: int, version: int | None, reason: str, on_suggestion: bool
) -> EnterpriseRequest:
    """The enterprise withdraws its request. One withdrawn at the handling unit's suggestion
    is sampled (``REQUEST_CHECK_PERCENT``) for the 督查室 to check it was the enterprise's own
    wish."""
    if not reason.strip():
        raise ValidationError({"text": _("请说明撤回理由。")})
    with acting_on(user, pk, version, "withdraw") as request:
        request.state = State.WITHDRAWN
        request.closed_on = timezone.localdate()
        request.withdrawn_reason = reason.strip()
        request.withdrawn_on_suggestion = on_suggestion
        if on_suggestion and sampled(request.pk):
            request.check_result = CheckResult.PENDING
        _step(request, Verb.WITHDRAW, user, reason.strip())
    return request


def sampled(pk: int) -> bool:
    """Is this withdrawal among the share checked? Fixed per request (seeded by its id)."""
    percent = clock_days()["REQUEST_CHECK_PERCENT"]
    return random.Random(f"request-{pk}").random() * 100 < percent  # a sample, not a secret


# --- Assigning and handling ------------------------------------------------------------------


@transaction.atomic
def assign(user, pk: int, version: int | None, unit: Unit) -> EnterpriseRequest:
    """交办 to a unit (or to another one, before it is accepted)."""
    from tuijin.org.access import zone_units

    if not zone_units(user).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("请选择本区的单位。")})
    with acting_on(user, pk, version, "assign") as request:
        request.state = State.ASSIGNED
        request.unit = unit
        request.assigned_by = person_of(user)
        request.assigned_at = timezone.now()
        _step(request, Verb.ASSIGN, user, unit.name)
    _notify(
        ASSIGNED,
        request,
        f"企业诉求交办:{request.enterprise.name}({request.get_category_display()})",
        body=f"请于{due(request.accept_due)}前受理,{due(request.answer_due)}前答复。",
        unit=unit,
        key=f"u{unit.pk}",
    )
    return request


def accept(user, pk: int, version: int | None) -> EnterpriseRequest:
    """受理: the handling unit takes the request on."""
    with acting_on(user, pk, version, "accept") as request:
        request.state = State.HANDLING
        request.accepted_at = timezone.now()
        _step(request, Verb.ACCEPT, user)
    return request


@transaction.atomic
def answer(user, pk: int, version: int | None, text: str) -> EnterpriseRequest:
    """答复: the unit says what it did; the enterprise then confirms or reopens."""
    if not text.strip():
        raise ValidationError({"text": _("请填写答复内容。")})
    with acting_on(user, pk, version, "answer") as request:
        now = timezone.now()
        request.state = State.ANSWERED
        request.answer = text.strip()
        request.answered_at = request.answered_at or now
        request.last_answered_on = timezone.localdate(now)
        _step(request, Verb.ANSWER, user, text.strip())
    _notify(
        ANSWERED,
        request,
        f"{request.unit.name}已答复您的{request.get_category_display()}诉求,请确认是否解决",
        body=request.answer,
        people={Audience.REQUESTER: [request.raised_by]},
        key=f"a{request.version}",
    )
    return request


def mark_complex(user, pk: int, version: int | None, reason: str) -> EnterpriseRequest:
    """复杂诉求: the longer resolve clock (``REQUEST_COMPLEX_DAYS``), with the reason."""
    if not reason.strip():
        raise ValidationError({"text": _("请说明认定为复杂诉求的理由。")})
    with acting_on(user, pk, version, "complex") as request:
        request.is_complex = True
        request.complex_reason = reason.strip()
        request.resolve_due = deadlines(request.raised_on, complex_case=True)["resolve_due"]
        _step(
            request,
            Verb.COMPLEX,
            user,
            f"{reason.strip()}(解决期限:{cn_date(request.resolve_due)})",
        )
    return request


def check_withdrawal(
    user, pk: int, version: int | None, result: str, note: str
) -> EnterpriseRequest:
    """核查 a sampled withdrawal: the enterprise's own wish, or talked out of it."""
    if result not in (CheckResult.GENUINE, CheckResult.IMPROPER):
        raise ValidationError({"result": _("请选择核查结论。")})
    with acting_on(user, pk, version, "check") as request:
        request.check_result = result
        request.check_note = note.strip()
        _step(request, Verb.CHECK, user, f"{CheckResult(result).label}。{note.strip()}")
    return request


VERBS = {
    "assign": assign,
    "accept": accept,
    "answer": answer,
    "complex": mark_complex,
    "reopen": reopen,
    "confirm": confirm,
    "rate": rate,
    "withdraw": withdraw,
    "check": check_withdrawal,
}


# --- Escalation ------------------------------------------------------------------------------


def _assigner_for(unit: Unit):
    """Who the escalated 督办 item names as assigner: the zone's 督查室 (else a zone leader)."""
    zone = unit.zone
    people = Person.objects.filter(
        unit__path__startswith=zone.path, is_active=True, user__isnull=False
    ).select_related("user")
    for role in (Role.SUPERVISOR, Role.ZONE_LEADER):
        person = people.filter(role=role).order_by("pk").first()
        if person is not None:
            return person
    return None


def escalate_overdue(today: dt.date | None = None) -> list[SupervisionItem]:
    """Every open request with a missed clock becomes a 督办 item on the unit that owes it
    (the handling unit; the enterprise's responsible unit while unassigned), once: a request
    already escalated is left alone however often this runs. Returns the new items."""
    today = today or timezone.localdate()
    candidates = EnterpriseRequest.objects.filter(
        state__in=(State.SUBMITTED, State.ASSIGNED, State.HANDLING),
        escalated_item__isnull=True,
    ).filter(Q(accept_due__lt=today) | Q(answer_due__lt=today) | Q(resolve_due__lt=today))
    items = []
    for pk in candidates.values_list("pk", flat=True):
        item = _escalate(pk, today)
        if item is not None:
            items.append(item)
    return items


@transaction.atomic
def _escalate(pk: int, today: dt.date):
    request = (
        EnterpriseRequest.objects.select_for_update(of=("self",))
        .select_related("enterprise__unit", "unit", "project")
        .get(pk=pk)
    )
    missed = request.overdue_clocks(today)
    if request.escalated_item_id is not None or not missed:
        return None
    unit = request.unit or request.enterprise.unit
    assigner = _assigner_for(unit)
    if assigner is None:
        return None
    clocks = "、".join(str(Clock(c).label) for c in missed)
    item, _warning = supervision.assign_item(
        assigner.user,
        title=f"企业诉求超期:{request.enterprise.name}{request.get_category_display()}诉求"[:200],
        requirement=(
            f"{request.enterprise.name}于{cn_date(request.raised_on)}提出的"
            f"{request.get_category_display()}诉求超过{clocks}期限。诉求内容:{request.description}"
        ),
        result_standard="诉求得到答复并经企业确认解决",
        source=SupervisionItem.Source.PROBLEM,
        project=request.project,
        enterprise=request.enterprise,
        lead_unit=unit,
        deadline_mode=SupervisionItem.DeadlineMode.WORKING_DAYS,
        deadline_days=ESCALATION_DAYS,
        assigned_on=today,
    )
    with audit_context(actor=assigner.user, action="request_escalate"):
        request.escalated_item = item
        request.save()
        _step(request, Verb.ESCALATE, None, f"超过{clocks}期限,已转为督办事项", person=assigner)
    return item


# --- Rates per unit --------------------------------------------------------------------------


def unit_rates(requests, today: dt.date | None = None) -> list[dict]:
    """Per handling unit, from ``requests`` (already scoped): how many, resolved, overdue,
    withdrawn, the resolution rate (resolved ÷ those that should be: resolved, open past the
    resolve clock, withdrawn improperly) and the satisfaction rate (满意 and 基本满意 ÷ rated).
    One query."""
    today = today or timezone.localdate()
    overdue = Q(state__in=(State.SUBMITTED, State.ASSIGNED, State.HANDLING), resolve_due__lt=today)
    rows = (
        requests.filter(unit__isnull=False)
        .values("unit", "unit__name", "unit__path")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            resolved=Count("pk", filter=Q(state=State.RESOLVED)),
            on_time=Count("pk", filter=Q(state=State.RESOLVED, resolved_on_time=True)),
            overdue=Count("pk", filter=overdue),
            escalated=Count("pk", filter=Q(escalated_item__isnull=False)),
            withdrawn=Count("pk", filter=Q(state=State.WITHDRAWN)),
            improper=Count("pk", filter=Q(check_result=CheckResult.IMPROPER)),
            reopened=Count("pk", filter=Q(reopened_count__gt=0)),
            rated=Count("pk", filter=~Q(satisfaction="")),
            satisfied=Count(
                "pk", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC))
            ),
        )
        .order_by("unit__path")
    )
    result = []
    for row in rows:
        owed = row["resolved"] + row["overdue"] + row["improper"]
        row["resolution_rate"] = round(100 * row["resolved"] / owed, 1) if owed else None
        row["satisfaction_rate"] = (
            round(100 * row["satisfied"] / row["rated"], 1) if row["rated"] else None
        )
        result.append(row)
    return result


# --- Messages --------------------------------------------------------------------------------


def _notify(event, request, title, *, body="", unit=None, people=None, key="") -> None:
    """Queue the event's messages in the caller's transaction (the rules decide who hears)."""
    publish(
        Message(
            event=event,
            key=f"request{request.pk}:{event}{':' + key if key else ''}",
            title=title,
            body=body,
            url=request.get_absolute_url(),
        ),
        unit=unit,
        people=people,
    )
