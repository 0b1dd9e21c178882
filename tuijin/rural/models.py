"""Rural linkage (村集体+企业+合作社+农户, R15 items 1–5): the village and community companies,
the enclave parks (飞地园区) and what they share back to the villages, the agreements between an
enterprise and a village company or cooperative with their deliveries and payments, and each
village's collective income per year against editable tiers.

Who sees what: every record belongs to a village, community or town (``unit``, or its parent
record's); a unit's people see their unit's subtree (a town's staff every village of the town,
a village clerk their village), zone-wide roles (zone leaders, 督查室, inspectors) the zone, an
enterprise's 包保 leaders the agreements of their enterprise; liaisons see none of it.
Who writes: the unit's own people (head, staff, cadres) in their subtree, zone leaders, admins
(``permissions.can_record``); 督查室 and inspectors read only.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.core.models import EditableList
from tuijin.core.versions import VersionedModel
from tuijin.org.models import Person, Role, Unit, UnitKind
from tuijin.projects.models import Enterprise

ZERO = Decimal(0)
# Units that own rural records: villages, communities and the towns above them.
RURAL_KINDS = (UnitKind.TOWN, UnitKind.VILLAGE, UnitKind.COMMUNITY)
# Roles that record rural facts for their own units (besides zone leaders and admins).
RECORDER_ROLES = {Role.UNIT_HEAD, Role.UNIT_STAFF, Role.CADRE}
MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(ZERO)]


class RuralQuerySet(models.QuerySet):
    """Records owned by a unit (``unit``): the unit-subtree rule of ``org.access``."""

    def visible_to(self, user):
        from tuijin.org.access import unit_scope

        rule = unit_scope(user).rule("unit")
        return self.all() if rule is None else self.filter(rule)

    def editable_by(self, user):
        """The unit's own people in their subtree, zone leaders and admins; 督查室 and
        inspectors read only, liaisons see nothing."""
        from tuijin.org.access import role_of, sees_everything, unit_scope

        if sees_everything(user):
            return self.all()
        role = role_of(user)
        if role == Role.ZONE_LEADER:
            return self.visible_to(user)
        if role not in RECORDER_ROLES:
            return self.none()
        rule = unit_scope(user).rule("unit")
        return self.all() if rule is None else self.filter(rule)


class IncomeTier(EditableList):
    """A tier of village collective operating income (薄弱村 < 5万, 一般村 5–20万, 富裕村 > 20万)
    and the goal (50万). Kept by admins; a village's tier is the highest whose lower bound its
    income reaches."""

    DEFAULTS = [
        ("薄弱村", Decimal(0), False),
        ("一般村", Decimal(5), False),
        ("富裕村", Decimal(20), False),
        ("集体经济强村目标", Decimal(50), True),
    ]

    name = models.CharField(_("档次"), max_length=30, unique=True)
    min_income = models.DecimalField(
        _("经营性收入下限(万元)"), max_digits=10, decimal_places=2, validators=POSITIVE
    )
    is_goal = models.BooleanField(
        _("为奋斗目标"), default=False, help_text=_("目标不作档次,页面显示距目标还差多少")
    )

    class Meta:
        verbose_name = _("村集体收入档次")
        verbose_name_plural = _("村集体收入档次")
        ordering = ["min_income", "sort_order"]

    def get_absolute_url(self):
        return reverse("rural:income")

    @classmethod
    def ensure_defaults(cls) -> None:
        for order, (name, low, goal) in enumerate(cls.DEFAULTS):
            cls.objects.get_or_create(
                name=name, defaults={"min_income": low, "is_goal": goal, "sort_order": order * 10}
            )


class Company(VersionedModel, AuditedModel):
    """A village or community company (乡村合作公司, 社区商贸公司, 强村公司) or a cooperative,
    with its shareholders, the enterprises it works with and the park it serves."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("乡村合作公司")
        COMMUNITY = "community", _("社区商贸公司")
        STRONG = "strong", _("强村公司")
        COOPERATIVE = "cooperative", _("农民专业合作社")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="rural_companies", verbose_name=_("所属村(社区)")
    )
    name = models.CharField(_("公司名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rural_companies_served",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("服务园区"),
    )
    partners = models.ManyToManyField(
        Enterprise, blank=True, related_name="rural_companies", verbose_name=_("合作企业")
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    capital = models.DecimalField(_("注册资本(万元)"), **MONEY, default=ZERO, validators=POSITIVE)
    business = models.CharField(_("主营业务"), max_length=200, blank=True)

    objects = RuralQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("村级公司")
        verbose_name_plural = _("村级公司")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="rural_company_name_unique")]
        indexes = [models.Index(fields=["unit", "kind"], name="rural_company_unit_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rural:company_detail", args=[self.pk])


class CompanyChildQuerySet(ScopedThroughParent):
    parent = "company"


class Shareholder(AuditedModel):
    """A shareholder (股东) of a company: the village collective, a cooperative, households."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("村集体")
        COOPERATIVE = "cooperative", _("合作社")
        HOUSEHOLDS = "households", _("农户")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他")

    company = models.ForeignKey(Company, models.CASCADE, related_name="shareholders")
    name = models.CharField(_("股东"), max_length=100)
    kind = models.CharField(_("股东类型"), max_length=20, choices=Kind.choices)
    share = models.DecimalField(
        _("持股比例(%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))],
    )
    households = models.PositiveIntegerField(_("入股户数"), default=0)

    objects = CompanyChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("股东")
        verbose_name_plural = _("股东")
        ordering = ["company", "-share", "pk"]

    def __str__(self):
        return f"{self.name} {self.share}%"

    def get_absolute_url(self):
        return self.company.get_absolute_url() + "#shareholders"


class Household(AuditedModel):
    """A household linked to a company (入股、流转土地、订单种植、务工), flagged when it is a
    脱贫户 or a 监测户 (防返贫监测对象)."""

    class Status(models.TextChoices):
        ORDINARY = "ordinary", _("一般户")
        LIFTED = "lifted", _("脱贫户")
        MONITORED = "monitored", _("监测户")

    company = models.ForeignKey(Company, models.CASCADE, related_name="households")
    head = models.CharField(_("户主"), max_length=50)
    status = models.CharField(
        _("户类型"), max_length=20, choices=Status.choices, default=Status.ORDINARY
    )
    members = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    area_mu = models.DecimalField(
        _("参与面积(亩)"), max_digits=10, decimal_places=2, default=ZERO, validators=POSITIVE
    )
    dividend = models.DecimalField(_("本年分红(元)"), **MONEY, default=ZERO, validators=POSITIVE)
    link = models.CharField(_("联结方式"), max_length=100, blank=True)

    objects = CompanyChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("联结农户")
        verbose_name_plural = _("联结农户")
        ordering = ["company", "head", "pk"]

    def __str__(self):
        return f"{self.head}({self.get_status_display()})"

    def get_absolute_url(self):
        return self.company.get_absolute_url() + "#households"


class EnclavePark(VersionedModel, AuditedModel):
    """An enclave park (飞地园区) a village or town develops, with its land and buildings."""

    class Stage(models.TextChoices):
        PLANNED = "planned", _("谋划中")
        BUILDING = "building", _("建设中")
        OPERATING = "operating", _("已运营")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="enclave_parks", verbose_name=_("所属村(镇)")
    )
    company = models.ForeignKey(
        Company,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enclave_parks",
        verbose_name=_("运营公司"),
    )
    name = models.CharField(_("园区名称"), max_length=100)
    location = models.CharField(_("位置"), max_length=200, blank=True)
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.PLANNED)
    land_mu = models.DecimalField(
        _("用地(亩)"), max_digits=10, decimal_places=2, default=ZERO, validators=POSITIVE
    )
    buildings_m2 = models.DecimalField(
        _("厂房面积(平方米)"), max_digits=12, decimal_places=2, default=ZERO, validators=POSITIVE
    )
    note = models.TextField(_("说明"), blank=True)

    objects = RuralQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("飞地园区")
        verbose_name_plural = _("飞地园区")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="rural_enclave_name_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rural:park_detail", args=[self.pk])


class ParkChildQuerySet(ScopedThroughParent):
    parent = "park"


class EnclaveTenant(AuditedModel):
    """An enterprise committed to (确定入驻) or settled in (已入驻) an enclave park."""

    class Status(models.TextChoices):
        COMMITTED = "committed", _("确定入驻")
        SETTLED = "settled", _("已入驻")

    park = models.ForeignKey(EnclavePark, models.CASCADE, related_name="tenants")
    name = models.CharField(_("企业名称"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enclave_tenancies",
        verbose_name=_("台账企业"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    investment = models.DecimalField(
        _("计划投资(万元)"), **MONEY, default=ZERO, validators=POSITIVE
    )
    since = models.DateField(_("日期"), null=True, blank=True)

    objects = ParkChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("入驻企业")
        verbose_name_plural = _("入驻企业")
        ordering = ["park", "status", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.park.get_absolute_url() + "#tenants"


class EnclaveShare(AuditedModel):
    """Income an enclave park shared back to a village in a year (飞地收益分成)."""

    park = models.ForeignKey(EnclavePark, models.CASCADE, related_name="shares")
    village = models.ForeignKey(
        Unit, models.PROTECT, related_name="enclave_shares", verbose_name=_("分成村")
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(_("分成金额(万元)"), **MONEY, validators=POSITIVE)

    objects = ParkChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("飞地收益分成")
        verbose_name_plural = _("飞地收益分成")
        ordering = ["park", "-year", "village__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "village", "year"], name="rural_share_once_a_year"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.village.name} {self.amount}万元"

    def get_absolute_url(self):
        return self.park.get_absolute_url() + "#shares"


class AgreementQuerySet(RuralQuerySet):
    def visible_to(self, user):
        """The unit-subtree rule, and the enterprise's 包保 leaders (they are alerted of late
        payments and open the agreement from the message)."""
        from tuijin.org.access import person_of, unit_scope

        rule = unit_scope(user).rule("unit")
        if rule is None:
            return self.all()
        person = person_of(user)
        if person is not None and person.role != Role.LIAISON:
            leads = Enterprise.leaders.through.objects.filter(person=person)
            rule |= Q(enterprise_id__in=leads.values("enterprise_id"))
        return self.filter(rule)


class Agreement(VersionedModel, AuditedModel):
    """An agreement between an enterprise and a village company or cooperative: 订单收购 with
    a guaranteed price, 土地流转, 入股保底分红, or a service/labour contract.

    ``baseline_per_mu`` is what a 亩 earned before (the crop it replaced); the gain per 亩
    (每亩多挣) is worked out from the deliveries (or, for the other kinds, the payments)
    by ``figures.agreement_figures``, never typed."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("订单收购")
        LAND = "land", _("土地流转")
        EQUITY = "equity", _("入股保底分红")
        SERVICE = "service", _("服务/劳务合同")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="rural_agreements", verbose_name=_("所属村(社区)")
    )
    company = models.ForeignKey(
        Company, models.PROTECT, related_name="agreements", verbose_name=_("村级公司/合作社")
    )
    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="rural_agreements", verbose_name=_("企业")
    )
    kind = models.CharField(_("协议类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("协议名称"), max_length=200)
    product = models.CharField(_("品种/内容"), max_length=100, blank=True)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    area_mu = models.DecimalField(
        _("面积(亩)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    quantity_unit = models.CharField(_("计量单位"), max_length=10, default="斤")
    guaranteed_price = models.DecimalField(
        _("保底收购价(元/计量单位)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    guaranteed_return = models.DecimalField(
        _("保底收益(元/亩·年)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    baseline_per_mu = models.DecimalField(
        _("原每亩年收入(元)"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=POSITIVE,
        help_text=_("签约前这块地每亩一年的收入,用于计算每亩增收"),
    )
    expected_per_mu = models.DecimalField(
        _("预期每亩年收入(元)"), max_digits=10, decimal_places=2, default=ZERO, validators=POSITIVE
    )
    pay_within_days = models.PositiveSmallIntegerField(
        _("交售后付款期限(天)"), default=15, validators=[MaxValueValidator(365)]
    )

    objects = AgreementQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("联农协议")
        verbose_name_plural = _("联农协议")
        ordering = ["unit__path", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="rural_agreement_term"
            )
        ]
        indexes = [models.Index(fields=["unit", "starts_on"], name="rural_agreement_unit_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rural:agreement_detail", args=[self.pk])


class AgreementChildQuerySet(ScopedThroughParent):
    parent = "agreement"


class Delivery(AuditedModel):
    """A delivery (交售) under an agreement: quantity, quality grade, date, price paid for it."""

    class Grade(models.TextChoices):
        FIRST = "1", _("一级")
        SECOND = "2", _("二级")
        THIRD = "3", _("三级")
        OFF = "off", _("等外")

    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("交售日期"))
    quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    grade = models.CharField(_("等级"), max_length=5, choices=Grade.choices, default=Grade.FIRST)
    unit_price = models.DecimalField(
        _("单价(元)"), max_digits=10, decimal_places=2, validators=POSITIVE
    )
    amount = models.DecimalField(_("金额(元)"), **MONEY, default=ZERO)
    recorded_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("交售记录")
        verbose_name_plural = _("交售记录")
        ordering = ["agreement", "-delivered_on", "-pk"]

    def __str__(self):
        return f"{self.delivered_on:%Y-%m-%d} {self.quantity}{self.agreement.quantity_unit}"

    def get_absolute_url(self):
        return self.agreement.get_absolute_url() + "#deliveries"


class Payment(VersionedModel, AuditedModel):
    """A payment the enterprise owes under an agreement: due date and amount, and once paid
    the date and amount paid. Late: paid after the due date, or unpaid past it."""

    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="payments")
    delivery = models.ForeignKey(
        Delivery,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("对应交售"),
    )
    due_on = models.DateField(_("应付日期"))
    amount_due = models.DecimalField(
        _("应付金额(元)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("实付日期"), null=True, blank=True)
    amount_paid = models.DecimalField(_("实付金额(元)"), **MONEY, default=ZERO, validators=POSITIVE)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    alerted_on = models.DateField(_("逾期提醒日期"), null=True, blank=True, editable=False)

    objects = AgreementChildQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("付款记录")
        verbose_name_plural = _("付款记录")
        ordering = ["agreement", "due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(paid_on=None), name="rural_payment_open_idx"
            )
        ]

    def __str__(self):
        return f"{self.due_on:%Y-%m-%d} {self.amount_due}元"

    def get_absolute_url(self):
        return self.agreement.get_absolute_url() + "#payments"

    def days_late(self, today) -> int:
        """Days past the due date: until paid (or today, while unpaid); 0 when on time."""
        end = self.paid_on or today
        return max((end - self.due_on).days, 0)

    def is_late(self, today) -> bool:
        return self.days_late(today) > 0

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.amount_paid, ZERO)


class VillageIncome(VersionedModel, AuditedModel):
    """A village's (or community's) collective operating income in a year (村集体经营性收入),
    the dividends paid to households and how many households got them."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="rural_incomes", verbose_name=_("村(社区)")
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    operating_income = models.DecimalField(
        _("集体经营性收入(万元)"), **MONEY, default=ZERO, validators=POSITIVE
    )
    dividends = models.DecimalField(_("分红总额(万元)"), **MONEY, default=ZERO, validators=POSITIVE)
    dividend_households = models.PositiveIntegerField(_("分红户数"), default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RuralQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("村集体收入")
        verbose_name_plural = _("村集体收入")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="rural_income_once_a_year")
        ]

    def __str__(self):
        return f"{self.unit.name} {self.year}年"

    def get_absolute_url(self):
        return reverse("rural:income") + f"?year={self.year}"

    @property
    def per_household(self) -> Decimal | None:
        """Dividend per household in 元."""
        if not self.dividend_households:
            return None
        return (self.dividends * 10000 / self.dividend_households).quantize(Decimal("0.01"))
