"""Every write of the investment pipeline and the planning pool, one function per verb: the
rule checked (``permissions.py``, ``PermissionDenied`` with a Chinese message), one
transaction, the verb named for the audit trail, messages through ``notify`` on commit.

Bad input is a ``ValidationError`` on the field it names (the form shows it there): negative
amounts, a green share over 100%, a date in the future, a start before the signing.
"""

import datetime as dt
import difflib
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.access import require
from tuijin.core.audit import audit_context
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.core.versions import locked, unique_write
from tuijin.investment import clocks as clock_rules
from tuijin.investment import permissions
from tuijin.investment.models import (
    STAGE_RANK,
    ClockAlert,
    ClockRules,
    CycleState,
    FollowUp,
    FollowUpKind,
    Lead,
    LeadStage,
    PlannedProject,
    PlannedUpdate,
    PlanningCycle,
    SigningKind,
    StageChange,
)
from tuijin.org.models import Person, Role, person_of

ZERO = Decimal(0)

# Lead fields a form edits (the stage and its dates move only through ``move_stage``).
LEAD_FIELDS = [
    "name",
    "investor",
    "investor_name",
    "credit_code",
    "contact_name",
    "contact_phone",
    "source",
    "industry_chain",
    "content",
    "park",
    "unit",
    "leader",
    "expected_start",
    "total_investment",
    "fixed_investment",
    "contracted_funds",
    "land_mu",
    "energy_tce",
    "electricity_10k_kwh",
    "green_share",
    "water_tons",
    "output_value",
    "tax",
    "jobs",
]
QUANTITIES = {
    "total_investment": "总投资(万元)",
    "fixed_investment": "固定资产投资(万元)",
    "contracted_funds": "合同约定到位资金(万元)",
    "funds_arrived": "已到位资金(万元)",
    "land_mu": "计划用地(亩)",
    "energy_tce": "综合能耗(吨标准煤/年)",
    "electricity_10k_kwh": "用电量(万千瓦时/年)",
    "green_share": "绿电占比(%)",
    "water_tons": "用水量(吨/年)",
    "output_value": "预计年产值(万元)",
    "tax": "预计年税收(万元)",
}
SIMILAR = 0.8  # names this alike (after dropping the usual words) are likely the same lead
NOISE = re.compile(r"(项目|有限责任公司|股份有限公司|有限公司|集团|年产|\s|[()()·,,、])")
CLOCK_EVENT = "lead_clock_overdue"  # notify rule made by migration 0002


class DuplicateLead(ValidationError):
    """Leads that look like the one being entered; ``matches`` lists them."""

    def __init__(self, matches):
        self.matches = matches
        names = "、".join(f"“{m.name}”" for m in matches[:5])
        super().__init__(
            _("疑似重复线索:%(names)s。请核对;确属不同项目请勾选“仍然登记”。") % {"names": names}
        )


def _today():
    return timezone.localdate()


def check_values(values: dict) -> None:
    """The quantities and dates of a lead or planned project, each refusal naming its field."""
    errors = {}
    for field, label in QUANTITIES.items():
        value = values.get(field)
        if value is not None and value < 0:
            errors[field] = _("%(field)s不能为负数。") % {"field": _(label)}
    share = values.get("green_share")
    if share is not None and share > 100 and "green_share" not in errors:
        errors["green_share"] = _("绿电占比(%)应在0到100之间(单位为百分比)。")
    fixed, total = values.get("fixed_investment"), values.get("total_investment")
    if fixed and total is not None and fixed > total and "fixed_investment" not in errors:
        errors["fixed_investment"] = _("固定资产投资(万元)不能大于总投资(万元)。")
    if errors:
        raise ValidationError(errors)


# --- duplicates ------------------------------------------------------------------------------


def name_key(name: str) -> str:
    return NOISE.sub("", name or "")


def find_duplicates(user, *, name: str, credit_code: str = "", investor=None, exclude=None):
    """Leads of the zone with the same investor credit code or enterprise, or a name this
    similar (``SIMILAR``); compared across the whole zone's pipeline, shown by name only."""
    zone = permissions.pipeline_zone(user)
    leads = (
        Lead.objects.all()
        if zone is None
        else Lead.objects.filter(unit__path__startswith=zone.path)
    )
    if exclude is not None:
        leads = leads.exclude(pk=exclude)
    matches = {}
    code = (credit_code or "").strip().upper()
    if code or investor is not None:
        from django.db.models import Q

        rule = Q(pk__in=[])
        if code:
            rule |= Q(credit_code=code) | Q(investor__credit_code=code)
        if investor is not None:
            rule |= Q(investor=investor)
        for lead in leads.filter(rule):
            matches[lead.pk] = lead
    key = name_key(name)
    if key:
        for pk, other in leads.values_list("pk", "name"):
            if pk in matches:
                continue
            other_key = name_key(other)
            if other_key and difflib.SequenceMatcher(None, key, other_key).ratio() >= SIMILAR:
                matches[pk] = None
        missing = [pk for pk, lead in matches.items() if lead is None]
        for lead in leads.filter(pk__in=missing):
            matches[lead.pk] = lead
    return sorted(matches.values(), key=lambda lead: lead.pk)


# --- leads -----------------------------------------------------------------------------------


def _check_lead_refs(user, values):
    errors = {}
    from tuijin.org.access import zone_units

    units = zone_units(user)
    for field in ("unit", "park"):
        unit = values.get(field)
        if unit is not None and not units.filter(pk=unit.pk).exists():
            errors[field] = _("所选单位不在本开发区。")
    leader = values.get("leader")
    if leader is not None and not units.filter(pk=leader.unit_id).exists():
        errors["leader"] = _("所选包保领导不在本开发区。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_lead(user, *, force: bool = False, received_on: dt.date | None = None, **values):
    """登记线索. Refuses a likely duplicate unless ``force`` (the user checked it)."""
    require(permissions.can_work_pipeline(user), _("您的角色不能登记招商线索。"))
    values["credit_code"] = (values.get("credit_code") or "").strip().upper()
    check_values(values)
    _check_lead_refs(user, values)
    received_on = received_on or _today()
    if received_on > _today():
        raise ValidationError({"received_on": _("线索登记日期不能晚于今天。")})
    if not force:
        matches = find_duplicates(
            user,
            name=values.get("name", ""),
            credit_code=values["credit_code"],
            investor=values.get("investor"),
        )
        if matches:
            raise DuplicateLead(matches)
    with audit_context(actor=user, action="create_lead"):
        lead = Lead(received_on=received_on, **values)
        lead.full_clean(exclude=["unit", "park", "leader", "investor", "project"])
        lead.save()
    return lead


@transaction.atomic
def update_lead(user, pk: int, version: int | None, **values) -> Lead:
    lead = locked(Lead.objects.editable_by(user), pk, version, _("该招商项目"))
    if "credit_code" in values:
        values["credit_code"] = (values.get("credit_code") or "").strip().upper()
    check_values(values)
    _check_lead_refs(user, values)
    if (
        values.get("expected_start")
        and lead.signed_on
        and values["expected_start"] < lead.signed_on
    ):
        raise ValidationError({"expected_start": _("预计开工日期不能早于签约日期。")})
    with audit_context(actor=user, action="update_lead"):
        for field, value in values.items():
            setattr(lead, field, value)
        lead.full_clean(exclude=["unit", "park", "leader", "investor", "project"])
        lead.save()
    return lead


def allowed_moves(lead: Lead) -> list[str]:
    """The stages a lead may move to now: any later stage (a signing may not be skipped), a
    second signing (the formal contract after a framework agreement), or 终止."""
    if lead.stage == LeadStage.ENDED:
        return []
    rank = STAGE_RANK[lead.stage]
    later = [s for s, r in STAGE_RANK.items() if r > rank]
    if lead.signed_on is None:
        later = [s for s in later if STAGE_RANK[s] <= STAGE_RANK[LeadStage.SIGNED]]
    elif lead.stage == LeadStage.SIGNED and lead.signing_kind == SigningKind.FRAMEWORK:
        later = [LeadStage.SIGNED, *later]
    return [*later, LeadStage.ENDED]


STAGE_DATE = {
    LeadStage.REGISTERED: "registered_on",
    LeadStage.STARTED: "started_on",
    LeadStage.PRODUCING: "producing_on",
    LeadStage.FULL: "full_on",
    LeadStage.ENDED: "ended_on",
}


@transaction.atomic
def move_stage(
    user,
    pk: int,
    version: int | None,
    *,
    to_stage: str,
    on: dt.date,
    evidence,
    note: str = "",
    signing_kind: str = "",
    project=None,
    new_project_code: str = "",
) -> StageChange:
    """阶段变更 with its evidence. The first 签约 fixes ``signed_on``; 开工 links the ledger
    project (``project``) or creates one (``new_project_code``) through the ledger's service."""
    lead = locked(Lead.objects.editable_by(user), pk, version, _("该招商项目"))
    if to_stage not in allowed_moves(lead):
        raise ValidationError(
            {
                "to_stage": _("“%(stage)s”阶段的项目不能变更为“%(to)s”。")
                % {"stage": lead.get_stage_display(), "to": LeadStage(to_stage).label}
            }
        )
    if not evidence:
        raise ValidationError(
            {"evidence": _("阶段变更须上传佐证材料(如签约合同、营业执照、开工照片)。")}
        )
    if on > _today():
        raise ValidationError({"on": _("变更日期不能晚于今天。")})
    if to_stage == LeadStage.SIGNED and signing_kind not in SigningKind.values:
        raise ValidationError({"signing_kind": _("请选择签约形式(框架协议或正式合同)。")})
    if (
        lead.signed_on
        and STAGE_RANK.get(to_stage, -1) > STAGE_RANK[LeadStage.SIGNED]
        and on < lead.signed_on
    ):
        raise ValidationError(
            {
                "on": _("开工、注册等日期不能早于签约日期(%(date)s)。")
                % {"date": cn_date(lead.signed_on)}
            }
        )
    last = lead.changes.order_by("-on").values_list("on", flat=True).first()
    if last and on < last:
        raise ValidationError(
            {"on": _("变更日期不能早于上一次阶段变更(%(date)s)。") % {"date": cn_date(last)}}
        )
    if on < lead.received_on:
        raise ValidationError({"on": _("变更日期不能早于线索登记日期。")})
    if to_stage == LeadStage.STARTED:
        if project is not None:
            from tuijin.projects.models import Project

            if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
                raise ValidationError({"project": _("所选台账项目不存在或您无权查看。")})
        if project is None and not new_project_code:
            raise ValidationError(
                {"project": _("开工须关联台账项目或新建台账项目(填写项目编号)。")}
            )
        if project is None:
            if lead.park_id is None:
                raise ValidationError({"project": _("新建台账项目须先填写拟落地园区。")})
            from tuijin.projects.services import create_project

            project = create_project(
                user,
                code=new_project_code,
                name=lead.name,
                park=lead.park,
                unit=lead.unit,
                total_investment=lead.total_investment,
                planned_start=lead.expected_start,
                actual_start=on,
                content=lead.content,
                enterprises=[lead.investor] if lead.investor_id else None,
                leaders=[lead.leader] if lead.leader_id else None,
                action="create_project_from_lead",
            )
        lead.project = project
    with audit_context(actor=user, action="move_stage"):
        change = StageChange(
            lead=lead,
            from_stage=lead.stage,
            to_stage=to_stage,
            on=on,
            signing_kind=signing_kind if to_stage == LeadStage.SIGNED else "",
            note=note,
            evidence=evidence,
            original_name=getattr(evidence, "original_name", "") or getattr(evidence, "name", ""),
            by=person_of(user),
        )
        change.save()
        if to_stage == LeadStage.ENDED:
            lead.ended_from = lead.stage
        if to_stage == LeadStage.SIGNED:
            lead.signing_kind = signing_kind
            if lead.signed_on is None:  # counted once, by its first signing
                lead.signed_on = on
        elif to_stage in STAGE_DATE:
            setattr(lead, STAGE_DATE[to_stage], on)
        lead.stage = to_stage
        lead.save()
    return change


@transaction.atomic
def add_follow_up(user, pk: int, *, kind: str, on: dt.date, text: str) -> FollowUp:
    """跟进记录: the first response, the first assessment (which is a response too), progress."""
    lead = locked(Lead.objects.editable_by(user), pk, None, _("该招商项目"))
    if on > _today():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    if on < lead.received_on:
        raise ValidationError({"on": _("日期不能早于线索登记日期。")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写跟进内容。")})
    with audit_context(actor=user, action="follow_up"):
        follow = FollowUp.objects.create(lead=lead, kind=kind, on=on, text=text, by=person_of(user))
        if lead.responded_on is None or on < lead.responded_on:
            lead.responded_on = on
        if kind == FollowUpKind.ASSESSMENT and (lead.assessed_on is None or on < lead.assessed_on):
            lead.assessed_on = on
        if lead.last_progress_on is None or on > lead.last_progress_on:
            lead.last_progress_on = on
        lead.save()
    return follow


@transaction.atomic
def record_funds(user, pk: int, version: int | None, *, arrived: Decimal, on: dt.date) -> Lead:
    """资金到位: the amount arrived so far (万元); the day it first reaches the share is kept."""
    lead = locked(Lead.objects.editable_by(user), pk, version, _("该招商项目"))
    check_values({"funds_arrived": arrived})
    if lead.signed_on is None:
        raise ValidationError({"arrived": _("签约后才能登记资金到位。")})
    if on < lead.signed_on:
        raise ValidationError({"on": _("到位日期不能早于签约日期。")})
    if on > _today():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    rules = clock_rules.rules_for(lead.unit.zone)
    with audit_context(actor=user, action="record_funds"):
        lead.funds_arrived = arrived
        share = lead.contracted_funds * rules.funds_share / 100
        if lead.funds_quarter_on is None and lead.contracted_funds and arrived >= share:
            lead.funds_quarter_on = on
        lead.save()
    return lead


@transaction.atomic
def issue_start_notice(user, pk: int, version: int | None, *, on: dt.date) -> Lead:
    """限期开工通知: the start clock ran out; the notice gives a last term before exit."""
    lead = locked(Lead.objects.editable_by(user), pk, version, _("该招商项目"))
    if lead.signed_on is None or lead.started_on is not None:
        raise ValidationError(_("只有已签约未开工的项目可以下达限期开工通知。"))
    if on < lead.signed_on or on > _today():
        raise ValidationError({"on": _("通知日期应在签约日期与今天之间。")})
    with audit_context(actor=user, action="start_notice"):
        lead.start_notice_on = on
        lead.save()
    return lead


# --- clocks ----------------------------------------------------------------------------------


def _alert_people(lead: Lead) -> list[Person]:
    people = list(Person.objects.filter(unit=lead.unit, role=Role.UNIT_HEAD, is_active=True))
    if lead.leader_id:
        people.append(lead.leader)
    return people


def check_clocks(today: dt.date | None = None) -> list[ClockAlert]:
    """The daily run: every clock fallen overdue is told once (``ClockAlert``) to the lead's
    unit head and its 包保 leader. A fixed number of queries plus one insert per new alert."""
    from tuijin.notify.services import Fanout, Message

    today = today or _today()
    leads = list(
        Lead.objects.exclude(stage=LeadStage.FULL).select_related("unit", "leader").order_by("pk")
    )
    if not leads:
        return []
    calendar = clock_rules.working_calendar(min(lead.received_on for lead in leads), today)
    told = set(ClockAlert.objects.values_list("lead_id", "clock", "due"))
    rules_by_zone = {r.zone_id: r for r in ClockRules.objects.all()}
    zones = {}
    fanout, made = Fanout(), []
    with audit_context(action="check_clocks"):
        for lead in leads:
            zone_id = zones.setdefault(lead.unit_id, lead.unit.zone.pk)
            rules = rules_by_zone.get(zone_id) or ClockRules()
            for clock in clock_rules.lead_clocks(lead, rules, today, calendar):
                if not clock.overdue or (lead.pk, clock.key, clock.due) in told:
                    continue
                alert = ClockAlert.objects.create(
                    lead=lead, clock=clock.key, due=clock.due, told_on=today
                )
                made.append(alert)
                fanout.add(
                    Message(
                        event=CLOCK_EVENT,
                        key=f"lead{lead.pk}:{clock.key}:{clock.due}",
                        title=f"招商项目“{lead.name}”{clock.name}已超时",
                        body=f"应于{clock.due:%Y年%-m月%-d日}前完成。",
                        url=lead.get_absolute_url(),
                    ),
                    unit=lead.unit,
                    people={"person": _alert_people(lead)},
                )
        fanout.send()
    return made


@transaction.atomic
def alert_to_item(user, alert_pk: int, *, deadline_days: int = 5, requirement: str = ""):
    """转督办: an overdue clock becomes a 督办 item for the lead's unit."""
    from tuijin.supervision.models import SupervisionItem
    from tuijin.supervision.services import assign_item

    require(permissions.can_supervise_clock(user), _("只有区领导和督查人员可以交办督办事项。"))
    alert = (
        ClockAlert.objects.visible_to(user).select_related("lead__unit").filter(pk=alert_pk).first()
    )
    if alert is None:
        raise PermissionDenied(_("该超时提醒不存在或您无权查看。"))
    if alert.item_id:
        raise ValidationError(_("该超时提醒已转为督办事项。"))
    lead = alert.lead
    name = clock_rules.NAMES.get(alert.clock, alert.clock)
    item, _warning = assign_item(
        user,
        deadline_mode=SupervisionItem.DeadlineMode.WORKING_DAYS,
        deadline_days=deadline_days,
        title=f"招商项目“{lead.name}”{name}超时"[:200],
        requirement=requirement
        or f"{name}应于{alert.due:%Y年%-m月%-d日}前完成,现已超时,请限期办结。",
        result_standard=f"{name}完成并上传佐证材料",
        source=SupervisionItem.Source.INSTRUCTION,
        lead_unit=lead.unit,
        project=lead.project,
        enterprise=lead.investor,
    )
    with audit_context(actor=user, action="clock_to_item"):
        alert.item = item
        alert.save()
    return item


@transaction.atomic
def save_clock_rules(user, zone, version: int | None, **values) -> ClockRules:
    require(
        permissions.can_manage_planning(user), _("只有招商局、区领导和督查室可以修改招商时限规则。")
    )
    rules = ClockRules.objects.filter(zone=zone).first()
    if rules is not None:
        rules = locked(ClockRules.objects.all(), rules.pk, version, _("招商时限规则"))
    else:
        rules = ClockRules(zone=zone)
    with audit_context(actor=user, action="clock_rules"):
        for field, value in values.items():
            setattr(rules, field, value)
        rules.full_clean()
        with unique_write(_("招商时限规则刚刚已被他人设置,请刷新后重试。")):
            rules.save()
    return rules


# --- planning pool ---------------------------------------------------------------------------

NEXT_STATE = {CycleState.CALLING: CycleState.REVIEWING, CycleState.REVIEWING: CycleState.PUBLISHED}


@transaction.atomic
def create_cycle(
    user, *, year: int, title: str, meeting: str = "", call_deadline=None
) -> PlanningCycle:
    require(
        permissions.can_manage_planning(user), _("只有招商局、区领导和督查室可以发起项目谋划。")
    )
    zone = permissions.pipeline_zone(user)
    if zone is None:
        from tuijin.org.models import Unit, UnitKind

        zone = Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()
    taken = _("%(year)s年度的项目谋划已经发起。") % {"year": year}
    if PlanningCycle.objects.filter(zone=zone, year=year).exists():
        raise ValidationError({"year": taken})
    with audit_context(actor=user, action="create_cycle"), unique_write(taken, "year"):
        return PlanningCycle.objects.create(
            zone=zone, year=year, title=title, meeting=meeting, call_deadline=call_deadline
        )


@transaction.atomic
def advance_cycle(user, pk: int, version: int | None, on: dt.date | None = None) -> PlanningCycle:
    """征集 → 审核 → 发布 (the next year's lists)."""
    cycle = locked(PlanningCycle.objects.editable_by(user), pk, version, _("该谋划年度"))
    if cycle.state not in NEXT_STATE:
        raise ValidationError(_("该谋划年度已发布。"))
    with audit_context(actor=user, action="advance_cycle"):
        cycle.state = NEXT_STATE[cycle.state]
        if cycle.state == CycleState.PUBLISHED:
            cycle.published_on = on or _today()
        cycle.save()
    return cycle


PLANNED_FIELDS = [
    "name",
    "plan_list",
    "content",
    "industry_chain",
    "park",
    "unit",
    "contact_leader",
    "total_investment",
    "land_mu",
    "energy_tce",
    "electricity_10k_kwh",
    "green_share",
    "expected_start",
    "schedule",
]


@transaction.atomic
def add_planned(user, cycle_pk: int, **values) -> PlannedProject:
    """A unit puts a project forward (while the call is open; the 招商局 at any time)."""
    cycle = PlanningCycle.objects.visible_to(user).filter(pk=cycle_pk).first()
    if cycle is None or not permissions.can_work_pipeline(user):
        raise PermissionDenied(_("您不能向该谋划年度申报项目。"))
    if cycle.state != CycleState.CALLING and not permissions.can_manage_planning(user):
        raise PermissionDenied(_("项目征集已截止。"))
    check_values(values)
    unit = values.get("unit")
    if not permissions.can_manage_planning(user) and not (
        unit and permissions.person_of(user) and unit.is_within(person_of(user).unit)
    ):
        raise ValidationError({"unit": _("只能以本单位名义申报谋划项目。")})
    with audit_context(actor=user, action="add_planned"):
        planned = PlannedProject(cycle=cycle, **values)
        planned.full_clean(exclude=["unit", "park", "contact_leader", "lead", "cycle"])
        planned.save()
    return planned


@transaction.atomic
def update_planned(user, pk: int, version: int | None, **values) -> PlannedProject:
    planned = locked(PlannedProject.objects.editable_by(user), pk, version, _("该谋划项目"))
    check_values(values)
    if "approved" in values:
        require(
            permissions.can_manage_planning(user), _("只有招商局、区领导和督查室可以审核谋划项目。")
        )
    with audit_context(actor=user, action="update_planned"):
        for field, value in values.items():
            setattr(planned, field, value)
        planned.full_clean(exclude=["unit", "park", "contact_leader", "lead", "cycle"])
        planned.save()
    return planned


QUARTER = re.compile(r"^(20\d\d)Q([1-4])$")


@transaction.atomic
def add_planned_update(user, pk: int, *, quarter: str, text: str) -> PlannedUpdate:
    planned = locked(PlannedProject.objects.editable_by(user), pk, None, _("该谋划项目"))
    if not QUARTER.match(quarter or ""):
        raise ValidationError({"quarter": _("季度的格式为“2023Q1”。")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写进展情况。")})
    with audit_context(actor=user, action="planned_update"):
        return PlannedUpdate.objects.create(
            planned=planned, quarter=quarter, text=text, by=person_of(user)
        )
