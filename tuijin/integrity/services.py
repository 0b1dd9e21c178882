"""Every write to integrity records: each verb checks its rule (``permissions``), writes in
one transaction under ``audit_context`` with the verb's name, and refuses a stale form
(``core.versions``). Uploaded commitment scans arrive checked by the form
(``core.uploads``); nothing here opens them."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.core.audit import audit_context
from tuijin.core.versions import locked, unique_write
from tuijin.integrity.models import (
    Interference,
    NilReport,
    NilState,
    RiskPoint,
    Talk,
    TalkState,
    Trigger,
)
from tuijin.integrity.permissions import (
    can_keep_integrity,
    can_record_interference,
    can_submit_nil_report,
)
from tuijin.org.access import person_of, zone_units
from tuijin.org.models import Unit, UnitKind
from tuijin.supervision.workdays import add_working_days

# 插手干预: recorded within this many working days of the attempt.
INTERFERENCE_WORKING_DAYS = 3
# 零报告: due this many working days after the quarter ends.
NIL_REPORT_WORKING_DAYS = 5
# Units asked for a quarterly nil report: departments, parks and towns (their heads answer).
NIL_REPORT_KINDS = (UnitKind.DEPARTMENT, UnitKind.PARK, UnitKind.TOWN)
TALK = gettext_lazy("该谈话")
RISK = gettext_lazy("该风险点")
REPORT = gettext_lazy("该零报告")


def _keeper(user):
    if not can_keep_integrity(user):
        raise PermissionDenied(_("只有纪检监察人员可以登记廉政谈话和风险点。"))
    return person_of(user)


def _in_zone(user, unit: Unit) -> None:
    if not zone_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("只能登记本开发区的单位。"))


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_span(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (
        dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def interference_deadline(occurred_on: dt.date) -> dt.date:
    """The last day an attempt of ``occurred_on`` may be recorded: 3 working days after it
    (holidays and make-up working days counted, ``supervision.workdays``)."""
    return add_working_days(occurred_on, INTERFERENCE_WORKING_DAYS)


# --- risk points ------------------------------------------------------------------------------


@transaction.atomic
def add_risk_point(
    user,
    *,
    unit,
    stage,
    title,
    measures,
    grade="1",
    description="",
    project=None,
    is_active=True,
) -> RiskPoint:
    person = _keeper(user)
    _in_zone(user, unit)
    with audit_context(actor=user, action="add_risk_point"):
        return RiskPoint.objects.create(
            unit=unit,
            stage=stage,
            title=title,
            description=description,
            grade=grade,
            measures=measures,
            project=project,
            is_active=is_active,
            created_by=person,
        )


@transaction.atomic
def update_risk_point(user, pk: int, version: int | None, **values) -> RiskPoint:
    _keeper(user)
    if "unit" in values:
        _in_zone(user, values["unit"])
    point = locked(RiskPoint.objects.editable_by(user).reading(None), pk, version, RISK)
    with audit_context(actor=user, action="update_risk_point"):
        for name, value in values.items():
            setattr(point, name, value)
        point.save()
    return point


# --- talks ------------------------------------------------------------------------------------


def _talk_fields(talk: Talk, user, values: dict, commitment) -> None:
    talkees = values.pop("talkees", None)
    risk_points = values.pop("risk_points", None)
    for name, value in values.items():
        setattr(talk, name, value)
    if commitment is not None:
        talk.commitment = commitment
        talk.commitment_name = commitment.name[:200]
    talk.save()
    if talkees is not None:
        talk.talkees.set(talkees)
    if risk_points is not None:
        talk.risk_points.set(risk_points)


@transaction.atomic
def plan_talk(user, *, unit, kind, due_date, talkees=(), project=None, trigger_note="") -> Talk:
    """安排谈话: a due talk on the inspectors' list."""
    _keeper(user)
    _in_zone(user, unit)
    with audit_context(actor=user, action="plan_talk"):
        talk = Talk.objects.create(
            unit=unit,
            kind=kind,
            due_date=due_date,
            project=project,
            trigger_note=trigger_note,
        )
        if talkees:
            talk.talkees.set(talkees)
    return talk


@transaction.atomic
def add_talk(user, *, unit, commitment=None, **values) -> Talk:
    """登记谈话: a talk held, recorded at once (no due talk before it)."""
    _keeper(user)
    _in_zone(user, unit)
    _check_held(values)
    with audit_context(actor=user, action="record_talk"):
        talk = Talk(unit=unit, state=TalkState.DONE)
        _talk_fields(talk, user, dict(values), commitment)
    return talk


def _check_held(values: dict) -> None:
    if not values.get("talkees"):
        raise ValidationError({"talkees": _("请选择谈话对象。")})
    held_on = values.get("held_on")
    if held_on is None:
        raise ValidationError({"held_on": _("请填写谈话日期。")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("谈话日期不能晚于今天。")})


@transaction.atomic
def record_talk(user, pk: int, version: int | None, *, commitment=None, **values) -> Talk:
    """记录谈话: the talk held (a due talk becomes done), or a held talk corrected."""
    _keeper(user)
    _check_held(values)
    talk = locked(Talk.objects.editable_by(user).reading(None), pk, version, TALK)
    with audit_context(actor=user, action="record_talk"):
        talk.state = TalkState.DONE
        _talk_fields(talk, user, dict(values), commitment)
    return talk


def open_due_talk(*, key: str, unit, kind, due_date, trigger, note="", project=None, talkees=()):
    """A talk the workflow asks for (``triggers``): created once per ``key``, by the system.
    Returns the talk, or None when that key already has one."""
    if Talk.objects.filter(trigger_key=key).exists():
        return None
    with transaction.atomic(), audit_context(action="open_due_talk"):
        with unique_write(_("该谈话已经安排。")):
            talk = Talk.objects.create(
                unit=unit,
                kind=kind,
                due_date=due_date,
                trigger=trigger,
                trigger_key=key,
                trigger_note=note[:200],
                project=project,
            )
        if talkees:
            talk.talkees.set(talkees)
    return talk


# --- interference register --------------------------------------------------------------------


@transaction.atomic
def record_interference(
    user, *, occurred_on, intervener, matter, response, project=None
) -> Interference:
    """登记插手干预: any official, within 3 working days (a later record is kept, marked late)."""
    if not can_record_interference(user):
        raise PermissionDenied(_("只有本开发区的工作人员可以登记插手干预重大事项。"))
    person = person_of(user)
    today = timezone.localdate()
    if occurred_on > today:
        raise ValidationError({"occurred_on": _("发生日期不能晚于今天。")})
    deadline = interference_deadline(occurred_on)
    with audit_context(actor=user, action="record_interference"):
        return Interference.objects.create(
            unit=person.unit,
            recorded_by=person,
            recorded_at=timezone.now(),
            occurred_on=occurred_on,
            deadline=deadline,
            late=today > deadline,
            intervener=intervener,
            project=project,
            matter=matter,
            response=response,
        )


# --- nil reports ------------------------------------------------------------------------------


def nil_units(zone: Unit):
    return zone.subtree().filter(kind__in=NIL_REPORT_KINDS).order_by("path")


@transaction.atomic
def ask_nil_reports(user, *, year: int, quarter: int) -> list[NilReport]:
    """发起零报告: one report asked of every department, park and town of the zone for the
    quarter (units already asked keep theirs)."""
    person = _keeper(user)
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("季度应为1至4。")})
    _start, end = quarter_span(year, quarter)
    due = add_working_days(end, NIL_REPORT_WORKING_DAYS)
    asked = set(
        NilReport.objects.filter(year=year, quarter=quarter).values_list("unit_id", flat=True)
    )
    made = []
    with audit_context(actor=user, action="ask_nil_reports"):
        for unit in nil_units(person.unit.zone):
            if unit.pk in asked:
                continue
            # get_or_create: asked by someone else at the same moment, the unit keeps that one
            report, created = NilReport.objects.get_or_create(
                unit=unit,
                year=year,
                quarter=quarter,
                defaults={"due_date": due, "asked_by": person},
            )
            if created:
                made.append(report)
    return made


@transaction.atomic
def submit_nil_report(user, pk: int, version: int | None, *, note: str = "") -> NilReport:
    """报送: the unit head states the quarter's interference (零报告 when nothing was recorded;
    otherwise the number of records the unit's people made in the quarter)."""
    seen = NilReport.objects.filter(pk=pk).first()
    if seen is None or not can_submit_nil_report(user, seen):
        raise PermissionDenied(_("只有本单位负责人可以报送本单位尚未报送的零报告。"))
    report = locked(NilReport.objects.editable_by(user).reading(None), pk, version, REPORT)
    start, end = quarter_span(report.year, report.quarter)
    records = Interference.objects.filter(
        unit=report.unit, occurred_on__gte=start, occurred_on__lte=end
    ).count()
    with audit_context(actor=user, action="submit_nil_report"):
        report.state = NilState.RECORDED if records else NilState.NIL
        report.records = records
        report.note = note
        report.submitted_by = person_of(user)
        report.submitted_on = timezone.localdate()
        report.save()
    return report


__all__ = [
    "Trigger",
    "add_risk_point",
    "add_talk",
    "ask_nil_reports",
    "interference_deadline",
    "open_due_talk",
    "plan_talk",
    "quarter_of",
    "quarter_span",
    "record_interference",
    "record_talk",
    "submit_nil_report",
    "update_risk_point",
]
