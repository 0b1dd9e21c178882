"""The investment pipeline (招商项目库) and the planning pool (谋划项目库), E14 items 1–4.

- ``Lead``: a project being attracted, from 线索 through 洽谈, 签约, 注册, 开工 (which creates
  or links the ledger ``Project``), 投产 and 达产, or 终止/退出 at any stage. It carries the
  investor, the money (万元) and the factor needs (亩, 吨标准煤/年, 万千瓦时/年, green share):
  the factor balance sheet (``tuijin.factors``) reads them.
- ``StageChange``: every move of a lead, with its evidence file (the signed contract for
  签约 …); the first 签约 fixes ``Lead.signed_on`` for good (the funnel counts a project once,
  by its first signing).
- ``FollowUp``: 跟进记录 (the response, the first assessment, the fortnightly progress).
- ``ClockRules``: the zone's editable clock defaults; ``ClockAlert``: an overdue clock told
  once, possibly turned into a 督办 item.
- ``PlanningCycle`` / ``PlannedProject`` / ``PlannedUpdate``: the yearly 谋划 cycle (called
  for in November, reviewed in December, published as next year's four lists, updated each
  quarter) and its projects with their factor needs.

Scoping: ``permissions.py``.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.core.versions import VersionedModel
from tuijin.investment import permissions
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.projects.models import Enterprise, Project

ZERO = Decimal(0)


def _amount(label, default=ZERO, **kwargs):
    return models.DecimalField(
        label,
        max_digits=14,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(0)],
        **kwargs,
    )


class LeadStage(models.TextChoices):
    LEAD = "lead", _("线索")
    TALKS = "talks", _("洽谈")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    FULL = "full", _("达产")
    ENDED = "ended", _("终止/退出")


# The stages in order (终止 outside it); a lead moves forward one or more steps, or ends.
STAGE_ORDER = [
    LeadStage.LEAD,
    LeadStage.TALKS,
    LeadStage.SIGNED,
    LeadStage.REGISTERED,
    LeadStage.STARTED,
    LeadStage.PRODUCING,
    LeadStage.FULL,
]
STAGE_RANK = {stage: n for n, stage in enumerate(STAGE_ORDER)}
SIGNED_ON_OR_AFTER = STAGE_ORDER[2:]


class SigningKind(models.TextChoices):
    FRAMEWORK = "framework", _("框架协议")
    CONTRACT = "contract", _("正式合同")


class LeadQuerySet(models.QuerySet):
    def visible_to(self, user):
        rule = permissions.lead_scope(user)
        return self.all() if rule is None else self.filter(rule)

    def editable_by(self, user):
        rule = permissions.edit_scope(user)
        return self.visible_to(user) if rule is None else self.visible_to(user).filter(rule)


class Lead(VersionedModel, AuditedModel):
    """招商项目 (线索): one project being attracted, with its investor, stage, money and factor
    needs. The amounts are in 万元, land in 亩, energy in 吨标准煤/年, electricity in
    万千瓦时/年."""

    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="investment_leads",
        verbose_name=_("投资方企业"),
    )
    investor_name = models.CharField(_("投资方"), max_length=200, blank=True)
    credit_code = models.CharField(_("投资方统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(_("投资方联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    source = models.CharField(_("信息来源/引荐人"), max_length=200, blank=True)
    industry_chain = models.CharField(_("产业链"), max_length=100, blank=True)
    content = models.TextField(_("项目内容"), blank=True)
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="park_leads",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("拟落地园区"),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="investment_leads", verbose_name=_("招商单位")
    )
    leader = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="investment_leads",
        verbose_name=_("包保领导"),
    )
    stage = models.CharField(
        _("阶段"), max_length=12, choices=LeadStage.choices, default=LeadStage.LEAD
    )
    received_on = models.DateField(_("线索登记日期"))
    responded_on = models.DateField(_("首次响应日期"), null=True, blank=True)
    assessed_on = models.DateField(_("初步研判日期"), null=True, blank=True)
    last_progress_on = models.DateField(_("最近进展日期"), null=True, blank=True)
    signed_on = models.DateField(_("首次签约日期"), null=True, blank=True)
    signing_kind = models.CharField(
        _("签约形式"), max_length=12, choices=SigningKind.choices, blank=True
    )
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    expected_start = models.DateField(_("预计开工日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    full_on = models.DateField(_("达产日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    ended_from = models.CharField(
        _("终止时阶段"), max_length=12, choices=LeadStage.choices, blank=True
    )
    start_notice_on = models.DateField(_("限期开工通知日期"), null=True, blank=True)
    total_investment = _amount(_("总投资(万元)"))
    fixed_investment = _amount(_("固定资产投资(万元)"))
    contracted_funds = _amount(_("合同约定到位资金(万元)"))
    funds_arrived = _amount(_("已到位资金(万元)"))
    funds_quarter_on = models.DateField(_("到位资金达25%日期"), null=True, blank=True)
    land_mu = _amount(_("计划用地(亩)"))
    energy_tce = _amount(_("综合能耗(吨标准煤/年)"))
    electricity_10k_kwh = _amount(_("用电量(万千瓦时/年)"))
    green_share = models.DecimalField(
        _("绿电占比(%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    water_tons = _amount(_("用水量(吨/年)"))
    output_value = _amount(_("预计年产值(万元)"))
    tax = _amount(_("预计年税收(万元)"))
    jobs = models.PositiveIntegerField(_("预计就业(人)"), default=0)
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="investment_leads",
        verbose_name=_("台账项目"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = LeadQuerySet.as_manager()
    # The investor's contact data is for the lead's handlers only (permissions.sees_contacts):
    # kept out of the history tab every reader of the lead sees.
    audit_ignore = ("version", "contact_name", "contact_phone")

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["stage"], name="lead_stage_idx"),
            models.Index(fields=["signed_on"], name="lead_signed_idx"),
            models.Index(fields=["credit_code"], name="lead_credit_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(started_on__gte=models.F("signed_on")),
                name="lead_start_not_before_signing",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:lead_detail", args=[self.pk])

    @property
    def investor_label(self) -> str:
        return self.investor.name if self.investor_id else self.investor_name

    @property
    def is_open(self) -> bool:
        return self.stage not in (LeadStage.ENDED, LeadStage.FULL)

    @property
    def funds_share(self) -> Decimal | None:
        """资金到位率 (%): arrived / contracted."""
        if not self.contracted_funds:
            return None
        return (self.funds_arrived * 100 / self.contracted_funds).quantize(Decimal("0.1"))


def evidence_path(instance, filename: str) -> str:
    return random_name("investment", filename)


class StageChangeQuerySet(ScopedThroughParent):
    parent = "lead"


class StageChange(AuditedModel):
    """One move of a lead (阶段变更) with its evidence (the signed contract for 签约, the
    business licence for 注册, the start photo or permit for 开工 …)."""

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="changes")
    from_stage = models.CharField(_("原阶段"), max_length=12, choices=LeadStage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=12, choices=LeadStage.choices)
    on = models.DateField(_("日期"))
    signing_kind = models.CharField(
        _("签约形式"), max_length=12, choices=SigningKind.choices, blank=True
    )
    note = models.TextField(_("说明"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["lead", "on", "pk"]

    def __str__(self):
        return f"{self.lead} · {self.get_from_stage_display()} → {self.get_to_stage_display()}"

    def get_absolute_url(self):
        return reverse("investment:lead_detail", args=[self.lead_id]) + f"#change-{self.pk}"


class FollowUpKind(models.TextChoices):
    RESPONSE = "response", _("首次响应")
    ASSESSMENT = "assessment", _("初步研判")
    PROGRESS = "progress", _("进展报告")


class FollowUpQuerySet(ScopedThroughParent):
    parent = "lead"


class FollowUp(AuditedModel):
    """跟进记录: the response to a new lead, its first assessment, a progress report."""

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("类型"), max_length=12, choices=FollowUpKind.choices)
    on = models.DateField(_("日期"))
    text = models.TextField(_("内容"))
    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="+", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["lead", "-on", "-pk"]

    def __str__(self):
        return f"{self.lead} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("investment:lead_detail", args=[self.lead_id]) + f"#follow-{self.pk}"


class ZoneQuerySet(models.QuerySet):
    """A zone's pipeline settings: read by the zone's pipeline people, changed by the 招商局,
    zone leaders and 督查室."""

    def visible_to(self, user):
        from tuijin.org.access import sees_everything

        if sees_everything(user):
            return self.all()
        zone = permissions.pipeline_zone(user)
        if zone is None or not permissions.reads_pipeline(user):
            return self.none()
        return self.filter(zone=zone)

    def editable_by(self, user):
        if not permissions.can_manage_planning(user):
            return self.none()
        return self.visible_to(user)


class ClockRules(VersionedModel, AuditedModel):
    """时限规则: the zone's clock defaults (from practice), editable."""

    zone = models.OneToOneField(Unit, models.CASCADE, related_name="+", verbose_name=_("开发区"))
    respond_days = models.PositiveSmallIntegerField(_("新线索响应(工作日)"), default=1)
    assess_days = models.PositiveSmallIntegerField(_("首次研判(工作日)"), default=3)
    assess_days_large = models.PositiveSmallIntegerField(_("大项目首次研判(工作日)"), default=7)
    large_investment = _amount(_("大项目标准(万元)"), default=Decimal(50000))
    progress_days = models.PositiveSmallIntegerField(_("进展报告周期(天)"), default=14)
    register_days = models.PositiveSmallIntegerField(_("签约后注册(天)"), default=30)
    funds_months = models.PositiveSmallIntegerField(_("资金到位25%(月)"), default=3)
    funds_share = models.PositiveSmallIntegerField(_("首期到位比例(%)"), default=25)
    start_months = models.PositiveSmallIntegerField(_("签约后开工(月)"), default=6)
    notice_days = models.PositiveSmallIntegerField(_("限期开工通知后(天)"), default=90)

    objects = ZoneQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("招商时限规则")
        verbose_name_plural = _("招商时限规则")
        ordering = ["zone"]

    def __str__(self):
        return _("%(zone)s招商时限规则") % {"zone": self.zone}

    def get_absolute_url(self):
        return reverse("investment:clock_rules")


class ClockAlertQuerySet(ScopedThroughParent):
    parent = "lead"


class ClockAlert(AuditedModel):
    """An overdue clock of a lead, told once (超时提醒), and the 督办 item it became."""

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="alerts")
    clock = models.CharField(_("时限"), max_length=20)
    due = models.DateField(_("应完成日期"))
    told_on = models.DateField(_("提醒日期"))
    item = models.ForeignKey(
        "supervision.SupervisionItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("督办事项"),
    )

    objects = ClockAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("超时提醒")
        verbose_name_plural = _("超时提醒")
        ordering = ["lead", "due"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "clock", "due"], name="clock_alert_once")
        ]

    def __str__(self):
        return f"{self.lead} · {self.clock}"

    def get_absolute_url(self):
        return reverse("investment:lead_detail", args=[self.lead_id]) + "#clocks"


# --- 谋划项目库 ----------------------------------------------------------------------------


class CycleState(models.TextChoices):
    CALLING = "calling", _("征集中")
    REVIEWING = "reviewing", _("审核中")
    PUBLISHED = "published", _("已发布")


class PlanningCycle(VersionedModel, AuditedModel):
    """One year's planning cycle (项目谋划): projects are called for in November, reviewed in
    December and published as the next year's lists; updated quarterly."""

    zone = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("开发区"))
    year = models.PositiveSmallIntegerField(
        _("谋划年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("名称"), max_length=200)
    meeting = models.CharField(_("推进会议"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=CycleState.choices, default=CycleState.CALLING
    )
    call_deadline = models.DateField(_("征集截止"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    objects = ZoneQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("谋划年度")
        verbose_name_plural = _("谋划年度")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["zone", "year"], name="planning_cycle_year")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("investment:cycle_detail", args=[self.pk])


class PlanList(models.TextChoices):
    PLAN = "plan", _("谋划一批")
    SIGN = "sign", _("签约一批")
    START = "start", _("开工一批")
    PRODUCE = "produce", _("投产一批")


class PlannedQuerySet(models.QuerySet):
    """The pipeline's readers see the pool; units fill in and change their own projects."""

    def visible_to(self, user):
        from tuijin.org.access import sees_everything

        if sees_everything(user):
            return self.all()
        zone = permissions.pipeline_zone(user)
        if zone is None or not permissions.reads_pipeline(user):
            return self.none()
        if permissions.sees_whole_pipeline(user):
            return self.filter(cycle__zone=zone)
        from tuijin.org.models import person_of

        path = person_of(user).unit.path
        return self.filter(cycle__zone=zone).filter(
            Q(unit__path__startswith=path) | Q(park__path__startswith=path)
        )

    def editable_by(self, user):
        from tuijin.org.access import sees_everything

        if sees_everything(user) or permissions.can_manage_planning(user):
            return self.visible_to(user)
        if not permissions.can_work_pipeline(user):
            return self.none()
        from tuijin.org.models import person_of

        path = person_of(user).unit.path
        return self.visible_to(user).filter(unit__path__startswith=path)


class PlannedProject(VersionedModel, AuditedModel):
    """谋划项目: a planned project of a year's pool, with its list, 联系领导, responsible unit,
    schedule and factor needs."""

    cycle = models.ForeignKey(
        PlanningCycle, models.CASCADE, related_name="projects", verbose_name=_("谋划年度")
    )
    name = models.CharField(_("项目名称"), max_length=200)
    plan_list = models.CharField(
        _("清单"), max_length=12, choices=PlanList.choices, default=PlanList.PLAN
    )
    content = models.TextField(_("建设内容"), blank=True)
    industry_chain = models.CharField(_("产业链"), max_length=100, blank=True)
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="park_planned_projects",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("所在园区"),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="planned_projects", verbose_name=_("责任单位")
    )
    contact_leader = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_projects",
        verbose_name=_("联系领导"),
    )
    total_investment = _amount(_("总投资(万元)"))
    land_mu = _amount(_("计划用地(亩)"))
    energy_tce = _amount(_("综合能耗(吨标准煤/年)"))
    electricity_10k_kwh = _amount(_("用电量(万千瓦时/年)"))
    green_share = models.DecimalField(
        _("绿电占比(%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    expected_start = models.DateField(_("预计开工日期"), null=True, blank=True)
    schedule = models.TextField(_("推进计划"), blank=True)
    approved = models.BooleanField(_("审核通过"), default=False)
    lead = models.ForeignKey(
        Lead,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned",
        verbose_name=_("对应招商项目"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = PlannedQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("谋划项目")
        verbose_name_plural = _("谋划项目")
        ordering = ["cycle", "plan_list", "pk"]
        indexes = [models.Index(fields=["plan_list"], name="planned_list_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:planned_detail", args=[self.pk])


class PlannedUpdateQuerySet(ScopedThroughParent):
    parent = "planned"


class PlannedUpdate(AuditedModel):
    """季度更新: a planned project's progress in a quarter."""

    planned = models.ForeignKey(PlannedProject, models.CASCADE, related_name="updates")
    quarter = models.CharField(_("季度"), max_length=7)  # "2023Q1"
    text = models.TextField(_("进展情况"))
    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="+", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = PlannedUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("季度更新")
        verbose_name_plural = _("季度更新")
        ordering = ["planned", "-quarter", "-pk"]

    def __str__(self):
        return f"{self.planned} · {self.quarter}"

    def get_absolute_url(self):
        return reverse("investment:planned_detail", args=[self.planned_id])
