"""Meeting pages: the calendar, scheduling, and the meeting page where the agenda is adopted,
decisions become 督办 items, problems are settled and the documents downloaded.

Thin views: objects load through ``get_for_user`` (``write=True`` for a POST: 404 outside the
user's scope, 403 for those who see the meeting but do not manage meetings); the writes are
``meetings/services.py`` verbs, which check ``meetings/permissions.py``; refusals come back as
a Chinese message with the input kept.
"""

import calendar as cal
import datetime as dt
import io

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.versions import Conflict, show_conflict
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.meetings import dispatch, documents, services
from tuijin.meetings.forms import (
    AgendaForm,
    AttendanceForm,
    CalendarQuery,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    NewMeetingQuery,
    ResolveForm,
)
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.meetings.permissions import can_manage_meetings
from tuijin.meetings.queries import agenda_problems, meeting_queryset
from tuijin.org.access import sheet_unit
from tuijin.supervision.models import Problem, SupervisionItem
from tuijin.supervision.queries import scheduled_verifications
from tuijin.supervision.rules import item_light
from tuijin.supervision.services import ItemError

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_BADGES = {
    MeetingKind.ONSITE: "text-bg-danger",
    MeetingKind.DISPATCH: "text-bg-primary",
    MeetingKind.INVESTMENT: "text-bg-success",
    MeetingKind.PLANNING: "text-bg-warning",
    MeetingKind.CADRES: "text-bg-info",
    MeetingKind.OTHER: "text-bg-secondary",
}


# --- Calendar ------------------------------------------------------------------------------------


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@require_GET
def meeting_calendar(request):
    """All meetings of a month, week by week (Monday first), with links to the months around."""
    today = timezone.localdate()
    first, problem = CalendarQuery(request.GET).shown(today)
    if problem:
        messages.warning(request, problem)
    weeks = cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    meetings = list(
        Meeting.objects.visible_to(request.user)
        .filter(
            starts_at__gte=services.at(start, 0),
            starts_at__lt=services.at(end + dt.timedelta(days=1), 0),
        )
        .select_related("park", "chair")
        .order_by("starts_at")
    )
    by_day: dict[dt.date, list] = {}
    for meeting in meetings:
        meeting.badge = KIND_BADGES.get(meeting.kind, "text-bg-secondary")
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    # 安排现场核查 of the 督办 items the user sees, on their day beside the meetings.
    checks_by_day: dict[dt.date, list] = {}
    for item in scheduled_verifications(
        request.user, services.at(start, 0), services.at(end + dt.timedelta(days=1), 0)
    ):
        checks_by_day.setdefault(timezone.localtime(item.verification_at).date(), []).append(item)
    rows = [
        {
            "start": days[0],
            "end": days[-1],
            "days": [
                {
                    "date": day,
                    "weekday": services.CN_WEEKDAYS[day.weekday()],
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "meetings": by_day.get(day, []),
                    "checks": checks_by_day.get(day, []),
                }
                for day in days
            ],
            "count": sum(len(by_day.get(day, [])) for day in days),
            "checks": sum(len(checks_by_day.get(day, [])) for day in days),
        }
        for days in weeks
    ]
    in_month = [m for m in meetings if timezone.localtime(m.starts_at).month == first.month]
    context = {
        "month": first,
        "weeks": rows,
        "count": len(in_month),
        "previous": f"{shift_month(first, -1):%Y-%m}",
        "next": f"{shift_month(first, 1):%Y-%m}",
        "this_month": f"{today:%Y-%m}",
        "can_manage": can_manage_meetings(request.user),
    }
    return render(request, "meetings/calendar.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    # The page is a form for one verb; those who may not do it need not fill it in.
    require(can_manage_meetings(request.user), services.NOT_A_MANAGER)
    initial = {"kind": NewMeetingQuery(request.GET).initial_kind()}
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = services.schedule_meeting(request.user, **form.meeting_kwargs())
        messages.success(request, _("已安排“%(title)s”。") % {"title": meeting.title})
        return redirect(meeting)
    return render(request, "meetings/form.html", {"form": form}, status=400 if form.errors else 200)


# --- The meeting page ----------------------------------------------------------------------------


def load(request, pk, *, write: bool = False) -> Meeting:
    return get_for_user(request.user, meeting_queryset(), write=write, pk=pk)


def render_detail(request, meeting, posted=None, status=200, draft=({}, [])):
    """The meeting page; a form just posted comes back with its input and errors, a draft
    decision (``decision_draft``) with its proposed values."""
    posted = posted or {}
    editor = can_manage_meetings(request.user)
    today = timezone.localdate()
    problems = agenda_problems(request.user, meeting)
    # The rows an editor records decisions from; shown as the proposal until the agenda is
    # adopted, then found again in the adopted text (the agenda is shown once).
    wanted = editor and not (meeting.agenda and meeting.kind == MeetingKind.DISPATCH)
    rows = services.propose_agenda(meeting, today) if wanted else []
    proposal = rows if not meeting.agenda else []
    decisions = list(meeting.decisions.all())
    for decision in decisions:
        if decision.item:
            decision.light = item_light(decision.item, today)
    problem_list = list(problems)
    context = {
        "meeting": meeting,
        "badge": KIND_BADGES.get(meeting.kind, "text-bg-secondary"),
        "editor": editor,
        "proposal": proposal,
        "decisions": decisions,
        "problems": problem_list,
        "attendances": list(meeting.attendances.all()),
        "agenda_lines": agenda_lines(meeting.agenda, rows),
        "rows_with_decisions": meeting.kind != MeetingKind.DISPATCH,
    }
    if editor:
        agenda = meeting.agenda or services.agenda_text(proposal)
        open_problems = problems.filter(
            status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING]
        )
        resolve_forms = {
            p.pk: ResolveForm(prefix=f"resolve-{p.pk}") for p in problem_list if p.is_open
        }
        resolve_forms |= posted.get("resolve", {})
        for problem in problem_list:
            problem.resolve_form = resolve_forms.get(problem.pk)
        context |= {
            "agenda_form": posted.get("agenda")
            or AgendaForm(initial={"version": meeting.version, "text": agenda}),
            "minutes_form": posted.get("minutes")
            or MinutesForm(initial={"version": meeting.version, "text": meeting.minutes}),
            "decision_form": posted.get("decision")
            or DecisionForm(
                user=request.user,
                problems=open_problems,
                initial=draft[0],
                draft_url=meeting.get_absolute_url(),
            ),
            "found": draft[1],
            "attendance_form": posted.get("attendance") or AttendanceForm(meeting=meeting),
        }
    return render(request, "meetings/detail.html", context, status=status)


@require_GET
def meeting_detail(request, pk):
    """The meeting page. ``?decision-…`` (an agenda row's 记录议定事项, or the decision's text
    as typed) comes back with the decision form filled in from it; htmx asks for the form's
    fields only."""
    meeting = load(request, pk)
    if not any(key.startswith("decision-") for key in request.GET):
        return render_detail(request, meeting)
    if not can_manage_meetings(request.user):
        return render_detail(request, meeting)
    problems = agenda_problems(request.user, meeting).filter(
        status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING]
    )
    form = DecisionForm(request.GET, user=request.user, problems=problems)
    initial, found = form.draft(timezone.localtime(meeting.starts_at).date(), meeting.park)
    if request.htmx:
        form = DecisionForm(user=request.user, problems=problems, initial=initial)
        context = {"decision_form": form, "found": found, "meeting": meeting}
        return render(request, "meetings/partials/_decision_fields.html", context)
    return render_detail(request, meeting, draft=(initial, found))


def agenda_lines(agenda: str, rows: list) -> list[dict]:
    """The adopted agenda's lines, each with the proposal's row it is (if any): its light,
    link and the project or problem a decision from it is about."""
    by_label = [line for section in rows for line in section.lines if line.label]
    lines = []
    for text in agenda.splitlines():
        body = text.strip().removeprefix("- ")
        row = next((line for line in by_label if body.startswith(line.label)), None)
        lines.append({"text": text, "row": row})
    return lines


def refuse(form, error) -> None:
    """The refusal's message on the form; a conflict also puts the meeting's current version in
    it, so saving again after checking goes through."""
    if isinstance(error, Conflict):
        show_conflict(form, error)
    else:
        form.add_error(None, str(error))


def refused(request, pk, name, form):
    """Re-render with the form's input: 409 for a refusal (conflict, rule), 400 for bad input."""
    status = 409 if form.non_field_errors() else 400
    return render_detail(request, load(request, pk), {name: form}, status=status)


@require_POST
def agenda_save(request, pk):
    return save_text(request, pk, "agenda", AgendaForm, services.save_agenda, "已保存议程。")


@require_POST
def minutes_save(request, pk):
    return save_text(request, pk, "minutes", MinutesForm, services.save_minutes, "已保存会议纪要。")


def save_text(request, pk, name, form_class, save, done):
    meeting = load(request, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            save(request.user, meeting.pk, data["version"], data["text"])
        except services.MeetingError as error:
            refuse(form, error)
        else:
            messages.success(request, done)
            return redirect(f"{meeting.get_absolute_url()}#{name}")
    return refused(request, pk, name, form)


@require_POST
def decision_add(request, pk):
    meeting = load(request, pk, write=True)
    problems = agenda_problems(request.user, meeting).filter(
        status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING]
    )
    form = DecisionForm(
        request.POST, user=request.user, problems=problems, draft_url=meeting.get_absolute_url()
    )
    if form.is_valid():
        try:
            decision = services.record_decision(request.user, meeting, **form.decision_kwargs())
        except (services.MeetingError, ItemError) as error:
            form.add_error(None, str(error))
        else:
            item = decision.item
            messages.success(
                request,
                f"已记录议定事项{decision.number},交由{item.lead_unit.name}牵头办理,"
                f"期限{item.deadline.year}年{item.deadline.month}月{item.deadline.day}日。",
            )
            if decision.warning:
                messages.warning(request, decision.warning)
            return redirect(f"{meeting.get_absolute_url()}#decisions")
    return refused(request, pk, "decision", form)


@require_POST
def attendance_save(request, pk):
    meeting = load(request, pk, write=True)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            count = services.record_attendance(
                request.user, meeting, form.statuses(), form.cleaned_data["version"]
            )
        except services.MeetingError as error:
            refuse(form, error)
        else:
            messages.success(request, _("已保存出席情况(%(n)s人)。") % {"n": count})
            return redirect(f"{meeting.get_absolute_url()}#attendance")
    return refused(request, pk, "attendance", form)


@require_POST
def problem_resolve(request, pk, problem_pk):
    meeting = load(request, pk, write=True)
    problem = get_for_user(request.user, agenda_problems(request.user, meeting), pk=problem_pk)
    form = ResolveForm(request.POST, prefix=f"resolve-{problem.pk}")
    if form.is_valid():
        try:
            services.resolve_problem_in_meeting(
                request.user, meeting, problem.pk, form.cleaned_data["resolution"]
            )
        except ItemError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("已标记为会上解决:%(category)s。") % {"category": problem.category.name}
            )
            return redirect(f"{meeting.get_absolute_url()}#problems")
    status = 409 if form.non_field_errors() else 400
    return render_detail(request, load(request, pk), {"resolve": {problem.pk: form}}, status)


# --- Documents -----------------------------------------------------------------------------------


@require_GET
def minutes_docx(request, pk):
    meeting = services.issue_minutes(request.user, load(request, pk))
    buffer = io.BytesIO()
    documents.minutes_docx(meeting, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{meeting.title}纪要.docx",
        content_type=DOCX_CONTENT_TYPE,
    )


@require_GET
def dispatch_xlsx(request, pk):
    """The 调度表: every open 督办 item the user can see, by unit, overdue first."""
    meeting = load(request, pk)
    buffer = io.BytesIO()
    dispatch.dispatch_xlsx(
        SupervisionItem.objects.visible_to(request.user).open(),
        buffer,
        timezone.localdate(),
        heading=f"{meeting.title}督办事项调度表",
        unit=sheet_unit(request.user),
    )
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{meeting.title}调度表.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
