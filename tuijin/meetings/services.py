"""What meetings do: scheduled ahead, an agenda proposed from the facts, decisions that become
督办 items (source: this meeting), problems resolved from the minutes."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation

from tuijin.core.audit import audit_context
from tuijin.core.rules_settings import settings_for
from tuijin.core.versions import Conflict
from tuijin.meetings.dispatch import item_changes
from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.meetings.permissions import can_manage_meetings
from tuijin.org.access import person_of
from tuijin.org.models import Person, Role, Unit, UnitKind
from tuijin.projects.models import Light, Project
from tuijin.supervision import services as supervision
from tuijin.supervision.models import OPEN_STATES, Problem, SupervisionItem
from tuijin.supervision.rules import item_light

CN_WEEKDAYS = "一二三四五六日"
NOT_A_MANAGER = "只有区领导和督查人员可以安排会议、编辑议程纪要、登记出席和记录议定事项。"


class MeetingError(Exception):
    """A refused action, with the reason in Chinese."""


class MeetingConflict(MeetingError, Conflict):
    """The meeting was changed since the user loaded the page (``core.versions``)."""


# --- Scheduling --------------------------------------------------------------------------------


def schedule_recurring(today: dt.date | None = None) -> int:
    """Create the Saturday on-site office and Sunday dispatch meetings for the coming weeks.
    One meeting per slot however often this runs (unique slot key). Returns how many were new."""
    today = today or timezone.localdate()
    config = settings_for(
        "MEETING_WEEKS_AHEAD", "ONSITE_WEEKDAY", "ONSITE_HOUR", "DISPATCH_WEEKDAY", "DISPATCH_HOUR"
    )
    created = 0
    for zone in Unit.objects.filter(kind=UnitKind.ZONE):
        parks = list(Unit.objects.filter(kind=UnitKind.PARK, path__startswith=zone.path))
        chair = (
            Person.objects.filter(role=Role.ZONE_LEADER, unit=zone, is_active=True)
            .order_by("pk")
            .first()
        )
        units = list(
            Unit.objects.filter(path__startswith=zone.path)
            .exclude(pk=zone.pk)
            .exclude(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY])
        )
        for week in range(config["MEETING_WEEKS_AHEAD"] + 1):
            monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=week)
            onsite_day = monday + dt.timedelta(days=config["ONSITE_WEEKDAY"])
            dispatch_day = monday + dt.timedelta(days=config["DISPATCH_WEEKDAY"])
            if onsite_day >= today and parks:
                park = parks[onsite_day.isocalendar().week % len(parks)]  # parks take turns
                created += _create_slot(
                    f"z{zone.pk}:onsite:{onsite_day}",
                    MeetingKind.ONSITE,
                    f"{onsite_day.month}月{onsite_day.day}日周{CN_WEEKDAYS[onsite_day.weekday()]}"
                    f"现场办公会({park.name})",
                    at(onsite_day, config["ONSITE_HOUR"]),
                    park.name,
                    park,
                    chair,
                    [park, *project_owners(park)],
                )
            if dispatch_day >= today:
                created += _create_slot(
                    f"z{zone.pk}:dispatch:{dispatch_day}",
                    MeetingKind.DISPATCH,
                    f"{dispatch_day.month}月{dispatch_day.day}日云视频调度会",
                    at(dispatch_day, config["DISPATCH_HOUR"]),
                    "云视频会议",
                    None,
                    chair,
                    units,
                )
    return created


@transaction.atomic
def schedule_meeting(
    user,
    *,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    park: Unit | None = None,
    video_link: str = "",
    chair: Person | None = None,
    invited_units=(),
    project: Project | None = None,
) -> Meeting:
    """安排会议: a meeting outside the recurring slots (a seminar, a special coordination).

    A meeting that names no park, unit, chair or project (a video link only) is the zone's:
    the organiser's zone is invited, so its leaders and the organiser see it (it was saved and
    then 404 for everyone)."""
    if not can_manage_meetings(user):
        raise PermissionDenied(NOT_A_MANAGER)
    person = person_of(user)
    if person is not None and not (park or invited_units or chair or project):
        invited_units = [person.unit.zone]
    if kind == MeetingKind.ONSITE and park is not None:
        invited_units = list(dict.fromkeys([*invited_units, *project_owners(park)]))
    with audit_context(actor=user, action="create_meeting"):
        meeting = Meeting.objects.create(
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            place=place.strip() or (park.name if park else ""),
            park=park,
            video_link=video_link,
            chair=chair,
            project=project,
        )
        meeting.invited_units.set(invited_units)
    return meeting


def project_owners(park: Unit) -> list[Unit]:
    """The units owning the red and yellow projects at `park`: an on-site office there
    invites them besides the park (they answer for those projects at the stop)."""
    owners = Project.objects.filter(park=park, light__in=[Light.RED, Light.YELLOW])
    return list(Unit.objects.filter(pk__in=owners.values("unit")).exclude(pk=park.pk))


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _create_slot(slot, kind, title, starts_at, place, park, chair, units) -> int:
    if Meeting.objects.filter(slot=slot).exists():
        return 0
    try:
        with transaction.atomic(), audit_context(action="schedule_meeting"):
            meeting = Meeting.objects.create(
                slot=slot,
                kind=kind,
                title=title,
                starts_at=starts_at,
                place=place,
                park=park,
                chair=chair,
            )
            meeting.invited_units.set(units)
    except IntegrityError:
        return 0  # another worker created the same slot at the same moment
    return 1


# --- Agenda proposals --------------------------------------------------------------------------


@dataclass
class AgendaLine:
    """One row of a proposed agenda. `label`: what a saved agenda's line starts with when it
    is this row (the page finds the row again in the adopted text); `project` / `problem`: what
    a decision recorded from this row is about; `group`: the unit a dispatch line is under;
    `note`: what follows the linked text (a dispatch line's changes)."""

    text: str
    url: str = ""
    light: str = ""
    note: str = ""
    label: str = ""
    project: int | None = None
    problem: int | None = None
    group: str = ""


@dataclass
class AgendaSection:
    title: str
    lines: list[AgendaLine] = field(default_factory=list)


def propose_agenda(meeting: Meeting, today: dt.date | None = None) -> list[AgendaSection]:
    """On-site office at a park: its red and yellow projects, the problems escalated to
    meeting level and the park's open 督办 items. Video dispatch: open 督办 items by unit,
    overdue first, and what changed on each since the last dispatch (one line per item).
    Written in Chinese whatever the reader's language: adopted, it is the meeting's agenda
    and goes into the minutes (the page marks it lang="zh-hans")."""
    with translation.override("zh-hans"):
        return _propose_agenda(meeting, today)


def _propose_agenda(meeting: Meeting, today: dt.date | None) -> list[AgendaSection]:
    today = today or timezone.localdate()
    if meeting.kind == MeetingKind.DISPATCH:
        return _dispatch_agenda(meeting, today)
    projects = Project.objects.filter(light__in=[Light.RED, Light.YELLOW])
    problems = Problem.objects.filter(
        level=Problem.Level.MEETING, status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING]
    )
    if meeting.park_id:
        projects = projects.filter(park=meeting.park)
        problems = problems.filter(project__park=meeting.park)
    red_first = sorted(
        projects.select_related("park"), key=lambda p: (p.light != Light.RED, p.code)
    )
    problem_lines = []
    for q in problems.select_related("category", "project", "enterprise"):
        text = f"{q.category.name}:{q.description}({q.subject})"
        problem_lines.append(
            AgendaLine(text, q.get_absolute_url(), label=text, project=q.project_id, problem=q.pk)
        )
    return [
        AgendaSection(
            "红黄灯项目",
            [
                AgendaLine(
                    f"{p.name}:{p.light_summary}",
                    p.get_absolute_url(),
                    p.light,
                    label=f"{p.name}:",
                    project=p.pk,
                )
                for p in red_first
            ],
        ),
        AgendaSection("提交会议研究的问题", problem_lines),
        AgendaSection("园区未办结督办事项", _open_items(meeting, today)),
    ]


def _open_items(meeting: Meeting, today: dt.date) -> list[AgendaLine]:
    """The open 督办 items at the meeting's park (its projects', or led by the park), overdue
    first; without a park, those of the meeting's project."""
    if meeting.park_id:
        rule = Q(project__park=meeting.park_id) | Q(lead_unit=meeting.park_id)
    elif meeting.project_id:
        rule = Q(project=meeting.project_id)
    else:
        return []
    items = (
        SupervisionItem.objects.filter(rule, state__in=OPEN_STATES)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )
    lines = []
    for item in sorted(items, key=lambda i: (i.deadline >= today, i.deadline, i.pk)):
        light = item_light(item, today)
        lines.append(
            AgendaLine(
                f"{item.title}({item.lead_unit.name}牵头,{light.text})",
                item.get_absolute_url(),
                light.key,
                label=f"{item.title}(",
            )
        )
    return lines


def _dispatch_agenda(meeting: Meeting, today: dt.date) -> list[AgendaSection]:
    items = list(
        SupervisionItem.objects.filter(state__in=OPEN_STATES)
        .select_related("lead_unit")
        .order_by("lead_unit__path", "deadline", "pk")
    )
    by_unit: dict[str, list] = {}
    for item in items:
        by_unit.setdefault(item.lead_unit.name, []).append(item)
    sections = []
    for unit, unit_items in by_unit.items():
        unit_items.sort(key=lambda i: (i.deadline >= today, i.deadline))  # overdue first
        lines = []
        for item in unit_items:
            light = item_light(item, today)
            lines.append(
                AgendaLine(f"{item.title}({light.text})", item.get_absolute_url(), light.key)
            )
        sections.append(AgendaSection(f"{unit}({len(unit_items)}项)", lines))
    previous = (
        Meeting.objects.filter(kind=MeetingKind.DISPATCH, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )
    since = previous.starts_at if previous else meeting.starts_at - dt.timedelta(days=7)
    changes = [
        AgendaLine(
            change.item.title,
            change.item.get_absolute_url(),
            "red" if change.overdue else "",
            note=";".join(change.parts),
            group=change.item.lead_unit.name,
        )
        for change in item_changes(since, meeting.starts_at, today)
    ]
    sections.append(AgendaSection("上次调度以来的变化", changes))
    return sections


def agenda_text(sections: list[AgendaSection]) -> str:
    """The proposal as editable text for the chair."""
    lines = []
    for number, section in enumerate(sections, start=1):
        lines.append(f"{number}. {section.title}")
        group = ""
        for line in section.lines:
            if line.group and line.group != group:
                group = line.group
                lines.append(f"   {group}")
            lines.append(f"   - {line.text}{':' + line.note if line.note else ''}")
        if not section.lines:
            lines.append("   - 无")
    return "\n".join(lines)


# --- Editing a meeting -------------------------------------------------------------------------


def _locked(user, meeting_pk: int, version: int | None) -> Meeting:
    if not can_manage_meetings(user):
        raise PermissionDenied(NOT_A_MANAGER)
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting_pk)
    if version is not None and meeting.version != version:
        raise MeetingConflict(
            "会议内容刚刚已被他人修改,请核对后重新提交,您填写的内容已保留。",
            meeting.version,
            meeting.pk,
        )
    return meeting


@transaction.atomic
def save_agenda(user, meeting_pk: int, version: int | None, agenda: str) -> Meeting:
    meeting = _locked(user, meeting_pk, version)
    with audit_context(actor=user, action="save_agenda"):
        meeting.agenda = agenda.strip()
        meeting.version += 1
        meeting.save()
    return meeting


@transaction.atomic
def save_minutes(user, meeting_pk: int, version: int | None, minutes: str) -> Meeting:
    meeting = _locked(user, meeting_pk, version)
    with audit_context(actor=user, action="save_minutes"):
        meeting.minutes = minutes.strip()
        meeting.version += 1
        meeting.save()
    return meeting


def issue_minutes(user, meeting: Meeting, today: dt.date | None = None) -> Meeting:
    """Give the minutes their 期号 (〔2026〕3号) the first time one who manages meetings
    downloads them once the meeting has begun: the next number of the meeting kind's series
    in the meeting's year, with today as 印发日期. Issued minutes keep number, series and date
    whatever changes later; others, and downloads before the meeting, get an unnumbered
    draft. Two issues at once: the unique (kind, year, number) refuses the second, which
    takes the next number (the meeting row lock keeps one meeting from being numbered twice).
    """
    if (
        meeting.minutes_number is not None
        or not can_manage_meetings(user)
        or meeting.starts_at > timezone.now()
    ):
        return meeting
    for _attempt in range(10):
        try:
            with transaction.atomic():
                locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
                if locked.minutes_number is not None:
                    return locked
                year = timezone.localtime(locked.starts_at).year
                series = Meeting.objects.filter(minutes_kind=locked.kind, minutes_year=year)
                last = series.aggregate(last=Max("minutes_number"))["last"] or 0
                with audit_context(actor=user, action="issue_minutes"):
                    locked.minutes_kind, locked.minutes_year = locked.kind, year
                    locked.minutes_number = last + 1
                    locked.minutes_issued_on = today or timezone.localdate()
                    locked.save(
                        update_fields=[
                            "minutes_kind",
                            "minutes_year",
                            "minutes_number",
                            "minutes_issued_on",
                        ]
                    )
                return locked
        except IntegrityError:  # another meeting of the series took that number meanwhile
            continue
    raise MeetingError("纪要编号冲突，请稍后重新下载。")


@transaction.atomic
def record_decision(
    user,
    meeting: Meeting,
    *,
    text: str,
    lead_unit,
    result_standard: str,
    deadline_mode: str,
    deadline_days=None,
    deadline_date=None,
    co_units=(),
    problem=None,
    project=None,
    enterprise=None,
    responsible=None,
    requirement: str = "",
) -> Decision:
    """A decision (议定事项) becomes a 督办 item with this meeting as its source. The item's
    交办人 is the meeting's chair (who decided), not the note-taker recording it; a meeting
    without a chair: the note-taker. `requirement` (工作要求, what the sentence asks without
    who and by when) titles the item; the decision's text by default."""
    if not can_manage_meetings(user):
        raise PermissionDenied(NOT_A_MANAGER)
    if not text.strip():
        raise MeetingError("请填写议定事项。")
    if responsible is not None and not responsible.unit.is_within(lead_unit):
        raise MeetingError(f"责任人{responsible.name}不是牵头单位{lead_unit.name}的人员。")
    # The meeting's row locked: two decisions recorded at once get numbers one after the other.
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    requirement = requirement.strip() or text.strip()
    project = project or meeting.project or (problem.project if problem else None)
    item, warning = supervision.assign_item(
        user,
        title=f"{meeting.title}:{requirement[:60]}",
        requirement=requirement,
        result_standard=result_standard,
        source=SupervisionItem.Source.MEETING,
        project=project,
        enterprise=enterprise or (problem.enterprise if problem else None),
        problem=problem,
        responsible=responsible,
        assigner=meeting.chair,
        lead_unit=lead_unit,
        co_units=co_units,
        deadline_mode=deadline_mode,
        deadline_days=deadline_days,
        deadline_date=deadline_date,
        assigned_on=timezone.localtime(meeting.starts_at).date(),
    )
    number = (
        meeting.decisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    with audit_context(actor=user, action="record_decision"):
        decision = Decision.objects.create(
            meeting=meeting, number=number, text=text.strip(), item=item, problem=problem
        )
    decision.warning = warning
    return decision


@transaction.atomic
def record_attendance(
    user, meeting: Meeting, statuses: dict[int, str], version: int | None = None
) -> int:
    """登记出席: ``statuses`` maps person pks to a status; anyone recorded before and not in it
    is dropped. Returns how many are recorded now. `version`: the meeting's, as the user's
    form showed it (the list is the meeting's: a stale form would undo another's entries)."""
    _locked(user, meeting.pk, version)
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)  # not audited
    wanted = dict(statuses)
    with audit_context(actor=user, action="save_attendance"):
        for attendance in meeting.attendances.select_for_update():
            status = wanted.pop(attendance.person_id, None)
            if status is None:
                attendance.delete()
            elif status != attendance.status:
                attendance.status = status
                attendance.save()
        for person_pk, status in wanted.items():
            Attendance.objects.create(meeting=meeting, person_id=person_pk, status=status)
    # Counted afresh: the page's meeting comes with its attendances prefetched (stale here).
    return Attendance.objects.filter(meeting=meeting).count()


@transaction.atomic
def resolve_problem_in_meeting(user, meeting: Meeting, problem_pk: int, resolution: str):
    """A problem discussed at the meeting and settled there; the meeting keeps the link."""
    if not can_manage_meetings(user):
        raise PermissionDenied(NOT_A_MANAGER)
    problem = supervision.resolve_problem(
        user, problem_pk, None, f"{meeting.title}研究解决:{resolution}"
    )
    with audit_context(actor=user, action="settle_problem"):
        meeting.settled_problems.add(problem)
    return problem
