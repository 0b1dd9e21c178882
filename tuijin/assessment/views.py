"""Assessment pages: the months, a month's ranking and workflow, a unit's breakdown (each
figure opening into its facts), appeals, the leaders' rating form, schemes, 批示, the 考核通报
.docx and the scores .xlsx.

Thin: records load through ``get_for_user`` (404 outside scope), the rule of each verb is
checked before the form is read (403), and the services do the writes.
"""

import io

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.assessment import documents, exports, results, services
from tuijin.assessment.forms import (
    AdjustmentForm,
    AppealForm,
    CorrectionForm,
    DecisionForm,
    InstructionForm,
    OpenPeriodForm,
    RatingForm,
    SchemeClassQuery,
    SchemeForm,
    VetoForm,
)
from tuijin.assessment.models import (
    Adjustment,
    Appeal,
    IndicatorScore,
    Instruction,
    LeaderRating,
    Period,
    PeriodState,
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
    can_see_cadres,
    sees_all_scores,
)
from tuijin.core import formats
from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.org.access import person_of
from tuijin.org.models import Role

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MANAGE_ONLY = services.MANAGE_ONLY


def _errors(request, exc) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def _units(period: Period):
    return services.assessed_units(
        period.zone,
        period.schemes
        or {
            c: services.scheme_snapshot(services.scheme_in_force(period.zone, c, period.month))
            for c in UnitClass.values
        },
    )


def _unit_choices(period: Period):
    from tuijin.org.models import Unit

    return Unit.objects.filter(pk__in=[u.pk for u in _units(period)]).order_by("path")


# ------------------------------------------------------------------------------- months


@require_GET
def index(request):
    periods = list(Period.objects.visible_to(request.user).order_by("-month")[:24])
    person = person_of(request.user)
    mine = None
    if person is not None and not sees_all_scores(request.user):
        mine = (
            UnitScore.objects.visible_to(request.user)
            .filter(unit=person.unit)
            .select_related("period")
            .order_by("-period__month")
            .first()
        )
    return render(
        request,
        "assessment/index.html",
        {
            "periods": periods,
            "mine": mine,
            "manage": can_manage_assessment(request.user),
            "open_form": OpenPeriodForm(),
        },
    )


@require_POST
def period_open(request):
    require(can_manage_assessment(request.user), MANAGE_ONLY)
    form = OpenPeriodForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("month", []):
            messages.error(request, _("考核月份:%(e)s") % {"e": error})
        return redirect("assessment:index")
    try:
        period = services.open_period(request.user, form.cleaned_data["month"])
    except services.AssessmentError as exc:
        _errors(request, exc)
        return redirect("assessment:index")
    return redirect(period)


def _period_context(request, period: Period, **forms) -> dict:
    user = request.user
    manage = can_manage_assessment(user)
    appeals = (
        Appeal.objects.visible_to(user)
        .filter(indicator__unit_score__period=period)
        .select_related("indicator__unit_score__unit", "filed_by", "decided_by")
        .order_by("filed_at")
    )
    context = {
        "period": period,
        "ranking": results.ranking(period, user),
        "manage": manage,
        "sees_all": sees_all_scores(user),
        "can_rate": can_rate(user) and period.state == PeriodState.DRAFT,
        "adjustments": Adjustment.objects.visible_to(user)
        .filter(period=period)
        .select_related("unit", "entered_by"),
        "vetoes": Veto.objects.visible_to(user).filter(period=period).select_related("unit"),
        "appeals": appeals,
        "revisions": period.revisions.select_related("made_by"),
        "job": None,
        "today": timezone.localdate(),
    }
    if manage and period.state == PeriodState.DRAFT:
        units = _unit_choices(period)
        context["adjustment_form"] = forms.get("adjustment_form") or AdjustmentForm(units=units)
        context["veto_form"] = forms.get("veto_form") or VetoForm(units=units)
    if manage and period.job_id:
        from tuijin.core.models import Job

        context["job"] = Job.objects.filter(pk=period.job_id, owner=user).first()
    if manage and period.state == PeriodState.PUBLICITY:
        context["decision_form"] = DecisionForm()
    return context


@require_GET
def period_detail(request, pk):
    period = get_for_user(request.user, Period, pk=pk)
    return render(request, "assessment/period.html", _period_context(request, period))


def _manage_period(request, pk) -> Period:
    period = get_for_user(request.user, Period, pk=pk)
    require(can_manage_assessment(request.user), MANAGE_ONLY)
    return period


@require_POST
def period_compute(request, pk):
    period = _manage_period(request, pk)
    try:
        job = services.start_compute(request.user, period.pk)
    except services.AssessmentError as exc:
        _errors(request, exc)
        return redirect(period)
    return redirect(job)


@require_POST
def period_publicity(request, pk):
    period = _manage_period(request, pk)
    try:
        period = services.start_publicity(request.user, period.pk)
        messages.success(
            request, _("已开始公示,公示期至%(d)s。") % {"d": formats.day(period.publicity_end)}
        )
    except services.AssessmentError as exc:
        _errors(request, exc)
    return redirect(period)


@require_POST
def period_publish(request, pk):
    period = _manage_period(request, pk)
    try:
        services.publish(request.user, period.pk)
        messages.success(request, _("已发布。本月考核结果已固定,此后的更改将作为更正公布。"))
    except services.AssessmentError as exc:
        _errors(request, exc)
    return redirect(period)


@require_POST
def adjustment_add(request, pk):
    period = _manage_period(request, pk)
    form = AdjustmentForm(request.POST, request.FILES, units=_unit_choices(period))
    if form.is_valid():
        try:
            services.add_adjustment(request.user, period.pk, **form.cleaned_data)
            messages.success(request, _("已录入加减分。重新计算后计入得分。"))
            return redirect(f"{period.get_absolute_url()}#adjustments")
        except services.AssessmentError as exc:
            show_service_errors(form, exc)
    context = _period_context(request, period, adjustment_form=form)
    return render(request, "assessment/period.html", context, status=400)


@require_POST
def adjustment_remove(request, pk):
    adjustment = get_for_user(request.user, Adjustment, pk=pk)
    require(can_manage_assessment(request.user), MANAGE_ONLY)
    try:
        services.remove_adjustment(request.user, adjustment.pk)
        messages.success(request, _("已删除该加减分。"))
    except services.AssessmentError as exc:
        _errors(request, exc)
    return redirect(f"{adjustment.period.get_absolute_url()}#adjustments")


@require_POST
def veto_add(request, pk):
    period = _manage_period(request, pk)
    form = VetoForm(request.POST, units=_unit_choices(period))
    if form.is_valid():
        try:
            services.set_veto(request.user, period.pk, **form.cleaned_data)
            messages.success(request, _("已录入一票否决。重新计算后生效。"))
            return redirect(f"{period.get_absolute_url()}#vetoes")
        except services.AssessmentError as exc:
            show_service_errors(form, exc)
    return render(
        request,
        "assessment/period.html",
        _period_context(request, period, veto_form=form),
        status=400,
    )


@require_POST
def veto_remove(request, pk):
    veto = get_for_user(request.user, Veto, pk=pk)
    require(can_manage_assessment(request.user), MANAGE_ONLY)
    try:
        services.remove_veto(request.user, veto.pk)
        messages.success(request, _("已撤销一票否决。"))
    except services.AssessmentError as exc:
        _errors(request, exc)
    return redirect(f"{veto.period.get_absolute_url()}#vetoes")


# ------------------------------------------------------------------------ a unit's figure


def _score(request, pk) -> UnitScore:
    return get_for_user(
        request.user,
        UnitScore.objects.select_related("unit", "period__zone").prefetch_related(
            Prefetch(
                "indicators",
                queryset=IndicatorScore.objects.prefetch_related(
                    Prefetch(
                        "appeals", queryset=Appeal.objects.select_related("filed_by", "decided_by")
                    )
                ),
            )
        ),
        pk=pk,
    )


@require_GET
def score_detail(request, pk):
    score = _score(request, pk)
    user, period = request.user, score.period
    person = person_of(user)
    own_head = (
        person is not None and person.role == Role.UNIT_HEAD and person.unit_id == score.unit_id
    )
    indicators = list(score.indicators.all())
    appeal_forms = {}
    if any(can_appeal(user, i) for i in indicators[:1]):
        appeal_forms = {i.pk: AppealForm(prefix=f"a{i.pk}") for i in indicators}
    context = {
        "score": score,
        "period": period,
        "indicators": indicators,
        "appeal_forms": appeal_forms,
        "manage": can_manage_assessment(user),
        "decision_form": DecisionForm() if period.state == PeriodState.PUBLICITY else None,
        "correction_form": CorrectionForm() if period.is_published else None,
        "cadres": score.cadres if can_see_cadres(user, score) else None,
        "trend": results.trend(score.unit, period.zone, user),
        "raise_rank": results.raise_rank(score)
        if own_head or can_manage_assessment(user)
        else None,
    }
    return render(request, "assessment/score.html", context)


@require_POST
def appeal_file(request, pk):
    indicator = get_for_user(
        request.user, IndicatorScore.objects.select_related("unit_score__period"), pk=pk
    )
    require(can_appeal(request.user, indicator), _("只有本单位负责人可以在公示期内申诉。"))
    form = AppealForm(request.POST, request.FILES, prefix=f"a{indicator.pk}")
    url = reverse("assessment:score_detail", args=[indicator.unit_score_id])
    if form.is_valid():
        try:
            services.file_appeal(request.user, indicator.pk, **form.cleaned_data)
            messages.success(
                request, _("已就“%(name)s”提出申诉,请等待督查室处理。") % {"name": indicator.name}
            )
        except services.AssessmentError as exc:
            _errors(request, exc)
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}:{error}" if label else error)
    return redirect(f"{url}#ind-{indicator.key}")


@require_POST
def appeal_decide(request, pk):
    appeal = get_for_user(
        request.user, Appeal.objects.select_related("indicator__unit_score"), pk=pk
    )
    require(can_manage_assessment(request.user), MANAGE_ONLY)
    form = DecisionForm(request.POST)
    url = reverse("assessment:score_detail", args=[appeal.indicator.unit_score_id])
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_appeal(
                request.user,
                appeal.pk,
                upheld=data["outcome"] == "upheld",
                decision=data["decision"],
                new_score=data["new_score"],
            )
            messages.success(request, _("已处理申诉。"))
        except services.AssessmentError as exc:
            _errors(request, exc)
    else:
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}:{error}")
    return redirect(f"{url}#ind-{appeal.indicator.key}")


@require_POST
def score_correct(request, pk):
    indicator = get_for_user(
        request.user, IndicatorScore.objects.select_related("unit_score"), pk=pk
    )
    require(can_manage_assessment(request.user), MANAGE_ONLY)
    form = CorrectionForm(request.POST)
    url = reverse("assessment:score_detail", args=[indicator.unit_score_id])
    if form.is_valid():
        try:
            revision = services.correct_score(request.user, indicator.pk, **form.cleaned_data)
            messages.success(request, _("已发布第%(n)s次更正。") % {"n": revision.number})
        except services.AssessmentError as exc:
            _errors(request, exc)
    else:
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}:{error}")
    return redirect(f"{url}#ind-{indicator.key}")


# ------------------------------------------------------------------------------- ratings


@require_http_methods(["GET", "POST"])
def rating(request, pk):
    """分管领导评分 on a phone: one box per unit, saved at once."""
    period = get_for_user(request.user, Period, pk=pk)
    require(can_rate(request.user), _("只有区领导可以评分。"))
    units = _units(period)
    mine = {
        r.unit_id: (r.score, r.comment)
        for r in LeaderRating.objects.filter(period=period, rater=person_of(request.user))
    }
    form = RatingForm(request.POST or None, units=units, initial_scores=mine)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.rate_units(request.user, period.pk, form.ratings())
                messages.success(request, _("已保存评分(%(n)s项变更)。") % {"n": changed})
                return redirect("assessment:rating", period.pk)
            except services.AssessmentError as exc:
                show_service_errors(form, exc)
        status = 400
    return render(
        request, "assessment/rating.html", {"period": period, "form": form}, status=status
    )


# ------------------------------------------------------------------------------- schemes


@require_GET
def scheme_list(request):
    schemes = (
        Scheme.objects.visible_to(request.user)
        .prefetch_related("excluded_units")
        .order_by("unit_class", "-version")
    )
    by_class = {
        label: [s for s in schemes if s.unit_class == key] for key, label in UnitClass.choices
    }
    return render(
        request,
        "assessment/schemes.html",
        {
            "by_class": by_class,
            "manage": can_manage_assessment(request.user),
            "defaults": services.default_values(),
        },
    )


@require_http_methods(["GET", "POST"])
def scheme_edit(request):
    require(can_manage_assessment(request.user), MANAGE_ONLY)
    zone = services.zone_for(request.user)
    unit_class = SchemeClassQuery(request.GET).value()
    from tuijin.org.models import Unit

    units = Unit.objects.filter(
        path__startswith=zone.path, depth=zone.depth + 1, kind__in=UnitClass.values
    ).order_by("path")
    current = services.scheme_in_force(zone, unit_class, timezone.localdate().replace(day=1))
    if request.method == "POST":
        form = SchemeForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                scheme = services.save_scheme(
                    request.user,
                    data["unit_class"],
                    data,
                    effective_from=data["effective_from"],
                    excluded_units=data["excluded_units"],
                    note=data["note"],
                )
                messages.success(
                    request,
                    _("已保存%(s)s,自%(m)s起用。")
                    % {"s": scheme, "m": formats.month(scheme.effective_from)},
                )
                return redirect("assessment:scheme_list")
            except services.AssessmentError as exc:
                show_service_errors(form, exc)
        status = 400
    else:
        form = SchemeForm(instance=current, units=units, initial={"unit_class": unit_class})
        status = 200
    return render(
        request, "assessment/scheme_form.html", {"form": form, "current": current}, status=status
    )


# ------------------------------------------------------------------------ instructions


@require_GET
def instruction_list(request):
    user = request.user
    instructions = (
        Instruction.objects.visible_to(user)
        .select_related("unit", "leader", "item")
        .order_by("-day", "-pk")[:200]
    )
    form = None
    if can_record_instruction(user):
        zone = services.zone_for(user)
        form = InstructionForm(user=user, units=_zone_units(zone), zone=zone)
    return render(
        request, "assessment/instructions.html", {"instructions": instructions, "form": form}
    )


def _zone_units(zone):
    from tuijin.org.models import Unit

    return Unit.objects.filter(
        path__startswith=zone.path, depth=zone.depth + 1, kind__in=UnitClass.values
    ).order_by("path")


@require_POST
def instruction_add(request):
    user = request.user
    require(can_record_instruction(user), _("只有督查室或区领导可以录入领导批示。"))
    zone = services.zone_for(user)
    form = InstructionForm(request.POST, user=user, units=_zone_units(zone), zone=zone)
    if form.is_valid():
        try:
            services.record_instruction(user, **form.cleaned_data)
            messages.success(request, _("已录入领导批示。"))
            return redirect("assessment:instruction_list")
        except services.AssessmentError as exc:
            show_service_errors(form, exc)
    instructions = Instruction.objects.visible_to(user).select_related("unit", "leader", "item")[
        :200
    ]
    return render(
        request,
        "assessment/instructions.html",
        {"instructions": instructions, "form": form},
        status=400,
    )


# ------------------------------------------------------------------------------ documents


def _document_period(request, pk) -> Period:
    """A bulletin names every unit: before publishing it is for leaders and the 督查室 only."""
    period = get_for_user(request.user, Period, pk=pk)
    if not period.is_published and not sees_all_scores(request.user):
        raise Http404
    if period.computed_at is None:
        raise Http404
    return period


@require_GET
def bulletin_docx(request, pk):
    period = _document_period(request, pk)
    buffer = io.BytesIO()
    documents.bulletin_docx(period, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{period.month.year}年{period.month.month}月考核通报.docx",
        content_type=DOCX_CONTENT_TYPE,
    )


@require_GET
def scores_xlsx(request, pk):
    period = _document_period(request, pk)
    buffer = io.BytesIO()
    exports.scores_xlsx(period, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{period.month.year}年{period.month.month}月考核得分.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
