"""The factor balance sheet (要素保障) and the 亩均 evaluation (亩均论英雄), E14 items 5–8.

Supply (``SupplyEntry``): per park, year and factor (land 亩, energy-use quota 吨标准煤, green
power 万千瓦时), each entry with its source document. Movements against it
(``Allocation``): reserved (预留) → committed (占用) → released (释放), audited. Demand is not
stored here: it is read from the investment pipeline's leads from 签约 on and from the
``FactorNeed`` of projects under way that are not leads (``queries.balance_sheet``).

亩均 (``Evaluation`` per zone and year, ``EnterpriseResult`` per enterprise): indicators,
weights and class cut-offs copied from the zone's ``FactorRules`` when the year is opened,
classes A/B/C/D by rank, start-ups and projects still being built evaluated but not classed.
``LandFlag``: low-efficiency land by its five kinds; freed land becomes supply.

Who sees what (``access``): admins everything; the zone's leaders, 督查室, inspectors and the
desk units (招商局, 发改/经济发展局, 自然资源: ``FactorRules.desk_keywords``) every park of
their zone; a park's own people their park; enterprise liaisons and other units nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core.audit import AuditedModel
from tuijin.core.versions import VersionedModel
from tuijin.org.models import Person, Role, Unit, UnitKind, person_of, role_of, sees_everything
from tuijin.projects.models import Enterprise, Project

ZERO = Decimal(0)
QTY = {"max_digits": 14, "decimal_places": 2, "default": ZERO, "validators": [MinValueValidator(0)]}


class Factor(models.TextChoices):
    LAND = "land", _("土地指标")
    ENERGY = "energy", _("能耗指标")
    GREEN = "green", _("绿电")


# The unit each factor is counted in (on screen and in exports).
UNIT = {Factor.LAND: _("亩"), Factor.ENERGY: _("吨标准煤"), Factor.GREEN: _("万千瓦时")}
# The problem category (supervision.ProblemCategory) a gap is escalated as.
PROBLEM_CATEGORY = {Factor.LAND: "土地指标", Factor.ENERGY: "能耗指标", Factor.GREEN: "绿电保障"}
SHORTAGE = {
    Factor.LAND: "土地指标短缺",
    Factor.ENERGY: "能耗指标不足",
    Factor.GREEN: "绿电保障不优",
}


class Source(models.TextChoices):
    NEW_LAND = "new_land", _("新增建设用地指标")
    STOCK_LAND = "stock_land", _("盘活存量土地")
    ENERGY_QUOTA = "energy_quota", _("年度能耗指标")
    EQUAL = "equal", _("等量替代")
    REDUCED = "reduced", _("减量替代")
    GREEN_CERT = "green_cert", _("绿证")
    GREEN_TRADE = "green_trade", _("绿电交易")


SOURCE_FACTOR = {
    Source.NEW_LAND: Factor.LAND,
    Source.STOCK_LAND: Factor.LAND,
    Source.ENERGY_QUOTA: Factor.ENERGY,
    Source.EQUAL: Factor.ENERGY,
    Source.REDUCED: Factor.ENERGY,
    Source.GREEN_CERT: Factor.GREEN,
    Source.GREEN_TRADE: Factor.GREEN,
}

DEFAULT_DESK_KEYWORDS = "招商,发改,发展和改革,经济发展,自然资源"


# --- scope ------------------------------------------------------------------------------------


class ParkScoped(models.QuerySet):
    """Records of a park: seen by those who see the park's factors, changed by those who
    manage them (``access.factor_access``)."""

    park_field = "park"

    def visible_to(self, user):
        acc = factor_access(user)
        if acc.everything:
            return self.all()
        return self.filter(**{f"{self.park_field}__in": acc.parks})

    def editable_by(self, user):
        acc = factor_access(user)
        if acc.everything:
            return self.all()
        return self.filter(**{f"{self.park_field}__in": acc.edit_parks})


class ZoneScoped(models.QuerySet):
    """Zone-wide records (rules, an evaluation year): seen by whoever sees a park of the zone,
    changed by the zone's factor managers."""

    def visible_to(self, user):
        acc = factor_access(user)
        if acc.everything:
            return self.all()
        return self.filter(zone__in=acc.zones) if acc.parks else self.none()

    def editable_by(self, user):
        acc = factor_access(user)
        if acc.everything:
            return self.all()
        return self.filter(zone__in=acc.zones) if acc.manages else self.none()


# --- rules ------------------------------------------------------------------------------------


class FactorRules(VersionedModel, AuditedModel):
    """A zone's rules for the factor sheet and the 亩均 evaluation (defaults from practice)."""

    zone = models.OneToOneField(
        Unit,
        models.CASCADE,
        related_name="factor_rules",
        limit_choices_to={"kind": UnitKind.ZONE},
        verbose_name=_("开发区"),
    )
    exclude_green = models.BooleanField(
        _("能耗扣除绿电"),
        default=True,
        help_text=_("自2024年起可再生能源(绿电)消费不纳入能源消费总量控制:需求按净能耗计算"),
    )
    green_tce_per_10k_kwh = models.DecimalField(
        _("绿电折标系数(吨标准煤/万千瓦时)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1.229"),
        validators=[MinValueValidator(0)],
    )
    weight_tax = models.PositiveSmallIntegerField(_("亩均税收权重"), default=45)
    weight_sales = models.PositiveSmallIntegerField(_("亩均销售收入权重"), default=20)
    weight_energy = models.PositiveSmallIntegerField(_("单位能耗增加值权重"), default=15)
    weight_rnd = models.PositiveSmallIntegerField(_("研发经费占比权重"), default=15)
    weight_labour = models.PositiveSmallIntegerField(_("全员劳动生产率权重"), default=5)
    class_a = models.PositiveSmallIntegerField(
        _("A类:排名前(%)"), default=25, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    class_b = models.PositiveSmallIntegerField(
        _("B类:排名至(%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    class_c = models.PositiveSmallIntegerField(
        _("C类:排名至(%)"), default=95, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    desk_keywords = models.CharField(
        _("查看全部园区的单位(名称关键词)"),
        max_length=200,
        default=DEFAULT_DESK_KEYWORDS,
        blank=True,
        help_text=_("单位名称含其中任一关键词(逗号分隔)的人员可查看全区要素保障"),
    )

    objects = ZoneScoped.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("要素保障规则")
        verbose_name_plural = _("要素保障规则")
        ordering = ["zone__path"]

    def __str__(self):
        return f"{self.zone}要素保障规则"

    def get_absolute_url(self):
        return reverse("factors:rules")

    @property
    def weights(self) -> dict:
        return {
            "tax": self.weight_tax,
            "sales": self.weight_sales,
            "energy": self.weight_energy,
            "rnd": self.weight_rnd,
            "labour": self.weight_labour,
        }

    @property
    def keywords(self) -> list[str]:
        return [k.strip() for k in self.desk_keywords.replace(",", ",").split(",") if k.strip()]


# --- supply and movements ---------------------------------------------------------------------


class LandFlagState(models.TextChoices):
    FLAGGED = "flagged", _("已认定")
    FREED = "freed", _("已盘活")


class LandFlagKind(models.TextChoices):
    APPROVED_NOT_SUPPLIED = "approved_not_supplied", _("批而未供")
    SUPPLIED_NOT_USED = "supplied_not_used", _("供而未用")
    USED_NOT_FULL = "used_not_full", _("用而未尽")
    BUILT_NOT_OPERATING = "built_not_operating", _("建而未投")
    OPERATING_BELOW = "operating_below", _("投而未达标")


class LandFlag(VersionedModel, AuditedModel):
    """Low-efficiency land (低效用地), one of the five kinds; once freed (盘活) its area becomes
    a land supply entry (source 盘活存量土地) of its park."""

    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="land_flags",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("园区"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="land_flags",
        verbose_name=_("企业"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=30, choices=LandFlagKind.choices)
    area_mu = models.DecimalField(_("面积(亩)"), **QTY)
    location = models.CharField(_("地块位置"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=LandFlagState.choices, default=LandFlagState.FLAGGED
    )
    flagged_by = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("认定人")
    )

    objects = ParkScoped.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("低效用地")
        verbose_name_plural = _("低效用地")
        ordering = ["park__path", "-year", "kind", "pk"]

    def __str__(self):
        who = self.enterprise or self.location or self.park
        return f"{self.get_kind_display()}:{who} {self.area_mu}亩"

    def get_absolute_url(self):
        return reverse("factors:park", args=[self.park_id]) + f"?year={self.year}#flags"


class SupplyEntry(VersionedModel, AuditedModel):
    """One source of a factor for a park in a year, with the document it comes from."""

    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="factor_supply",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("园区"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    factor = models.CharField(_("要素"), max_length=10, choices=Factor.choices)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    quantity = models.DecimalField(_("数量"), **QTY)
    document_title = models.CharField(_("来源文件"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    land_flag = models.OneToOneField(
        LandFlag,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supply",
        verbose_name=_("盘活的低效用地"),
    )
    entered_by = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("录入人")
    )

    objects = ParkScoped.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("要素供给")
        verbose_name_plural = _("要素供给")
        ordering = ["park__path", "-year", "factor", "pk"]
        indexes = [models.Index(fields=["year", "park"], name="factors_supply_year_idx")]

    def __str__(self):
        return f"{self.park} {self.year} {self.get_source_display()} {self.quantity}{self.unit}"

    def get_absolute_url(self):
        return reverse("factors:park", args=[self.park_id]) + f"?year={self.year}#supply"

    @property
    def unit(self):
        return UNIT[self.factor]


class AllocationState(models.TextChoices):
    RESERVED = "reserved", _("预留")
    COMMITTED = "committed", _("已占用")
    RELEASED = "released", _("已释放")


ACTIVE_STATES = (AllocationState.RESERVED, AllocationState.COMMITTED)


class Allocation(AuditedModel):
    """A movement of a park's factor to one project or lead: reserved (预留) → committed
    (占用, with the document that grants it) → released (释放, back to the pool)."""

    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="factor_allocations",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("园区"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    factor = models.CharField(_("要素"), max_length=10, choices=Factor.choices)
    quantity = models.DecimalField(_("数量"), **QTY)
    state = models.CharField(
        _("状态"), max_length=10, choices=AllocationState.choices, default=AllocationState.RESERVED
    )
    project = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="factor_allocations",
        verbose_name=_("项目"),
    )
    lead = models.ForeignKey(
        "investment.Lead",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="factor_allocations",
        verbose_name=_("招商项目"),
    )
    subject_name = models.CharField(_("项目名称"), max_length=200)
    document = models.CharField(_("批准文件"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("经办人")
    )
    created_at = models.DateTimeField(_("预留时间"))
    committed_at = models.DateTimeField(_("占用时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("释放时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ParkScoped.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("要素占用")
        verbose_name_plural = _("要素占用")
        ordering = ["park__path", "-year", "factor", "pk"]
        indexes = [models.Index(fields=["year", "state"], name="factors_alloc_year_idx")]

    def __str__(self):
        return (
            f"{self.subject_name} {self.get_factor_display()} {self.quantity}{self.unit}"
            f"({self.get_state_display()})"
        )

    def get_absolute_url(self):
        return reverse("factors:park", args=[self.park_id]) + f"?year={self.year}#allocations"

    @property
    def unit(self):
        return UNIT[self.factor]

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class NeedQuerySet(ParkScoped):
    park_field = "project__park"


class FactorNeed(VersionedModel, AuditedModel):
    """What a project under way (not a lead of the pipeline) needs: land, energy, power."""

    project = models.OneToOneField(
        Project, models.CASCADE, related_name="factor_need", verbose_name=_("项目")
    )
    land_mu = models.DecimalField(_("用地(亩)"), **QTY)
    energy_tce = models.DecimalField(_("年综合能耗(吨标准煤)"), **QTY)
    electricity_10k_kwh = models.DecimalField(_("年用电量(万千瓦时)"), **QTY)
    green_share = models.DecimalField(
        _("绿电占比(%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    expected_start = models.DateField(_("计划开工"), null=True, blank=True)

    objects = NeedQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("项目要素需求")
        verbose_name_plural = _("项目要素需求")
        ordering = ["project__park__path", "project__code"]

    def __str__(self):
        return f"{self.project}的要素需求"

    def get_absolute_url(self):
        return reverse("factors:park", args=[self.project.park_id]) + "#needs"


# --- 亩均 evaluation --------------------------------------------------------------------------


class Evaluation(VersionedModel, AuditedModel):
    """One year's 亩均 evaluation (亩均论英雄) of a zone, with the weights and cut-offs it uses
    (copied from the zone's rules when opened; a later change of the rules leaves it alone)."""

    zone = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="mujun_evaluations",
        limit_choices_to={"kind": UnitKind.ZONE},
        verbose_name=_("开发区"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    weight_tax = models.PositiveSmallIntegerField(_("亩均税收权重"), default=45)
    weight_sales = models.PositiveSmallIntegerField(_("亩均销售收入权重"), default=20)
    weight_energy = models.PositiveSmallIntegerField(_("单位能耗增加值权重"), default=15)
    weight_rnd = models.PositiveSmallIntegerField(_("研发经费占比权重"), default=15)
    weight_labour = models.PositiveSmallIntegerField(_("全员劳动生产率权重"), default=5)
    class_a = models.PositiveSmallIntegerField(_("A类:排名前(%)"), default=25)
    class_b = models.PositiveSmallIntegerField(_("B类:排名至(%)"), default=70)
    class_c = models.PositiveSmallIntegerField(_("C类:排名至(%)"), default=95)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    objects = ZoneScoped.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("亩均评价")
        verbose_name_plural = _("亩均评价")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "year"], name="factors_evaluation_once")
        ]

    def __str__(self):
        return f"{self.year}年度亩均评价"

    def get_absolute_url(self):
        return reverse("factors:evaluation", args=[self.pk])

    @property
    def weights(self) -> dict:
        return {
            "tax": self.weight_tax,
            "sales": self.weight_sales,
            "energy": self.weight_energy,
            "rnd": self.weight_rnd,
            "labour": self.weight_labour,
        }


class Exemption(models.TextChoices):
    NONE = "", _("参评")
    STARTUP = "startup", _("初创企业")
    BUILDING = "building", _("在建项目")


class MuKlass(models.TextChoices):
    A = "A", _("A类(优先发展)")
    B = "B", _("B类(提升发展)")
    C = "C", _("C类(调整转型)")
    D = "D", _("D类(整治淘汰)")


class ResultQuerySet(ParkScoped):
    pass


class EnterpriseResult(AuditedModel):
    """An enterprise's figures for an evaluation year and what they come to: the indicators,
    the weighted score, the rank and class (none for the exempt)."""

    evaluation = models.ForeignKey(
        Evaluation, models.CASCADE, related_name="results", verbose_name=_("亩均评价")
    )
    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="mujun_results", verbose_name=_("企业")
    )
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="mujun_results",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("园区"),
    )
    land_mu = models.DecimalField(_("用地面积(亩)"), **QTY)
    tax = models.DecimalField(_("税收(万元)"), **QTY)
    sales = models.DecimalField(_("销售收入(万元)"), **QTY)
    added_value = models.DecimalField(_("工业增加值(万元)"), **QTY)
    energy_tce = models.DecimalField(_("综合能耗(吨标准煤)"), **QTY)
    rnd = models.DecimalField(_("研发经费(万元)"), **QTY)
    employees = models.PositiveIntegerField(_("从业人员(人)"), default=0)
    exemption = models.CharField(
        _("评价方式"), max_length=10, choices=Exemption.choices, default="", blank=True
    )
    # Derived (``services.compute_evaluation``).
    tax_per_mu = models.DecimalField(_("亩均税收(万元/亩)"), **QTY)
    sales_per_mu = models.DecimalField(_("亩均销售收入(万元/亩)"), **QTY)
    value_per_energy = models.DecimalField(_("单位能耗增加值(万元/吨标准煤)"), **QTY)
    rnd_share = models.DecimalField(_("研发经费占比(%)"), **QTY)
    productivity = models.DecimalField(_("全员劳动生产率(万元/人)"), **QTY)
    score = models.DecimalField(_("综合得分"), **QTY)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    klass = models.CharField(_("分类"), max_length=1, choices=MuKlass.choices, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业亩均评价结果")
        verbose_name_plural = _("企业亩均评价结果")
        ordering = ["evaluation", models.F("rank").asc(nulls_last=True), "-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "enterprise"], name="factors_result_once")
        ]

    def __str__(self):
        return f"{self.enterprise} {self.evaluation.year}"

    def get_absolute_url(self):
        return reverse("factors:evaluation", args=[self.evaluation_id]) + f"#e{self.pk}"


def lead_model():
    """The investment pipeline's lead, once that app is installed (None before)."""
    from django.apps import apps

    try:
        return apps.get_model("investment", "Lead")
    except LookupError:
        return None


# --- who sees and manages which parks' factors (re-exported by ``tuijin.factors.access``) ------
# Here, beside the querysets that read it, so that they need no import back (as org does).


@dataclass
class FactorAccess:
    everything: bool = False
    parks: list[int] = field(default_factory=list)  # parks whose factors the user sees
    edit_parks: list[int] = field(default_factory=list)  # parks whose factors the user manages
    zones: list[int] = field(default_factory=list)
    manages: bool = False  # 亩均 years, rules: the zone's leaders and the desk units


def is_desk_unit(unit: Unit, keywords) -> bool:
    return any(word in unit.name for word in keywords)


def factor_access(user) -> FactorAccess:
    if hasattr(user, "_tuijin_factor_access"):
        return user._tuijin_factor_access
    acc = _work_out(user)
    if user is not None and getattr(user, "is_authenticated", False):
        user._tuijin_factor_access = acc
    return acc


def _work_out(user) -> FactorAccess:
    if sees_everything(user):
        return FactorAccess(everything=True, manages=True)
    person = person_of(user)
    role = role_of(user)
    if person is None or role == Role.LIAISON:
        return FactorAccess()
    zone = person.unit.zone
    if zone is None:
        return FactorAccess()
    rules = FactorRules.objects.filter(zone=zone).only("desk_keywords").first()
    keywords = rules.keywords if rules else DEFAULT_DESK_KEYWORDS.split(",")
    parks = list(
        Unit.objects.filter(kind=UnitKind.PARK, path__startswith=zone.path).values_list(
            "pk", "path"
        )
    )
    desk = is_desk_unit(person.unit, keywords)
    zone_wide = role in (Role.ZONE_LEADER, Role.SUPERVISOR, Role.INSPECTOR) or desk
    own = [pk for pk, path in parks if person.unit.path.startswith(path)]
    seen = [pk for pk, _path in parks] if zone_wide else own
    if not seen:
        return FactorAccess()
    if role in (Role.INSPECTOR, Role.SUPERVISOR):
        edit = []
    elif role == Role.ZONE_LEADER or desk:
        edit = seen
    else:
        edit = own
    manages = role not in (Role.INSPECTOR, Role.SUPERVISOR) and (role == Role.ZONE_LEADER or desk)
    return FactorAccess(parks=seen, edit_parks=edit, zones=[zone.pk], manages=manages)


def factor_parks(user):
    """The parks whose factors the user sees, as a queryset (choice lists, the sheet)."""
    acc = factor_access(user)
    parks = Unit.objects.filter(kind=UnitKind.PARK)
    return parks if acc.everything else parks.filter(pk__in=acc.parks)


def sees_factors(user) -> bool:
    """Whether the user sees any park's factors (the menu entry): answered without a query
    for admins, the zone's leaders, 督查室 and inspectors, a park's people and the default desk
    units (it is asked on every page); the full rule otherwise."""
    if sees_everything(user):
        return True
    person = person_of(user)
    if person is None or person.role == Role.LIAISON:
        return False
    if person.role in (Role.ZONE_LEADER, Role.SUPERVISOR, Role.INSPECTOR):
        return True
    if person.unit.kind == UnitKind.PARK or is_desk_unit(
        person.unit, DEFAULT_DESK_KEYWORDS.split(",")
    ):
        return True
    acc = factor_access(user)
    return acc.everything or bool(acc.parks)
