"""Monthly department assessment (一月一考核评估, DESIGN §3 "Monthly department score").

- ``Scheme``: the rules for one class of unit (部门 / 园区 / 乡镇), in versions: weights, the
  deduction rules, grade bands, 红榜/黑榜 sizes and the 公示 days. A month uses the newest
  version in force on its first day; computing copies it into the month.
- ``Period``: one month of one zone, through draft → 公示 → published. Its figures are rows
  (``UnitScore`` with its ``IndicatorScore``s, each holding the facts behind it): computing
  writes them, nothing else but an appeal decision or a correction changes them, and a
  published month is never computed again, so later edits of records or schemes leave it.
- What the 督查室 and leaders enter for a month: ``Adjustment`` (加减分 with a reason and a
  document), ``Veto`` (一票否决), ``LeaderRating`` (分管领导评分); and ``Instruction``, a
  leader's approving 批示 on a unit's work.
- ``Appeal`` (申诉) of one indicator by the unit head during 公示; ``Revision``: a correction
  after publishing, with its reason.
"""

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.assessment import permissions
from tuijin.core import formats
from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.org.access import person_of, sees_everything, visible_units
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.supervision.models import SupervisionItem


class UnitClass(models.TextChoices):
    """Units are compared only within their class."""

    DEPARTMENT = UnitKind.DEPARTMENT, _("部门")
    PARK = UnitKind.PARK, _("园区")
    TOWN = UnitKind.TOWN, _("乡镇")


def _points(label, default, **kwargs):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **kwargs,
    )


class ZoneScopedQuerySet(models.QuerySet):
    """Records of a zone's assessment: admins see all; the zone's people (not enterprise
    liaisons) see their zone's; the 督查室 changes them."""

    zone_field = "zone"

    def visible_to(self, user):
        if sees_everything(user):
            return self.all()
        zone = permissions.user_zone(user)
        return self.filter(**{self.zone_field: zone}) if zone else self.none()

    def editable_by(self, user):
        if permissions.can_manage_assessment(user):
            return self.visible_to(user)
        return self.none()


class Scheme(AuditedModel):
    """考核方案: one class of unit, one version, in force from ``effective_from`` (the first
    day of a month). A change is a new version; a month keeps the version it was computed
    with (``Period.schemes``)."""

    zone = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("开发区"))
    unit_class = models.CharField(_("单位类别"), max_length=20, choices=UnitClass.choices)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    effective_from = models.DateField(_("起用月份"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    # Weights (DESIGN §3); 分管领导评分 is off (0) unless given a weight.
    weight_duban = _points(_("督办按期办结"), 30)
    weight_problems = _points(_("问题解决"), 20)
    weight_worklogs = _points(_("周末日志"), 15)
    weight_lights = _points(_("项目灯色"), 20)
    weight_truth = _points(_("核查属实"), 10)
    weight_rating = _points(_("分管领导评分"), 0)
    # 企业诉求 (R15 item 13) is off (0) unless given a weight: versions saved before it keep
    # their totals.
    weight_requests = _points(_("企业诉求"), 0)
    adjust_cap = _points(_("加减分上限(±)"), 5)
    # Deduction rules (practice in other zones).
    late_item_points = _points(_("每项督办逾期扣分"), 1)
    early_item_points = _points(_("每项督办提前办结加分"), 1)
    untrue_points = _points(_("每次核查不属实扣分"), 2)
    partly_points = _points(_("每次核查部分属实扣分"), 1)
    missed_meeting_points = _points(_("每人次缺席会议扣分"), "0.5")
    instruction_points = _points(_("每次领导肯定性批示加分"), 1)
    yellow_share = models.DecimalField(
        _("黄灯项目折算"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("绿灯项目计1,红灯计0,黄灯计此值"),
    )
    request_satisfaction_share = models.DecimalField(
        _("企业诉求中满意率占比"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("企业诉求分值按此比例计满意率,其余计解决率"),
    )
    # Results.
    grade_excellent = _points(_("优秀分数线"), 90)
    grade_good = _points(_("良好分数线"), 75)
    grade_pass = _points(_("合格分数线"), 60)
    red_count = models.PositiveSmallIntegerField(_("红榜名额"), default=2)
    black_count = models.PositiveSmallIntegerField(_("黑榜名额"), default=2)
    publicity_days = models.PositiveSmallIntegerField(
        _("公示天数(工作日)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    excluded_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("不参加考核的单位")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ZoneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["zone", "unit_class", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "unit_class", "version"], name="scheme_version_unique"
            )
        ]

    def __str__(self):
        return _("%(cls)s考核方案 第%(n)s版") % {
            "cls": self.get_unit_class_display(),
            "n": self.version,
        }

    def get_absolute_url(self):
        return reverse("assessment:scheme_list")

    def weights(self) -> dict[str, Decimal]:
        return {
            "duban": self.weight_duban,
            "problems": self.weight_problems,
            "worklogs": self.weight_worklogs,
            "lights": self.weight_lights,
            "truth": self.weight_truth,
            "rating": self.weight_rating,
            "requests": self.weight_requests,
            "adjust": self.adjust_cap,
        }


SCHEME_VALUE_FIELDS = [
    "weight_duban",
    "weight_problems",
    "weight_worklogs",
    "weight_lights",
    "weight_truth",
    "weight_rating",
    "weight_requests",
    "adjust_cap",
    "late_item_points",
    "early_item_points",
    "untrue_points",
    "partly_points",
    "missed_meeting_points",
    "instruction_points",
    "yellow_share",
    "request_satisfaction_share",
    "grade_excellent",
    "grade_good",
    "grade_pass",
    "red_count",
    "black_count",
    "publicity_days",
]


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("计算中")
    PUBLICITY = "publicity", _("公示中")
    PUBLISHED = "published", _("已发布")


class Period(AuditedModel):
    """考核月份: one month of one zone's assessment and where its workflow stands."""

    zone = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("开发区"))
    month = models.DateField(_("考核月份"))  # the first day of the month
    state = models.CharField(
        _("状态"), max_length=12, choices=PeriodState.choices, default=PeriodState.DRAFT
    )
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    as_of = models.DateField(_("数据截至"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("审核人")
    )
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("发布人")
    )
    revision = models.PositiveSmallIntegerField(_("更正次数"), default=0)
    # The scheme versions the month was computed with: {class: {field: value, "version": n}}.
    schemes = models.JSONField(_("所用方案"), default=dict, blank=True)
    job_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = ZoneScopedQuerySet.as_manager()
    audit_ignore = ("job_id",)

    class Meta:
        verbose_name = _("考核月份")
        verbose_name_plural = _("考核月份")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "month"], name="assessment_period_unique")
        ]

    def __str__(self):
        return _("%(month)s考核") % {"month": formats.month(self.month)}

    def get_absolute_url(self):
        return reverse("assessment:period_detail", args=[self.pk])

    @property
    def month_end(self) -> dt.date:
        return (self.month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)

    @property
    def is_published(self) -> bool:
        return self.state == PeriodState.PUBLISHED

    def in_publicity(self, today: dt.date) -> bool:
        return (
            self.state == PeriodState.PUBLICITY
            and self.publicity_end is not None
            and today <= self.publicity_end
        )


class UnitScoreQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Leaders, the 督查室, inspectors: every unit of the zone. Unit people: their own units'
        figures, and every unit's once the month is published. Liaisons: none."""
        if sees_everything(user):
            return self.all()
        zone = permissions.user_zone(user)
        if zone is None:
            return self.none()
        mine = self.filter(period__zone=zone)
        if permissions.sees_all_scores(user):
            return mine
        return mine.filter(Q(unit__in=visible_units(user)) | Q(period__state=PeriodState.PUBLISHED))

    def editable_by(self, user):
        if permissions.can_manage_assessment(user):
            return self.visible_to(user)
        return self.none()


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class UnitScore(AuditedModel):
    """A unit's figure for a month: total, rank in its class, grade, 红榜/黑榜."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("单位"))
    unit_class = models.CharField(_("单位类别"), max_length=20, choices=UnitClass.choices)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=Decimal(0))
    rank = models.PositiveSmallIntegerField(_("排名"), default=0)
    previous_rank = models.PositiveSmallIntegerField(_("上月排名"), null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    award_blocked = models.BooleanField(_("本年度不得评优"), default=False)
    on_red_list = models.BooleanField(_("红榜"), default=False)
    on_black_list = models.BooleanField(_("黑榜"), default=False)
    met_all_targets = models.BooleanField(_("各项指标全部达标"), default=False)
    # Cadre level (item 8): each cadre's log fill rate and verification record. Shown to the
    # unit's head, leaders and the 督查室 only; never in the bulletin.
    cadres = models.JSONField(_("干部情况"), default=list, blank=True)

    objects = UnitScoreQuerySet.as_manager()
    audit_ignore = ("cadres",)  # cadre level stays off the history tab (never zone-wide)

    class Meta:
        verbose_name = _("单位得分")
        verbose_name_plural = _("单位得分")
        ordering = ["period", "unit_class", "rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unit_score_unique")]

    def __str__(self):
        return f"{self.unit} {self.period}"

    def get_absolute_url(self):
        return reverse("assessment:score_detail", args=[self.pk])

    @property
    def rank_change(self) -> int | None:
        """Places gained since last month (negative: lost)."""
        if self.previous_rank is None or not self.rank:
            return None
        return self.previous_rank - self.rank


class IndicatorScoreQuerySet(ScopedThroughParent):
    parent = "unit_score"


class IndicatorScore(AuditedModel):
    """One indicator of a unit's month: the figure and the facts behind it.

    ``facts``: [{"kind", "text", "points", "url", "day"}], what the rule counted; links open the
    records. ``computed`` keeps what the rule gave; ``score`` differs only after an appeal or a
    correction, whose reason is ``note``."""

    unit_score = models.ForeignKey(UnitScore, models.CASCADE, related_name="indicators")
    key = models.CharField(_("指标"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=30)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    computed = models.DecimalField(_("计算得分"), max_digits=6, decimal_places=2)
    summary = models.CharField(_("说明"), max_length=300, blank=True)
    facts = models.JSONField(_("事实"), default=list, blank=True)
    note = models.TextField(_("调整理由"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = IndicatorScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["unit_score", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit_score", "key"], name="indicator_score_unique")
        ]

    def __str__(self):
        return f"{self.unit_score.unit} · {self.name}"

    def get_absolute_url(self):
        return reverse("assessment:score_detail", args=[self.unit_score_id]) + f"#ind-{self.key}"

    @property
    def headroom(self) -> Decimal:
        return self.weight - self.score if self.key != "adjust" else Decimal(0)


def document_path(instance, filename: str) -> str:
    return random_name("assessment", filename)


class UnitRecordQuerySet(models.QuerySet):
    """A unit's entry for a month (加减分, 一票否决): the zone's leaders, 督查室 and inspectors
    read all; unit people their own units'; the 督查室 changes them."""

    def visible_to(self, user):
        if sees_everything(user):
            return self.all()
        zone = permissions.user_zone(user)
        if zone is None:
            return self.none()
        mine = self.filter(period__zone=zone)
        if permissions.sees_all_scores(user):
            return mine
        return mine.filter(unit__in=visible_units(user))

    def editable_by(self, user):
        if permissions.can_manage_assessment(user):
            return self.visible_to(user)
        return self.none()


class Adjustment(AuditedModel):
    """加减分: a commendation (+) or criticism (−) with its reason and document, entered by the
    督查室; the month's sum per unit is capped by the scheme."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("单位"))
    points = models.DecimalField(
        _("分值"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=_("加分为正,减分为负"),
    )
    reason = models.TextField(_("理由"))
    document = models.FileField(_("依据文件"), upload_to=document_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"))

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("加减分")
        verbose_name_plural = _("加减分")
        ordering = ["period", "unit__path", "entered_at"]

    def __str__(self):
        return f"{self.unit} {self.points:+}"

    def get_absolute_url(self):
        return self.period.get_absolute_url() + "#adjustments"


class Veto(AuditedModel):
    """一票否决: a major safety or integrity incident. The unit goes to the bottom of its class
    and is not on any 红榜 for the rest of the year."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="vetoes")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("单位"))
    reason = models.TextField(_("否决理由"))
    entered_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"))

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("一票否决")
        verbose_name_plural = _("一票否决")
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="veto_unique")]

    def __str__(self):
        return f"{self.unit} 一票否决"

    def get_absolute_url(self):
        return self.period.get_absolute_url() + "#vetoes"


class LeaderRatingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The zone's leaders, 督查室 and inspectors (a rater's score is not the unit's to see:
        the unit sees the average in its figure)."""
        if sees_everything(user):
            return self.all()
        zone = permissions.user_zone(user)
        if zone is None or not permissions.sees_all_scores(user):
            return self.none()
        return self.filter(period__zone=zone)

    def editable_by(self, user):
        """A leader their own ratings; admins all."""
        if sees_everything(user):
            return self.all()
        person = person_of(user)
        if person is None or not permissions.can_rate(user):
            return self.none()
        return self.visible_to(user).filter(rater=person)


class LeaderRating(AuditedModel):
    """分管领导评分: a leader's score (0–100) of a unit for a month."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="ratings")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("单位"))
    rater = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("评分领导"))
    score = models.DecimalField(
        _("评分"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment = models.CharField(_("评语"), max_length=200, blank=True)
    rated_at = models.DateTimeField(_("评分时间"))

    objects = LeaderRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("分管领导评分")
        verbose_name_plural = _("分管领导评分")
        ordering = ["period", "unit__path", "rater__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "rater"], name="rating_unique")
        ]

    def __str__(self):
        return f"{self.rater.name} → {self.unit} {self.score}"

    def get_absolute_url(self):
        return reverse("assessment:rating", args=[self.period_id])


class InstructionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self.all()
        zone = permissions.user_zone(user)
        if zone is None:
            return self.none()
        mine = self.filter(unit__path__startswith=zone.path)
        if permissions.sees_all_scores(user):
            return mine
        return mine.filter(unit__in=visible_units(user))

    def editable_by(self, user):
        if permissions.can_record_instruction(user):
            return self.visible_to(user)
        return self.none()


class Instruction(AuditedModel):
    """A leader's approving 批示 (肯定性批示) on a unit's work, optionally on a 督办 item:
    a bonus in the month it was given."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("单位"))
    item = models.ForeignKey(
        SupervisionItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("督办事项"),
    )
    leader = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("批示领导"))
    day = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    entered_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )

    objects = InstructionQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-day", "-pk"]
        indexes = [models.Index(fields=["unit", "day"], name="instruction_unit_day_idx")]

    def __str__(self):
        return f"{self.leader.name}批示 · {self.unit}"

    def get_absolute_url(self):
        return reverse("assessment:instruction_list")


class AppealQuerySet(ScopedThroughParent):
    parent = "indicator"


class Appeal(AuditedModel):
    """申诉: the unit head disputes one indicator during 公示, with reason and evidence; the
    督查室 upholds (a new figure, the reason kept on the indicator) or refuses it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        UPHELD = "upheld", _("申诉成立")
        REFUSED = "refused", _("申诉不成立")

    indicator = models.ForeignKey(IndicatorScore, models.CASCADE, related_name="appeals")
    filed_by = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("申诉人"))
    filed_at = models.DateTimeField(_("申诉时间"))
    reason = models.TextField(_("申诉理由"))
    evidence = models.FileField(_("佐证材料"), upload_to=document_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    status = models.CharField(
        _("处理结果"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("处理人")
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision = models.TextField(_("处理意见"), blank=True)
    old_score = models.DecimalField(
        _("原得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    new_score = models.DecimalField(
        _("调整后得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.indicator} 申诉"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()


class RevisionQuerySet(ScopedThroughParent):
    parent = "period"


class Revision(AuditedModel):
    """更正: a change to a published month, visible with its reason. ``changes`` lists
    [{"unit", "indicator", "old", "new"}]."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("更正序号"))
    reason = models.TextField(_("更正理由"))
    changes = models.JSONField(_("更正内容"), default=list)
    made_by = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("更正人"))
    made_at = models.DateTimeField(_("更正时间"))

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核更正")
        verbose_name_plural = _("考核更正")
        ordering = ["period", "number"]
        constraints = [models.UniqueConstraint(fields=["period", "number"], name="revision_unique")]

    def __str__(self):
        return f"{self.period} 第{self.number}次更正"

    def get_absolute_url(self):
        return self.period.get_absolute_url() + "#revisions"
