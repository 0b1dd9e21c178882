"""State changes of problems and 督办 items. Each function is one thing officials do.

Every change runs in one transaction on a row locked with SELECT … FOR UPDATE and checks the
version the user saw: two people acting at once cannot overwrite each other (the second gets
a Conflict with a Chinese message and keeps what they typed). Audit events are written by
AuditedModel with the verb named through audit_context; the words for the timeline go to
ItemActivity.
"""

import contextlib
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core import versions
from tuijin.core.audit import audit_context
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.org.access import person_of
from tuijin.supervision import evidence, notifications
from tuijin.supervision.models import (
    OPEN_STATES,
    EvidencePhoto,
    ExtensionRequest,
    Feedback,
    FeedbackAttachment,
    HolidayOverride,
    ItemActivity,
    Problem,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.permissions import (
    ITEM_RULES,
    can_act_on_problem,
    can_assign_items,
    can_raise_problem,
)
from tuijin.supervision.rules import closed_on_time, reminder_days_for
from tuijin.supervision.workdays import Calendar, add_working_days, resolve_deadline, span_end
from tuijin.supervision.workflow import TRANSITIONS, VERB_LABELS, S

__all__ = ["TRANSITIONS", "VERB_LABELS", "Conflict", "ItemError"]  # read by views and meetings


class ItemError(Exception):
    """A refused action, with the reason in Chinese for the user."""


class Conflict(ItemError, versions.Conflict):
    """Someone else changed the record since the user loaded it (the current version with it)."""


def _log(item, verb: str, user, text: str = "") -> None:
    ItemActivity.objects.create(
        item=item, verb=verb, text=text, actor=person_of(user), at=timezone.now()
    )


@contextlib.contextmanager
def acting_on(user, item_pk: int, version: int | None, verb: str):
    """Lock the item, check version, state and permission, then save it with a new version."""
    label = VERB_LABELS[verb]
    with transaction.atomic():
        item = (
            # of=self: PostgreSQL cannot lock the nullable side of the project join.
            SupervisionItem.objects.select_for_update(of=("self",))
            .select_related("lead_unit", "project")
            .get(pk=item_pk)
        )
        if version is not None and item.version != version:
            raise Conflict(
                f"该事项刚刚已被他人更新(当前状态:{item.get_state_display()}),"
                f"您的“{label}”未执行。请核对最新情况后重新提交,您填写的内容已保留。",
                item.version,
                item.pk,
            )
        sources, _target = TRANSITIONS[verb]
        if item.state not in sources:
            raise ItemError(f"该事项当前状态为“{item.get_state_display()}”,不能{label}。")
        if not ITEM_RULES[verb](user, item):
            raise PermissionDenied(_("您无权对该事项执行“%(verb)s”。") % {"verb": label})
        with audit_context(actor=user, action=verb):
            reminding = (item.is_open, item.deadline, item.reminder_days)
            yield item
            if (item.is_open, item.deadline, item.reminder_days) != reminding:
                # A new deadline (extension) or a closed item: the reminder run's next day.
                item.remind_on = notifications.first_remind_on(item)
            item.version += 1
            item.save()


def _notify(event: str, item, note: str = "", extension=None) -> None:
    """Queue the event's messages in the caller's transaction (N4's rules decide who hears)."""
    notifications.item_changed(event, item, note, extension)


def save_photos(
    item, uploads, *, feedback=None, verification=None, browser_location=None
) -> list[EvidencePhoto]:
    """Store uploaded photos as evidence on an item (for a feedback or a verification).
    Called inside the report/verify transaction and its ``audit_context``."""
    return [
        EvidencePhoto.objects.create(**fields)
        for fields in evidence.photo_fields(
            item,
            uploads,
            feedback=feedback,
            verification=verification,
            browser_location=browser_location,
        )
    ]


def _move(item, verb: str) -> None:
    target = TRANSITIONS[verb][1]
    if target is not None:
        item.state = target


# --- Creating items ---------------------------------------------------------------------------


@transaction.atomic
def assign_item(
    user,
    *,
    deadline_mode: str,
    deadline_days=None,
    deadline_date=None,
    co_units=(),
    assigned_on: dt.date | None = None,
    assigner=None,
    **fields,
):
    """交办: create a 督办 item. Returns (item, warning about an uncovered holiday year).
    `assigner`: who assigns it (交办人) when that is not the user, e.g. the chair of the
    meeting whose decision the note-taker records; the user by default."""
    if not can_assign_items(user):
        raise PermissionDenied(_("只有区领导和督查人员可以交办督办事项。"))
    assigned_on = assigned_on or timezone.localdate()
    resolved = resolve_deadline(assigned_on, deadline_mode, deadline_days, deadline_date)
    if resolved.date < assigned_on:
        raise ItemError("办理期限不能早于交办日期。")
    duration = deadline_days if deadline_mode != "date" else (resolved.date - assigned_on).days
    with audit_context(actor=user, action="assign"):
        item = SupervisionItem(
            assigner=assigner or person_of(user),
            assigned_on=assigned_on,
            deadline_mode=deadline_mode,
            deadline_days=deadline_days if deadline_mode != "date" else None,
            original_deadline=resolved.date,
            deadline=resolved.date,
            reminder_days=reminder_days_for(duration),
            **fields,
        )
        item.remind_on = notifications.first_remind_on(item)
        item.save(force_insert=True)
        if co_units:
            item.co_units.set(co_units)
        _log(item, "assign", user, f"期限:{cn_date(resolved.date)}")
        _notify("item_assigned", item)
    return item, resolved.warning


@transaction.atomic
def issue_directive(
    user,
    project,
    *,
    category,
    problem_text: str,
    requirement: str,
    result_standard: str,
    deadline_mode: str,
    deadline_days=None,
    deadline_date=None,
):
    """现场交办 in one step: the problem found on site and the item to fix it, together,
    assigned to the project's responsible unit (its 包保 leaders see it through the project)."""
    problem = raise_problem(
        user,
        project=project,
        category=category,
        description=problem_text,
        source=Problem.Source.ONSITE,
        level=Problem.Level.LEADER,
    )
    item, warning = assign_item(
        user,
        title=f"{project.name}:{requirement[:60]}",
        requirement=requirement,
        result_standard=result_standard,
        source=SupervisionItem.Source.ONSITE,
        project=project,
        problem=problem,
        lead_unit=project.unit,
        deadline_mode=deadline_mode,
        deadline_days=deadline_days,
        deadline_date=deadline_date,
    )
    return problem, item, warning


# --- The unit's side -------------------------------------------------------------------------


@transaction.atomic
def accept(user, item_pk: int, version: int | None) -> SupervisionItem:
    with acting_on(user, item_pk, version, "accept") as item:
        _move(item, "accept")
        if item.responsible_id is None:
            item.responsible = person_of(user)
        _log(item, "accept", user)
    _notify("item_accepted", item)
    return item


def start(user, item_pk: int, version: int | None) -> SupervisionItem:
    with acting_on(user, item_pk, version, "start") as item:
        _move(item, "start")
        _log(item, "start", user)
    return item


def report(
    user,
    item_pk: int,
    version: int | None,
    *,
    text: str,
    photos=(),
    attachments=(),
    browser_location=None,
) -> Feedback:
    """反馈: the unit reports what it did, with photos and documents; verification follows."""
    with acting_on(user, item_pk, version, "report") as item:
        feedback = Feedback.objects.create(
            item=item, text=text, submitted_by=person_of(user), submitted_at=timezone.now()
        )
        save_photos(item, photos, feedback=feedback, browser_location=browser_location)
        for upload in attachments:
            FeedbackAttachment.objects.create(feedback=feedback, file=upload, name=upload.name)
        _move(item, "report")
        _log(item, "report", user, text)
    return feedback


@transaction.atomic
def request_extension(
    user, item_pk: int, version: int | None, *, new_deadline: dt.date, reason: str
) -> ExtensionRequest:
    """延期申请: the assigner decides; the assigner and the 督查室 hear of it."""
    with acting_on(user, item_pk, version, "request_extension") as item:
        if new_deadline <= item.deadline:
            raise ItemError("申请延至的日期应晚于当前期限。")
        if item.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise ItemError("已有一项延期申请待审批,请等待交办人审批。")
        extension = ExtensionRequest.objects.create(
            item=item,
            requested_deadline=new_deadline,
            reason=reason,
            requested_by=person_of(user),
            requested_at=timezone.now(),
        )
        _log(item, "request_extension", user, f"申请延至{cn_date(new_deadline)}:{reason}")
    _notify("extension_requested", item, f"申请延至{cn_date(new_deadline)}:{reason}", extension)
    return extension


# --- The supervisor's side -------------------------------------------------------------------


@transaction.atomic
def decide_extension(
    user,
    item_pk: int,
    version: int | None,
    *,
    extension_pk: int,
    approve: bool,
    note: str = "",
    new_deadline: dt.date | None = None,
) -> ExtensionRequest:
    """The assigner or the 督查室 approves (the requested date, or another they choose: the new
    deadline; the original stays on record) or refuses. Refusing, or approving another date
    than the one asked for, needs a reason."""
    note = note.strip()
    with acting_on(user, item_pk, version, "decide_extension") as item:
        extension = item.extensions.select_for_update().filter(pk=extension_pk).first()
        if extension is None:  # a stale or hand-made form: not a request of this item
            raise ItemError(_("没有找到该延期申请,请刷新页面后重试。"))
        if extension.status != ExtensionRequest.Status.PENDING:
            raise ItemError("该延期申请已经审批过。")
        approved = (new_deadline or extension.requested_deadline) if approve else None
        if approve and approved <= item.deadline:
            raise ItemError(
                _("批准延至的日期应晚于当前期限(%(date)s)。") % {"date": cn_date(item.deadline)}
            )
        if not approve and not note:
            raise ItemError(_("不同意延期须写明理由。"))
        if approve and approved != extension.requested_deadline and not note:
            raise ItemError(_("批准的日期与申请的不同,须写明理由。"))
        extension.status = (
            ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
        )
        extension.decided_by = person_of(user)
        extension.decided_at = timezone.now()
        extension.decision_note = note
        extension.approved_deadline = approved
        extension.save()
        if approve:
            item.deadline = approved
            verdict = f"同意延至{cn_date(approved)}"
            if approved != extension.requested_deadline:
                verdict += f"(申请延至{cn_date(extension.requested_deadline)})"
        else:
            verdict = f"不同意延至{cn_date(extension.requested_deadline)}"
        _log(item, "decide_extension", user, f"{verdict}。{note}".strip())
    _notify("extension_decided", item, f"{verdict}。{note}".strip(), extension)
    return extension


@transaction.atomic
def urge(user, item_pk: int, note: str = "") -> SupervisionItem:
    """催办: counted, and sent to the lead unit (its group robots) and the responsible person."""
    with acting_on(user, item_pk, None, "urge") as item:
        item.urge_count += 1
        _log(item, "urge", user, note or f"第{item.urge_count}次催办")
    _notify("item_urged", item, note or f"第{item.urge_count}次催办")
    return item


@transaction.atomic
def urge_items(user, item_pks, note: str = "") -> tuple[list, list]:
    """催办 several items at once (from the board). Each item is checked as one urged alone:
    outside the user's scope it is skipped unnamed (its existence is not revealed); in scope
    but not to be urged now (reported, being verified, closed) or not by this user, skipped
    with the reason. Returns (urged items, [(item, reason) skipped in scope])."""
    pks = sorted(set(item_pks))
    in_scope = {
        item.pk: item
        for item in SupervisionItem.objects.visible_to(user).filter(pk__in=pks).only("pk", "title")
    }
    urged, skipped = [], []
    for pk in pks:
        if pk not in in_scope:
            continue
        try:
            urged.append(urge(user, pk, note))  # its own savepoint: a refusal undoes only it
        except (ItemError, PermissionDenied) as error:
            skipped.append((in_scope[pk], str(error)))
    return urged, skipped


def start_verification(
    user, item_pk: int, version: int | None, note: str = "", *, at=None, people=()
):
    """安排现场核查: when (date and time) and who goes; shown on the meetings calendar."""
    with acting_on(user, item_pk, version, "start_verification") as item:
        _move(item, "start_verification")
        text = note
        if at is not None:
            item.verification_at = at
            item.verifiers.set(people)
            text = f"{cn_date(at)}现场核查"
            if people:
                text += ":" + "、".join(p.name for p in people)
            if note:
                text += f"。{note}"
        _log(item, "start_verification", user, text)
    return item


@transaction.atomic
def verify(
    user,
    item_pk: int,
    version: int | None,
    *,
    result: str,
    notes: str,
    photos=(),
    latitude=None,
    longitude=None,
) -> Verification:
    """现场核查 against the report and the testable result. 属实 closes the item (on time if
    the report came by the deadline); 部分属实 and 不属实 return it and mark the report."""
    with acting_on(user, item_pk, version, "verify") as item:
        feedback = item.feedbacks.order_by("-submitted_at").first()
        distance = evidence.verification_distance(item, latitude, longitude)
        verification = Verification.objects.create(
            item=item,
            feedback=feedback,
            result=result,
            notes=notes,
            latitude=latitude,
            longitude=longitude,
            distance_m=distance,
            far_from_site=distance is not None and evidence.is_far(distance),
            verified_by=person_of(user),
            verified_at=timezone.now(),
            unit=item.lead_unit,
        )
        browser = (latitude, longitude) if latitude is not None else None
        save_photos(item, photos, verification=verification, browser_location=browser)
        if feedback is not None:
            feedback.truthfulness = result
            feedback.save()
        label = Verification.Result(result).label
        if result == Verification.Result.TRUE:
            item.state = S.CLOSED
            item.closed_on = timezone.localdate()
            reported_on = (
                timezone.localtime(feedback.submitted_at).date() if feedback else item.closed_on
            )
            item.closed_on_time = closed_on_time(item.deadline, reported_on)
            _log(item, "verify", user, f"核查{label},办结。{notes}")
        else:
            item.state = S.IN_PROGRESS
            item.returned_count += 1
            _log(item, "return", user, f"核查{label},退回重办:{notes}")
    closed = item.state == S.CLOSED
    _notify("item_verified" if closed else "item_returned", item, f"核查{label}:{notes}")
    if result == Verification.Result.UNTRUE:
        notifications.verified_untrue(item, f"核查{label}:{notes}")
    return verification


@transaction.atomic
def return_item(user, item_pk: int, version: int | None, reason: str) -> SupervisionItem:
    if not reason.strip():
        raise ItemError("退回须写明理由。")
    with acting_on(user, item_pk, version, "return") as item:
        _move(item, "return")
        item.returned_count += 1
        _log(item, "return", user, reason)
    _notify("item_returned", item, f"退回理由:{reason}")
    return item


def cancel(user, item_pk: int, version: int | None, reason: str) -> SupervisionItem:
    if not reason.strip():
        raise ItemError("撤销须写明理由。")
    with acting_on(user, item_pk, version, "cancel") as item:
        _move(item, "cancel")
        _log(item, "cancel", user, reason)
    return item


# --- Problems ---------------------------------------------------------------------------------


LEVEL_ORDER = [Problem.Level.UNIT, Problem.Level.LEADER, Problem.Level.MEETING]


@transaction.atomic
def raise_problem(
    user,
    *,
    category,
    description: str,
    project=None,
    enterprise=None,
    source=Problem.Source.DIRECT,
    report=None,
    level=Problem.Level.UNIT,
):
    """提出问题 on a project or enterprise, owned by its responsible unit."""
    if not can_raise_problem(user):
        raise PermissionDenied(_("您的角色只能查看,不能提出问题。"))
    if project is None and enterprise is None:
        raise ItemError("问题须关联一个项目或企业。")
    if not description.strip():
        raise ItemError("请填写问题描述。")
    unit = (project or enterprise).unit
    with audit_context(actor=user, action="raise_problem"):
        return Problem.objects.create(
            project=project,
            enterprise=enterprise,
            category=category,
            description=description.strip(),
            source=source,
            report=report,
            unit=unit,
            raised_by=person_of(user),
            raised_at=timezone.now(),
            level=level,
        )


@contextlib.contextmanager
def acting_on_problem(user, problem_pk: int, version: int | None, verb: str):
    with transaction.atomic():
        problem = (
            Problem.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=problem_pk)
        )
        # The rule first: a refusal reveals nothing and writes nothing.
        if not can_act_on_problem(user, problem):
            raise PermissionDenied(
                _("您无权%(verb)s该问题:问题由责任单位、区领导和督查室处理。") % {"verb": verb}
            )
        if version is not None and problem.version != version:
            raise Conflict(
                f"该问题刚刚已被他人更新(当前:{problem.get_status_display()},"
                f"{problem.get_level_display()}层级),请核对后重新提交,您填写的内容已保留。",
                problem.version,
                problem.pk,
            )
        if not problem.is_open:
            raise ItemError(f"该问题已{problem.get_status_display()},不能再{verb}。")
        with audit_context(actor=user, action=verb):
            yield problem
            problem.version += 1
            problem.save()


@transaction.atomic
def escalate_problem(user, problem_pk: int, version: int | None) -> Problem:
    """Unit → leader → meeting; the new level's people hear of it."""
    with acting_on_problem(user, problem_pk, version, "升级") as problem:
        position = LEVEL_ORDER.index(problem.level)
        if position == len(LEVEL_ORDER) - 1:
            raise ItemError("该问题已提交会议研究,不能再升级;可“上报”上级。")
        problem.level = LEVEL_ORDER[position + 1]
        problem.status = Problem.Status.COORDINATING
    notifications.problem_escalated(problem)
    return problem


def resolve_problem(user, problem_pk: int, version: int | None, resolution: str) -> Problem:
    if not resolution.strip():
        raise ItemError("请填写解决情况。")
    with acting_on_problem(user, problem_pk, version, "解决") as problem:
        problem.status = Problem.Status.RESOLVED
        problem.resolution = resolution.strip()
        problem.resolved_at = timezone.now()
    return problem


def report_problem_upward(user, problem_pk: int, version: int | None, note: str) -> Problem:
    """上报: beyond the zone's power (e.g. 土地指标 from the province)."""
    if not note.strip():
        raise ItemError("请写明上报的单位和事由。")
    with acting_on_problem(user, problem_pk, version, "上报") as problem:
        problem.status = Problem.Status.REPORTED_UP
        problem.resolution = note.strip()
    return problem


def raise_problems_from_report(user, report, category) -> Problem | None:
    """A progress report's 存在问题 becomes a tracked problem when the reporter asks for it."""
    if not report.problems.strip() or category is None:
        return None
    return raise_problem(
        user,
        project=report.project,
        category=category,
        description=report.problems,
        source=Problem.Source.REPORT,
        report=report,
    )


# --- The holiday calendar ---------------------------------------------------------------------


def can_set_holidays(user) -> bool:
    """节假日调整 is the admins' table (Django's model permissions, as on its admin page)."""
    return user.has_perm("supervision.add_holidayoverride") and user.has_perm(
        "supervision.change_holidayoverride"
    )


@transaction.atomic
def import_holidays(user, rows) -> tuple[int, list[SupervisionItem]]:
    """导入节假日安排 (rows already checked, each with date, is_workday, note): all or none;
    then the open items the new days move. Returns (rows changed, items moved)."""
    if not can_set_holidays(user):
        raise PermissionDenied(_("只有管理员可以导入节假日安排。"))
    changed = []
    with audit_context(actor=user, action="import_holidays"):
        existing = {
            o.date: o for o in HolidayOverride.objects.filter(date__in=[r.date for r in rows])
        }
        for row in rows:
            override = existing.get(row.date) or HolidayOverride(date=row.date)
            if override.pk and (override.is_workday, override.note) == (row.is_workday, row.note):
                continue
            override.is_workday, override.note = row.is_workday, row.note
            override.save()
            changed.append(row.date)
    return len(changed), apply_holiday_calendar(user, changed)


@transaction.atomic
def apply_holiday_calendar(user, dates) -> list[SupervisionItem]:
    """Recalculate the open items whose deadline was given in working days and whose count
    crosses a day whose status changed (`dates`): each moved item gets its new deadline (as
    its original deadline too: the rule, N working days, is what was set), an audit event, a
    timeline line and a message to its lead unit. Items with an approved extension keep the
    date the assigner approved; date and calendar-day deadlines do not depend on the calendar.
    """
    dates = set(dates)
    if not dates:
        return []
    items = list(
        SupervisionItem.objects.select_for_update(of=("self",))
        .select_related("lead_unit", "project", "responsible", "assigner")
        .filter(
            state__in=OPEN_STATES,
            deadline_mode=SupervisionItem.DeadlineMode.WORKING_DAYS,
            deadline_days__isnull=False,
            deadline=F("original_deadline"),  # not extended
            assigned_on__lt=max(dates),
            deadline__gte=min(dates),
        )
        .order_by("pk")
    )
    if not items:
        return []
    calendar = Calendar.load(
        min(i.assigned_on for i in items),
        max(span_end(i.assigned_on, i.deadline_days) for i in items),
    )
    years = "、".join(f"{y}年" for y in sorted({d.year for d in dates}))
    moved = []
    for item in items:
        new = add_working_days(item.assigned_on, item.deadline_days, calendar)
        if new == item.deadline:
            continue
        old = item.deadline
        note = f"{years}节假日安排调整,期限由{cn_date(old)}调整为{cn_date(new)}"
        with audit_context(actor=user, action="apply_holiday_calendar"):
            item.deadline = item.original_deadline = new
            item.remind_on = notifications.first_remind_on(item)
            item.version += 1
            item.save(update_fields=["deadline", "original_deadline", "remind_on", "version"])
        _log(item, "apply_holiday_calendar", user, note)
        notifications.deadline_moved(item, note)
        moved.append(item)
    return moved
