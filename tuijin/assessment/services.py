"""Every write of the monthly assessment, one function per thing the 督查室, a leader or a unit
head does. Each checks its rule (permissions.py) before writing, runs in one transaction and
names its verb for the audit trail (``audit_context``).

The workflow of a month (``Period``): open → compute (a background job; again as often as
needed while in draft) → review (``start_publicity``: 公示 for N working days) → appeals filed
by unit heads, decided by the 督查室 → ``publish`` (after 公示, every appeal decided). A
published month is frozen: ``compute_period`` refuses it; the only change left is
``correct_score``, a visible revision with its reason.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.assessment import indicators
from tuijin.assessment.indicators import Rules, q
from tuijin.assessment.models import (
    SCHEME_VALUE_FIELDS,
    Adjustment,
    Appeal,
    IndicatorScore,
    Instruction,
    LeaderRating,
    Period,
    PeriodState,
    Revision,
    Scheme,
    UnitClass,
    UnitScore,
    Veto,
)
from tuijin.assessment.permissions import (
    can_appeal,
    can_manage_assessment,
    can_rate,
    can_record_instruction,
    user_zone,
)
from tuijin.assessment.results import rank
from tuijin.core import bulk, formats, jobs
from tuijin.core.access import require
from tuijin.core.audit import audit_context, record_events, snapshot
from tuijin.org.access import person_of, sees_everything
from tuijin.org.models import Unit, UnitKind
from tuijin.supervision.workdays import add_working_days

COMPUTE_JOB = "assessment.compute"  # registered in apps.py
MANAGE_ONLY = gettext_lazy("只有督查室可以进行考核管理。")


class AssessmentError(ValidationError):
    """A refused step, with the reason in Chinese for the user."""


def zone_for(user) -> Unit:
    """The zone the user assesses: their own; for an administrator without one, the first."""
    zone = user_zone(user)
    if zone is None and sees_everything(user):
        zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("depth", "path").first()
    if zone is None:
        raise PermissionDenied(_("您不属于任何开发区,不能进行考核。"))
    return zone


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# ------------------------------------------------------------------------------- schemes


def default_values() -> dict:
    scheme = Scheme()
    return {name: getattr(scheme, name) for name in SCHEME_VALUE_FIELDS}


def scheme_in_force(zone, unit_class: str, month: dt.date) -> Scheme | None:
    return (
        Scheme.objects.filter(zone=zone, unit_class=unit_class, effective_from__lte=month)
        .order_by("-effective_from", "-version")
        .first()
    )


def scheme_snapshot(scheme: Scheme | None) -> dict:
    """The numbers a month is computed with, kept in the month (JSON)."""
    values = (
        {name: getattr(scheme, name) for name in SCHEME_VALUE_FIELDS}
        if scheme
        else default_values()
    )
    snapshot_ = {name: str(value) for name, value in values.items()}
    snapshot_["version"] = scheme.version if scheme else 0
    snapshot_["excluded"] = (
        sorted(scheme.excluded_units.values_list("pk", flat=True)) if scheme else []
    )
    return snapshot_


@transaction.atomic
def save_scheme(
    user,
    unit_class: str,
    values: dict,
    *,
    effective_from: dt.date,
    excluded_units=(),
    note: str = "",
) -> Scheme:
    """A new version of the class's scheme, in force from the month of `effective_from`.
    Months already computed keep their version (their ``schemes`` snapshot)."""
    require(can_manage_assessment(user), MANAGE_ONLY)
    zone = zone_for(user)
    if unit_class not in UnitClass.values:
        raise AssessmentError(_("单位类别无效。"))
    if not values["grade_excellent"] >= values["grade_good"] >= values["grade_pass"]:
        raise AssessmentError(_("等次分数线须满足:优秀 ≥ 良好 ≥ 合格。"))
    latest = Scheme.objects.filter(zone=zone, unit_class=unit_class).order_by("-version").first()
    with audit_context(actor=user, action="save_scheme"):
        scheme = Scheme.objects.create(
            zone=zone,
            unit_class=unit_class,
            version=(latest.version + 1) if latest else 1,
            effective_from=month_start(effective_from),
            note=note,
            **{name: values[name] for name in SCHEME_VALUE_FIELDS},
        )
        scheme.excluded_units.set(excluded_units)
    return scheme


# ------------------------------------------------------------------------------- months


@transaction.atomic
def open_period(user, month: dt.date) -> Period:
    """The month's assessment (found if it was opened already)."""
    require(can_manage_assessment(user), MANAGE_ONLY)
    zone = zone_for(user)
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise AssessmentError(_("不能考核尚未开始的月份。"))
    with audit_context(actor=user, action="open_period"):
        # get_or_create: two opening the month at once both get the one period (no 500)
        return Period.objects.get_or_create(zone=zone, month=month)[0]


def _locked(period_pk: int) -> Period:
    return Period.objects.select_for_update().select_related("zone").get(pk=period_pk)


def start_compute(user, period_pk: int):
    """Queue the month's computation (progress on the job page)."""
    period = Period.objects.get(pk=period_pk)
    require(can_manage_assessment(user), MANAGE_ONLY)
    if period.state != PeriodState.DRAFT:
        raise AssessmentError(_("该月考核已进入公示或已发布,不能重新计算。"))
    job = jobs.start_job(
        user, COMPUTE_JOB, f"计算{period}", {"period": period.pk, "user_id": user.pk}
    )
    Period.objects.filter(pk=period.pk).update(job_id=job.pk)
    return job


def assessed_units(zone, schemes: dict[str, dict]) -> list[Unit]:
    """Departments, parks and towns directly under the zone, less each scheme's exclusions."""
    excluded = {pk for values in schemes.values() for pk in values.get("excluded", [])}
    units = Unit.objects.filter(
        path__startswith=zone.path, depth=zone.depth + 1, kind__in=UnitClass.values
    ).order_by("path")
    return [unit for unit in units if unit.pk not in excluded]


def _created(rows) -> list:
    return [
        (row, "create", {k: [None, v] for k, v in snapshot(row).items() if v not in (None, "")})
        for row in rows
    ]


def compute_period(user, period_pk: int, progress=None) -> Period:
    """Compute every unit's figures for the month from the records as they are now, replacing
    the last computation. Refused once the month is in 公示 or published (frozen)."""
    progress = progress or (lambda done, total: None)
    with transaction.atomic(), audit_context(actor=user, action="compute"):
        period = _locked(period_pk)
        require(can_manage_assessment(user), MANAGE_ONLY)
        if period.state != PeriodState.DRAFT:
            raise AssessmentError(_("该月考核已进入公示或已发布,不能重新计算。"))
        zone = period.zone
        schemes = {
            c: scheme_snapshot(scheme_in_force(zone, c, period.month)) for c in UnitClass.values
        }
        rules = {c: Rules(values) for c, values in schemes.items()}
        units = assessed_units(zone, schemes)
        now = timezone.now()
        progress(0, len(units) + 2)
        data = indicators.gather(units, period.month, now, period)
        progress(1, len(units) + 2)
        _clear_scores(period)
        previous = _previous_ranks(period)
        vetoes = {v.unit_id: v for v in period.vetoes.all()}
        blocked = set(
            Veto.objects.filter(
                period__zone=zone,
                period__month__year=period.month.year,
                period__month__lte=period.month,
            ).values_list("unit_id", flat=True)
        )
        scores, rows = [], []
        for done, unit in enumerate(units, start=2):
            unit_rules = rules[unit.kind]
            found, cadres = indicators.unit_indicators(unit_rules, data, unit.pk)
            score = UnitScore(
                period=period,
                unit=unit,
                unit_class=unit.kind,
                total=q(sum(i.score for i in found)),
                previous_rank=previous.get(unit.pk),
                vetoed=unit.pk in vetoes,
                award_blocked=unit.pk in blocked,
                met_all_targets=all(i.met for i in found) and unit.pk not in vetoes,
                cadres=sorted(cadres.values(), key=lambda c: c["name"]),
            )
            scores.append(score)
            rows.append(found)
            progress(done, len(units) + 2)
        rank(scores, rules)
        UnitScore.objects.bulk_create(scores)
        indicator_rows = [
            IndicatorScore(
                unit_score=score,
                key=i.key,
                name=i.name,
                weight=i.weight,
                score=i.score,
                computed=i.score,
                summary=i.summary[:300],
                facts=i.facts,
                sort_order=position,
            )
            for score, found in zip(scores, rows, strict=True)
            for position, i in enumerate(found)
        ]
        IndicatorScore.objects.bulk_create(indicator_rows)
        record_events(_created(scores) + _created(indicator_rows))
        period.schemes = schemes
        period.computed_at = now
        period.as_of = timezone.localtime(now).date()
        period.save()
    progress(len(units) + 2, len(units) + 2)
    return period


def _clear_scores(period: Period) -> None:
    """The last computation's scores, their indicators and appeals deleted, each deletion
    audited as ``delete()`` would: in a fixed number of queries, not a few per unit (a
    recomputation of 200 units sent ~4,900; bench/README.md, A13)."""
    appeals = list(
        Appeal.objects.filter(indicator__unit_score__period=period).select_related(
            "indicator__unit_score__unit"
        )
    )
    found = list(
        IndicatorScore.objects.filter(unit_score__period=period).select_related("unit_score__unit")
    )
    scores = list(period.scores.select_related("unit", "period"))
    rows = appeals + found + scores
    if not rows:
        return
    record_events([(r, "delete", {k: [v, None] for k, v in snapshot(r).items()}) for r in rows])
    for model, done in ((Appeal, appeals), (IndicatorScore, found), (UnitScore, scores)):
        bulk.run(bulk.delete_sql(model, [r.pk for r in done]))


def _previous_ranks(period: Period) -> dict[int, int]:
    last = (
        Period.objects.filter(zone=period.zone, month__lt=period.month, state=PeriodState.PUBLISHED)
        .order_by("-month")
        .first()
    )
    if last is None or (period.month - last.month).days > 31:
        return {}
    return dict(last.scores.values_list("unit_id", "rank"))


def _rerank(period: Period) -> None:
    """Totals from the stored indicator figures, then ranks: after an appeal or a correction
    (the records are not read again)."""
    rules = {c: Rules(values) for c, values in period.schemes.items()}
    scores = list(period.scores.select_related("unit").prefetch_related("indicators"))
    for score in scores:
        score.total = q(sum(i.score for i in score.indicators.all()))
    rank(scores, rules)
    for score in scores:
        score.save()  # audited only where something changed


# ------------------------------------------------------------------- what is entered


def _draft(period: Period) -> None:
    if period.state != PeriodState.DRAFT:
        raise AssessmentError(_("该月考核已进入公示或已发布,不能再修改加减分、一票否决或评分。"))


@transaction.atomic
def add_adjustment(
    user, period_pk: int, *, unit, points: Decimal, reason: str, document=None
) -> Adjustment:
    """加减分 with its written reason and, optionally, the commendation or criticism (a file
    already checked by the form's UploadField)."""
    period = _locked(period_pk)
    require(can_manage_assessment(user), MANAGE_ONLY)
    _draft(period)
    if not reason.strip():
        raise AssessmentError(_("加减分须写明理由。"))
    if points == 0:
        raise AssessmentError(_("分值不能为0。"))
    with audit_context(actor=user, action="add_adjustment"):
        return Adjustment.objects.create(
            period=period,
            unit=unit,
            points=points,
            reason=reason.strip(),
            document=document or "",
            original_name=getattr(document, "original_name", "") if document else "",
            entered_by=person_of(user),
            entered_at=timezone.now(),
        )


@transaction.atomic
def remove_adjustment(user, adjustment_pk: int) -> None:
    adjustment = Adjustment.objects.select_related("period").get(pk=adjustment_pk)
    require(can_manage_assessment(user), MANAGE_ONLY)
    _draft(_locked(adjustment.period_id))
    with audit_context(actor=user, action="remove_adjustment"):
        adjustment.delete()


@transaction.atomic
def set_veto(user, period_pk: int, *, unit, reason: str) -> Veto:
    """一票否决 with its reason: bottom of the class, no award this year."""
    period = _locked(period_pk)
    require(can_manage_assessment(user), MANAGE_ONLY)
    _draft(period)
    if not reason.strip():
        raise AssessmentError(_("一票否决须写明理由。"))
    if Veto.objects.filter(period=period, unit=unit).exists():
        raise AssessmentError(_("该单位本月已被一票否决。"))
    with audit_context(actor=user, action="veto"):
        return Veto.objects.create(
            period=period,
            unit=unit,
            reason=reason.strip(),
            entered_by=person_of(user),
            entered_at=timezone.now(),
        )


@transaction.atomic
def remove_veto(user, veto_pk: int) -> None:
    veto = Veto.objects.get(pk=veto_pk)
    require(can_manage_assessment(user), MANAGE_ONLY)
    _draft(_locked(veto.period_id))
    with audit_context(actor=user, action="remove_veto"):
        veto.delete()


@transaction.atomic
def rate_units(user, period_pk: int, ratings: dict) -> int:
    """分管领导评分: {unit: (score or None, comment)}; None clears the leader's rating."""
    period = _locked(period_pk)
    require(can_rate(user), _("只有区领导可以评分。"))
    _draft(period)
    rater, changed = person_of(user), 0
    with audit_context(actor=user, action="rate"):
        for unit, (score, comment) in ratings.items():
            existing = LeaderRating.objects.filter(period=period, unit=unit, rater=rater).first()
            if score is None:
                if existing:
                    existing.delete()
                    changed += 1
                continue
            if existing is None:
                LeaderRating.objects.create(
                    period=period,
                    unit=unit,
                    rater=rater,
                    score=score,
                    comment=comment,
                    rated_at=timezone.now(),
                )
                changed += 1
            elif existing.score != score or existing.comment != comment:
                existing.score, existing.comment, existing.rated_at = score, comment, timezone.now()
                existing.save()
                changed += 1
    return changed


@transaction.atomic
def record_instruction(user, *, unit, leader, day: dt.date, text: str, item=None) -> Instruction:
    """A leader's approving 批示 on the unit's work (a bonus in the month of `day`)."""
    require(can_record_instruction(user), _("只有督查室或区领导可以录入领导批示。"))
    if not text.strip():
        raise AssessmentError(_("请填写批示内容。"))
    if item is not None and item.lead_unit_id != unit.pk:
        raise AssessmentError(_("所选督办事项不是该单位牵头的事项。"))
    with audit_context(actor=user, action="record_instruction"):
        return Instruction.objects.create(
            unit=unit,
            leader=leader,
            day=day,
            text=text.strip(),
            item=item,
            entered_by=person_of(user),
        )


# ------------------------------------------------------------------------------ workflow


@transaction.atomic
def start_publicity(user, period_pk: int) -> Period:
    """审核通过: the figures go on 公示 for the scheme's number of working days."""
    period = _locked(period_pk)
    require(can_manage_assessment(user), MANAGE_ONLY)
    if period.state != PeriodState.DRAFT or period.computed_at is None:
        raise AssessmentError(_("请先计算本月得分,审核无误后再开始公示。"))
    days = max(int(Rules(v).publicity_days) for v in period.schemes.values())
    today = timezone.localdate()
    with audit_context(actor=user, action="start_publicity"):
        period.state = PeriodState.PUBLICITY
        period.reviewed_by = person_of(user)
        period.publicity_start = today
        period.publicity_end = add_working_days(today, days)
        period.save()
    return period


@transaction.atomic
def file_appeal(user, indicator_pk: int, *, reason: str, evidence=None) -> Appeal:
    """申诉: the unit head disputes one indicator during 公示."""
    indicator = IndicatorScore.objects.select_related("unit_score__period").get(pk=indicator_pk)
    require(can_appeal(user, indicator), _("只有本单位负责人可以在公示期内申诉。"))
    if not reason.strip():
        raise AssessmentError(_("请写明申诉理由。"))
    if indicator.appeals.filter(status=Appeal.Status.PENDING).exists():
        raise AssessmentError(_("该指标已有待处理的申诉。"))
    with audit_context(actor=user, action="file_appeal"):
        return Appeal.objects.create(
            indicator=indicator,
            filed_by=person_of(user),
            filed_at=timezone.now(),
            reason=reason.strip(),
            evidence=evidence or "",
            original_name=getattr(evidence, "original_name", "") if evidence else "",
            old_score=indicator.score,
        )


@transaction.atomic
def decide_appeal(
    user, appeal_pk: int, *, upheld: bool, decision: str, new_score: Decimal | None = None
) -> Appeal:
    """Upheld: the indicator takes `new_score`, the reason is kept on it, totals and ranks
    follow. Refused: the figure stays."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal_pk)
    indicator = IndicatorScore.objects.select_related("unit_score").get(pk=appeal.indicator_id)
    period = _locked(indicator.unit_score.period_id)
    require(can_manage_assessment(user), MANAGE_ONLY)
    if appeal.status != Appeal.Status.PENDING:
        raise AssessmentError(_("该申诉已处理。"))
    if period.state != PeriodState.PUBLICITY:
        raise AssessmentError(_("只能在公示期间处理申诉。"))
    if not decision.strip():
        raise AssessmentError(_("请写明处理意见。"))
    if upheld:
        _check_score(indicator, new_score)
    with audit_context(actor=user, action="decide_appeal"):
        appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REFUSED
        appeal.decided_by = person_of(user)
        appeal.decided_at = timezone.now()
        appeal.decision = decision.strip()
        if upheld:
            appeal.new_score = q(new_score)
            indicator.score = q(new_score)
            note = f"申诉成立({indicator.computed}→{indicator.score}):{decision.strip()}"
            indicator.note = f"{indicator.note}\n{note}".strip()
            indicator.save()
            _rerank(period)
        appeal.save()
    return appeal


def _check_score(indicator: IndicatorScore, value) -> None:
    if value is None:
        raise AssessmentError(_("请填写调整后的得分。"))
    low = -indicator.weight if indicator.key == "adjust" else Decimal(0)
    if not low <= value <= indicator.weight:
        raise AssessmentError(
            _("得分须在%(low)s至%(high)s之间。") % {"low": low, "high": indicator.weight}
        )


@transaction.atomic
def publish(user, period_pk: int) -> Period:
    """After 公示, every appeal decided: the month is published and frozen."""
    period = _locked(period_pk)
    require(can_manage_assessment(user), MANAGE_ONLY)
    if period.state != PeriodState.PUBLICITY:
        raise AssessmentError(_("只有公示中的考核可以发布。"))
    if timezone.localdate() <= period.publicity_end:
        raise AssessmentError(
            _("公示期至%(d)s,期满后方可发布。") % {"d": formats.day(period.publicity_end)}
        )
    if Appeal.objects.filter(indicator__unit_score__period=period, status="pending").exists():
        raise AssessmentError(_("还有未处理的申诉,处理完毕后方可发布。"))
    with audit_context(actor=user, action="publish"):
        period.state = PeriodState.PUBLISHED
        period.published_at = timezone.now()
        period.published_by = person_of(user)
        period.save()
    return period


@transaction.atomic
def correct_score(user, indicator_pk: int, *, new_score: Decimal, reason: str) -> Revision:
    """更正 after publishing: a new revision of the month with its reason, visible on it."""
    indicator = IndicatorScore.objects.select_related("unit_score__unit").get(pk=indicator_pk)
    period = _locked(indicator.unit_score.period_id)
    require(can_manage_assessment(user), MANAGE_ONLY)
    if period.state != PeriodState.PUBLISHED:
        raise AssessmentError(_("发布前的修改请通过重新计算或申诉处理。"))
    if not reason.strip():
        raise AssessmentError(_("更正须写明理由。"))
    _check_score(indicator, new_score)
    with audit_context(actor=user, action="correct"):
        old = indicator.score
        indicator.score = q(new_score)
        indicator.note = f"{indicator.note}\n更正({old}→{indicator.score}):{reason.strip()}".strip()
        indicator.save()
        _rerank(period)
        period.revision += 1
        period.save()
        return Revision.objects.create(
            period=period,
            number=period.revision,
            reason=reason.strip(),
            changes=[
                {
                    "unit": indicator.unit_score.unit.name,
                    "indicator": indicator.name,
                    "old": str(old),
                    "new": str(indicator.score),
                }
            ],
            made_by=person_of(user),
            made_at=timezone.now(),
        )
