"""Every write of the factors app, one function per business verb: the rule first
(``PermissionDenied`` in Chinese, nothing written), then the write inside
``transaction.atomic`` and ``audit_context``."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation

from tuijin.core.audit import audit_context
from tuijin.core.versions import check_version, locked, unique_write
from tuijin.factors.models import (
    ACTIVE_STATES,
    PROBLEM_CATEGORY,
    SHORTAGE,
    SOURCE_FACTOR,
    UNIT,
    ZERO,
    Allocation,
    AllocationState,
    EnterpriseResult,
    Evaluation,
    Exemption,
    Factor,
    FactorNeed,
    FactorRules,
    LandFlag,
    LandFlagState,
    MuKlass,
    Source,
    SupplyEntry,
)
from tuijin.factors.permissions import can_escalate, can_manage_park, can_manage_zone
from tuijin.org.models import Unit, UnitKind, person_of

CENT = Decimal("0.01")


def _q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _refuse_negative(**values) -> None:
    """Bad input names the field in Chinese."""
    for label, value in values.items():
        if value is not None and Decimal(value) < 0:
            raise ValidationError(f"“{label}”不能为负数。")


# --- rules ------------------------------------------------------------------------------------


def rules_for(zone: Unit) -> FactorRules:
    """The zone's rules as stored, or the defaults (unsaved) when none were set."""
    return FactorRules.objects.filter(zone=zone).first() or FactorRules(zone=zone)


def save_rules(user, zone: Unit, version: int | None, **values) -> FactorRules:
    if not can_manage_zone(user):
        raise PermissionDenied("只有区领导和招商、发改、自然资源部门可以修改要素保障规则。")
    weights = [values.get(k, 0) for k in ("weight_tax", "weight_sales", "weight_energy",
                                          "weight_rnd", "weight_labour")]  # fmt: skip
    if sum(weights) != 100:
        raise ValidationError(f"五项权重之和应为100,现为{sum(weights)}。")
    if not values["class_a"] < values["class_b"] < values["class_c"] <= 100:
        raise ValidationError("分类界限应满足:A类 < B类 < C类 ≤ 100%。")
    with transaction.atomic(), audit_context(actor=user, action="save_factor_rules"):
        rules = FactorRules.objects.select_for_update().filter(zone=zone).first()
        if rules is None:
            rules = FactorRules(zone=zone)
        else:
            check_version(rules, version, "要素保障规则")
        for key, value in values.items():
            setattr(rules, key, value)
        with unique_write("要素保障规则刚刚已被他人设置,请刷新后重试。"):
            rules.save()
    return rules


# --- supply -----------------------------------------------------------------------------------


def _park(park) -> Unit:
    if not isinstance(park, Unit) or park.kind != UnitKind.PARK:
        raise ValidationError("请选择园区。")
    return park


def add_supply(
    user,
    *,
    park: Unit,
    year: int,
    source: str,
    quantity,
    document_title: str,
    document_number: str = "",
    note: str = "",
    land_flag: LandFlag | None = None,
) -> SupplyEntry:
    """录入要素供给: one source of a factor, with its document."""
    _park(park)
    if not can_manage_park(user, park.pk):
        raise PermissionDenied("您无权录入该园区的要素供给。")
    _refuse_negative(数量=quantity)
    if not document_title.strip():
        raise ValidationError("请填写“来源文件”。")
    factor = SOURCE_FACTOR[Source(source)]
    with transaction.atomic(), audit_context(actor=user, action="add_supply"):
        return SupplyEntry.objects.create(
            park=park,
            year=year,
            factor=factor,
            source=source,
            quantity=_q(quantity),
            document_title=document_title.strip(),
            document_number=document_number.strip(),
            note=note.strip(),
            land_flag=land_flag,
            entered_by=person_of(user),
        )


def update_supply(user, pk: int, version: int | None, **values) -> SupplyEntry:
    with transaction.atomic():
        entry = locked(SupplyEntry.objects.all(), pk, version, "该供给记录")
        if not can_manage_park(user, entry.park_id):
            raise PermissionDenied("您无权修改该园区的要素供给。")
        _refuse_negative(数量=values.get("quantity"))
        with audit_context(actor=user, action="update_supply"):
            for key, value in values.items():
                setattr(entry, key, value)
            entry.factor = SOURCE_FACTOR[Source(entry.source)]
            entry.quantity = _q(entry.quantity)
            entry.save()
    return entry


# --- movements: reserved → committed → released -----------------------------------------------


def available(park_id: int, year: int, factor: str) -> Decimal:
    """Supply of the park's factor in the year less what is reserved or committed."""
    supply = (
        SupplyEntry.objects.filter(park=park_id, year=year, factor=factor).aggregate(
            s=Sum("quantity")
        )["s"]
        or ZERO
    )
    taken = (
        Allocation.objects.filter(
            park=park_id, year=year, factor=factor, state__in=ACTIVE_STATES
        ).aggregate(s=Sum("quantity"))["s"]
        or ZERO
    )
    return supply - taken


def reserve(
    user,
    *,
    park: Unit,
    year: int,
    factor: str,
    quantity,
    project=None,
    lead=None,
    note: str = "",
) -> Allocation:
    """预留: part of the park's supply set aside for a project or lead; never beyond what
    is available (the refusal says how much is)."""
    _park(park)
    if not can_manage_park(user, park.pk):
        raise PermissionDenied("您无权调配该园区的要素指标。")
    if project is None and lead is None:
        raise ValidationError("请选择项目或招商线索。")
    _refuse_negative(数量=quantity)
    quantity = _q(quantity)
    if quantity <= 0:
        raise ValidationError("“数量”应大于0。")
    factor = Factor(factor)
    with transaction.atomic(), audit_context(actor=user, action="reserve_factor"):
        # The park's rows locked: two reservations at once cannot both take the last quota.
        list(SupplyEntry.objects.select_for_update().filter(park=park, year=year, factor=factor))
        left = available(park.pk, year, factor)
        if quantity > left:
            with translation.override("zh-hans"):
                unit, label = str(UNIT[factor]), str(factor.label)
            raise ValidationError(
                f"“数量”超过可用指标:{park.name}{year}年{label}可用 {left:,.2f}{unit},"
                f"申请 {quantity:,.2f}{unit}。"
            )
        allocation = Allocation(
            park=park,
            year=year,
            factor=factor,
            quantity=quantity,
            project=project or getattr(lead, "project", None),
            lead=lead,
            subject_name=str(lead or project),
            note=note.strip(),
            created_by=person_of(user),
            created_at=timezone.now(),
        )
        allocation.save()
    return allocation


def commit(user, pk: int, version: int | None, document: str) -> Allocation:
    """占用: a reservation granted, with the document that grants it."""
    if not document.strip():
        raise ValidationError("请填写“批准文件”。")
    return _move(user, pk, version, AllocationState.RESERVED, AllocationState.COMMITTED, document)


def release(user, pk: int, version: int | None, note: str = "") -> Allocation:
    """释放: a reservation or a commitment given back to the pool (a lead that ended, land
    not used)."""
    return _move(user, pk, version, None, AllocationState.RELEASED, note)


def _move(user, pk, version, from_state, to_state, text) -> Allocation:
    with transaction.atomic():
        allocation = Allocation.objects.select_for_update().get(pk=pk)
        if not can_manage_park(user, allocation.park_id):
            raise PermissionDenied("您无权调配该园区的要素指标。")
        check_version(allocation, version, "该要素占用")
        if allocation.state == AllocationState.RELEASED:
            raise ValidationError("该指标已释放,不能再变更。")
        if from_state and allocation.state != from_state:
            raise ValidationError("只有预留的指标可以占用。")
        with audit_context(actor=user, action=f"{to_state}_factor"):
            allocation.state = to_state
            if to_state == AllocationState.COMMITTED:
                allocation.committed_at = timezone.now()
                allocation.document = text.strip()
            else:
                allocation.released_at = timezone.now()
                if text.strip():
                    allocation.note = text.strip()
            allocation.version += 1
            allocation.save()
    return allocation


# --- a project's needs ------------------------------------------------------------------------


def set_need(user, project, version: int | None, **values) -> FactorNeed:
    """A project under way (not a lead): its land, energy and power needs."""
    if not can_manage_park(user, project.park_id):
        raise PermissionDenied("您无权填报该项目的要素需求。")
    _refuse_negative(
        用地=values.get("land_mu"),
        年综合能耗=values.get("energy_tce"),
        年用电量=values.get("electricity_10k_kwh"),
        绿电占比=values.get("green_share"),
    )
    if Decimal(values.get("green_share") or 0) > 100:
        raise ValidationError("“绿电占比”应在0到100之间(单位%)。")
    with transaction.atomic(), audit_context(actor=user, action="set_factor_need"):
        need = FactorNeed.objects.select_for_update().filter(project=project).first()
        if need is None:
            need = FactorNeed(project=project)
        else:
            check_version(need, version, "该项目的要素需求")
        for key, value in values.items():
            setattr(need, key, value)
        with unique_write("该项目的要素需求刚刚已被他人填报,请刷新后重试。"):
            need.save()
    return need


# --- escalation: a gap becomes a problem for the meeting --------------------------------------


def escalate_gap(user, *, park: Unit, factor: str, year: int, demand) -> object:
    """A gap that stalls a project becomes a problem (土地指标短缺 …) raised at meeting level on
    that project, so it lands on the next on-site meeting's agenda at the park
    (``meetings.services.propose_agenda``). ``demand`` is the sheet's ``queries.Demand``."""
    from tuijin.supervision import services as supervision
    from tuijin.supervision.models import Problem, ProblemCategory

    if not can_escalate(user, park.pk):
        raise PermissionDenied("您无权将该园区的要素缺口提交会议研究。")
    factor = Factor(factor)
    block = demand.blocks.get(factor)
    category, _ = ProblemCategory.objects.get_or_create(name=PROBLEM_CATEGORY[factor])
    with translation.override("zh-hans"):  # stored: Chinese whatever the reader's language
        unit, label = str(UNIT[factor]), str(factor.label)
        text = (
            f"{SHORTAGE[factor]}:{park.name}{year}年{label}缺口"
            f"{block.shortfall:,.2f}{unit},{demand.name}需{block.need:,.2f}{unit},"
            f"至计划开工({demand.start_label})可用{block.available:,.2f}{unit},"
            "预计无法按期开工。"
            if block
            else f"{SHORTAGE[factor]}:{park.name}{year}年{label}不足,影响{demand.name}。"
        )
    with transaction.atomic():
        project = demand.project
        if project is not None:
            existing = Problem.objects.filter(
                project=project,
                category=category,
                status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING],
            ).first()
            if existing is not None:
                raise ValidationError(f"该缺口已提交研究(问题:{existing.description[:30]}…)。")
        else:
            project = _enter_in_ledger(user, demand.lead)
        return supervision.raise_problem(
            user,
            category=category,
            description=text,
            project=project,
            level=Problem.Level.MEETING,
        )


def _enter_in_ledger(user, lead):
    """A signed lead not yet in the ledger enters it at 签约 (the meeting's agenda and its 督办
    items hang on ledger projects), linked back through the pipeline's own service."""
    from tuijin.investment import services as investment
    from tuijin.projects.models import Stage
    from tuijin.projects.services import create_project

    if lead is None or lead.park_id is None:
        raise ValidationError("该项目未确定落地园区,不能提交会议研究。")
    project = create_project(
        user,
        code=f"ZS-{lead.pk}",
        name=lead.name,
        park=lead.park,
        unit=lead.unit,
        stage=Stage.SIGNED,
        total_investment=lead.total_investment,
        planned_start=lead.expected_start,
        content=lead.content,
        enterprises=[lead.investor] if lead.investor_id else None,
        leaders=[lead.leader] if lead.leader_id else None,
        action="create_project_from_lead",
    )
    investment.update_lead(user, lead.pk, None, project=project)
    return project


# --- low-efficiency land ----------------------------------------------------------------------


def flag_land(
    user, *, park, year: int, kind: str, area_mu, enterprise=None, location="", note=""
) -> LandFlag:
    _park(park)
    if not can_manage_park(user, park.pk):
        raise PermissionDenied("您无权认定该园区的低效用地。")
    _refuse_negative(面积=area_mu)
    with transaction.atomic(), audit_context(actor=user, action="flag_land"):
        return LandFlag.objects.create(
            park=park,
            year=year,
            kind=kind,
            area_mu=_q(area_mu),
            enterprise=enterprise,
            location=location.strip(),
            note=note.strip(),
            flagged_by=person_of(user),
        )


def free_land(
    user, pk: int, version: int | None, *, year: int, document_title: str, document_number=""
) -> SupplyEntry:
    """盘活: a flagged plot is freed; its area becomes land supply (盘活存量土地) of its park."""
    with transaction.atomic():
        flag = locked(LandFlag.objects.all(), pk, version, "该低效用地")
        if not can_manage_park(user, flag.park_id):
            raise PermissionDenied("您无权盘活该园区的低效用地。")
        if flag.state == LandFlagState.FREED:
            raise ValidationError("该地块已盘活。")
        with audit_context(actor=user, action="free_land"):
            flag.state = LandFlagState.FREED
            flag.save()
        return add_supply(
            user,
            park=flag.park,
            year=year,
            source=Source.STOCK_LAND,
            quantity=flag.area_mu,
            document_title=document_title,
            document_number=document_number,
            note=f"{flag.get_kind_display()}:{flag.enterprise or flag.location}",
            land_flag=flag,
        )


# --- 亩均 evaluation --------------------------------------------------------------------------


def open_evaluation(user, zone: Unit, year: int) -> Evaluation:
    """A 亩均 year, with the zone's weights and cut-offs as they are now."""
    if not can_manage_zone(user):
        raise PermissionDenied("只有区领导和招商、发改、自然资源部门可以组织亩均评价。")
    rules = rules_for(zone)
    with (
        transaction.atomic(),
        audit_context(actor=user, action="open_evaluation"),
        unique_write(f"{year}年度的亩均评价已存在。", "year"),
    ):
        if Evaluation.objects.filter(zone=zone, year=year).exists():
            raise ValidationError({"year": f"{year}年度的亩均评价已存在。"})
        return Evaluation.objects.create(
            zone=zone,
            year=year,
            **{f"weight_{k}": v for k, v in rules.weights.items()},
            class_a=rules.class_a,
            class_b=rules.class_b,
            class_c=rules.class_c,
        )


def set_weights(user, pk: int, version: int | None, **values) -> Evaluation:
    """Edit an evaluation's weights and cut-offs; the results are computed again."""
    if not can_manage_zone(user):
        raise PermissionDenied("只有区领导和招商、发改、自然资源部门可以调整亩均评价权重。")
    weights = [values[f"weight_{k}"] for k in ("tax", "sales", "energy", "rnd", "labour")]
    if sum(weights) != 100:
        raise ValidationError(f"五项权重之和应为100,现为{sum(weights)}。")
    if not values["class_a"] < values["class_b"] < values["class_c"] <= 100:
        raise ValidationError("分类界限应满足:A类 < B类 < C类 ≤ 100%。")
    with transaction.atomic():
        evaluation = locked(Evaluation.objects.all(), pk, version, "该亩均评价")
        with audit_context(actor=user, action="set_mujun_weights"):
            for key, value in values.items():
                setattr(evaluation, key, value)
            evaluation.save()
        compute_evaluation(user, evaluation.pk)
    return Evaluation.objects.get(pk=pk)


INDICATORS = ("tax", "sales", "energy", "rnd", "labour")


def indicators_of(result: EnterpriseResult) -> dict:
    """亩均税收, 亩均销售收入 (万元/亩), 单位能耗增加值 (万元/吨标准煤), 研发经费占比 (%),
    全员劳动生产率 (万元/人); 0 where the divisor is 0."""

    def ratio(a, b, times=1):
        return _q(Decimal(a) * times / Decimal(b)) if b else ZERO

    return {
        "tax": ratio(result.tax, result.land_mu),
        "sales": ratio(result.sales, result.land_mu),
        "energy": ratio(result.added_value, result.energy_tce),
        "rnd": ratio(result.rnd, result.sales, 100),
        "labour": ratio(result.added_value, result.employees),
    }


def classify(scores: list[Decimal], cutoffs: tuple[int, int, int]) -> list[tuple[int, str]]:
    """(rank, class) for each score: ties share the rank (1, 2, 2, 4) and therefore the class;
    the class by rank: rank/n within the top ``a`` % → A, to ``b`` % → B, to ``c`` % → C,
    the rest D."""
    n = len(scores)
    ordered = sorted(scores, reverse=True)
    first_at = {}
    for position, score in enumerate(ordered, start=1):
        first_at.setdefault(score, position)
    a, b, c = cutoffs
    out = []
    for score in scores:
        rank = first_at[score]
        share = Decimal(rank * 100) / n
        klass = (
            MuKlass.A
            if share <= a
            else MuKlass.B
            if share <= b
            else MuKlass.C
            if share <= c
            else MuKlass.D
        )
        out.append((rank, klass))
    return out


def compute_evaluation(user, pk: int) -> Evaluation:
    """The indicators of each enterprise, each one scored against the best of the classed
    enterprises (best = the full weight), summed; ranks and classes among the classed; the
    exempt (start-ups, still being built) get their indicators and score but no rank or class."""
    evaluation = Evaluation.objects.get(pk=pk)
    if not can_manage_zone(user):
        raise PermissionDenied("只有区领导和招商、发改、自然资源部门可以计算亩均评价。")
    results = list(evaluation.results.all())
    values = {r.pk: indicators_of(r) for r in results}
    classed = [r for r in results if not r.exemption]
    best = {key: max((values[r.pk][key] for r in classed), default=ZERO) for key in INDICATORS}
    weights = evaluation.weights
    with transaction.atomic(), audit_context(actor=user, action="compute_evaluation"):
        for r in results:
            v = values[r.pk]
            r.tax_per_mu, r.sales_per_mu = v["tax"], v["sales"]
            r.value_per_energy, r.rnd_share, r.productivity = v["energy"], v["rnd"], v["labour"]
            r.score = _q(
                sum(
                    (min(v[k] / best[k], Decimal(1)) * weights[k] if best[k] else ZERO)
                    for k in INDICATORS
                )
            )
            r.rank, r.klass = None, ""
        ranked = classify(
            [r.score for r in classed], (evaluation.class_a, evaluation.class_b, evaluation.class_c)
        )
        for r, (rank, klass) in zip(classed, ranked, strict=True):
            r.rank, r.klass = rank, klass
        for r in results:
            r.save()
        evaluation.computed_at = timezone.now()
        evaluation.save(update_fields=["computed_at"])
    return evaluation


def import_results(user, evaluation: Evaluation, rows) -> int:
    """The statistics/tax office's figures (a clean parse, ``imports.parse_results``): all
    rows or none; an enterprise already in the year is updated. Computed at the end."""
    if not can_manage_zone(user):
        raise PermissionDenied("只有区领导和招商、发改、自然资源部门可以导入亩均数据。")
    with transaction.atomic(), audit_context(actor=user, action="import_mujun"):
        existing = {r.enterprise_id: r for r in evaluation.results.all()}
        for row in rows:
            result = existing.get(row.enterprise.pk) or EnterpriseResult(
                evaluation=evaluation, enterprise=row.enterprise
            )
            result.park = row.park
            for key, value in row.values.items():
                setattr(result, key, value)
            result.save()
        compute_evaluation(user, evaluation.pk)
    return len(rows)


def record_result(user, evaluation: Evaluation, enterprise, **values) -> EnterpriseResult:
    """One enterprise's figures entered by hand (also the demo's way)."""
    if not can_manage_zone(user):
        raise PermissionDenied("只有区领导和招商、发改、自然资源部门可以录入亩均数据。")
    if enterprise.park_id is None:
        raise ValidationError(f"{enterprise.name}未登记所在园区,不能参加亩均评价。")
    _refuse_negative(**{k: v for k, v in values.items() if k != "exemption"})
    with transaction.atomic(), audit_context(actor=user, action="record_mujun"):
        result = EnterpriseResult.objects.filter(
            evaluation=evaluation, enterprise=enterprise
        ).first() or EnterpriseResult(evaluation=evaluation, enterprise=enterprise)
        result.park_id = enterprise.park_id
        for key, value in values.items():
            setattr(result, key, value)
        result.exemption = values.get("exemption", result.exemption) or Exemption.NONE
        result.save()
    return result


def today() -> dt.date:
    return timezone.localdate()
