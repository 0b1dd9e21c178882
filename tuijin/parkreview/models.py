"""The quarterly park review (观摩拉练, DESIGN §3): the tour plan, the evaluators' scores, the
ranking and the awards.

A review (``ParkReview``) per zone and quarter holds its own rules (the stop proposal's
thresholds, the weights, when the highest and lowest scores are dropped), copied forward from
the zone's last review, so changing them for the next quarter never changes a published one.
Each park taking part is a ``ParkEntry`` (its route position, its stops, and once published its
frozen figures and rank); evaluators (``Evaluator``) score each park on the review's criteria
(``Criterion``) in a ``ScoreSheet`` of their own. Awards (``AwardKind``: 流动红旗 to the first,
蜗牛奖 to the last) are given when the review is published (``Award``).

Who sees what (``visible_to``): the zone's leaders, 督查室 and inspectors every review of their
zone; a park's people the reviews their park takes part in and its figures; an evaluator the
reviews they score and their own sheets only; once published, the ranking is the zone's.
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
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.projects.models import Project
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.permissions import can_assign_items

ZERO = Decimal(0)


def _who(user):
    """(person, sees everything, zone-wide role) for the scoping rules below."""
    from tuijin.org.access import ZONE_WIDE_ROLES, person_of, role_of, sees_everything
    from tuijin.org.models import Role

    if sees_everything(user):
        return None, True, True
    person = person_of(user)
    if person is None or role_of(user) == Role.LIAISON:
        return None, False, False
    return person, False, person.role in ZONE_WIDE_ROLES


class State(models.TextChoices):
    PLANNING = "planning", _("编排路线")
    SCORING = "scoring", _("观摩评分")
    PUBLISHED = "published", _("已发布")


class ParkReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Zone-wide roles: their zone's reviews; evaluators: those they score; park people:
        those their park takes part in; everyone in the zone: the published ones."""
        from tuijin.org.access import visible_units, zone_units

        person, everything, zone_wide = _who(user)
        if everything:
            return self.all()
        if person is None:
            return self.none()
        if zone_wide:
            return self.filter(zone__in=visible_units(user))
        rule = (
            Q(evaluators__person=person)
            | Q(entries__park__in=visible_units(user))
            | Q(state=State.PUBLISHED, zone__in=zone_units(user))
        )
        return self.filter(pk__in=ParkReview.objects.filter(rule).values("pk"))

    def editable_by(self, user):
        """Those who run reviews (zone leaders, 督查室, admins: ``permissions.can_manage_reviews``,
        which is who assigns 督办 items) change every review they see."""
        return self.visible_to(user) if can_assign_items(user) else self.none()


class ParkReview(VersionedModel, AuditedModel):
    """One quarter's park review (季度观摩拉练) of a zone, with its rules."""

    zone = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="park_reviews",
        limit_choices_to={"kind": UnitKind.ZONE},
        verbose_name=_("开发区"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    title = models.CharField(_("名称"), max_length=200)
    tour_date = models.DateField(_("观摩日期"))
    start_time = models.TimeField(_("出发时间"))
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.PLANNING
    )
    # The stop proposal: 看新不看旧、看大不看小.
    stops_per_park = models.PositiveSmallIntegerField(
        _("每个园区观摩点数"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    exclude_quarters = models.PositiveSmallIntegerField(
        _("近几个季度观摩过的项目不再观摩"),
        default=2,
        validators=[MaxValueValidator(12)],
    )
    min_invest_share = models.DecimalField(
        _("累计完成投资占总投资不足(%)的项目不观摩"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    stop_minutes = models.PositiveSmallIntegerField(_("每个观摩点停留(分钟)"), default=30)
    travel_minutes = models.PositiveSmallIntegerField(_("观摩点之间路程(分钟)"), default=15)
    # Scoring.
    subjective_weight = models.DecimalField(
        _("评委评分权重(%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(70),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("综合得分 = 评委评分 × 权重 + 台账客观分 × (100% − 权重)"),
    )
    trim_from = models.PositiveSmallIntegerField(
        _("评委达到几人时去掉一个最高分和一个最低分"),
        default=5,
        validators=[MinValueValidator(3)],
    )
    plan_points = models.PositiveSmallIntegerField(_("客观分:年度投资完成(分)"), default=50)
    start_points = models.PositiveSmallIntegerField(_("客观分:计划开工(分)"), default=25)
    light_points = models.PositiveSmallIntegerField(_("客观分:项目灯色(分)"), default=25)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = ParkReviewQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("观摩拉练")
        verbose_name_plural = _("观摩拉练")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "quarter"], name="parkreview_one_per_quarter"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("parkreview:review_detail", args=[self.pk])

    @property
    def quarter_label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED


class ReviewChildQuerySet(ScopedThroughParent):
    """Evaluators, criteria and stops are seen and changed as their review."""

    parent = "review"


class Evaluator(AuditedModel):
    """A person named to score the parks of one review (评委)."""

    review = models.ForeignKey(ParkReview, models.CASCADE, related_name="evaluators")
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="park_reviews", verbose_name=_("评委")
    )

    objects = ReviewChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["review", "person__unit__path", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="parkreview_evaluator_once")
        ]

    def __str__(self):
        return self.person.name

    def get_absolute_url(self):
        return self.review.get_absolute_url()


class Criterion(AuditedModel):
    """A criterion (评分项) of one review; its weight is the most points it gives."""

    review = models.ForeignKey(ParkReview, models.CASCADE, related_name="criteria")
    name = models.CharField(_("评分项"), max_length=50)
    weight = models.DecimalField(
        _("分值"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(100)],
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = ReviewChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["review", "sort_order", "pk"]

    def __str__(self):
        return f"{self.name}({self.weight}分)"

    def get_absolute_url(self):
        return self.review.get_absolute_url()


class ParkEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A park in a review: the zone's leaders and 督查室, the park's own people, the
        review's evaluators (the park's stops; its figures are shown by ``can_see_figures``),
        and everyone in the zone once the review is published."""
        from tuijin.org.access import visible_units, zone_units

        person, everything, zone_wide = _who(user)
        if everything:
            return self.all()
        if person is None:
            return self.none()
        if zone_wide:
            return self.filter(review__zone__in=visible_units(user))
        rule = (
            Q(park__in=visible_units(user))
            | Q(review__evaluators__person=person)
            | Q(review__state=State.PUBLISHED, review__zone__in=zone_units(user))
        )
        return self.filter(pk__in=ParkEntry.objects.filter(rule).values("pk"))

    def editable_by(self, user):
        return self.visible_to(user) if can_assign_items(user) else self.none()


class ParkEntry(AuditedModel):
    """A park taking part in a review: its place on the route, and once the review is
    published its frozen figures, rank and (the last park) its pledge (表态)."""

    review = models.ForeignKey(ParkReview, models.CASCADE, related_name="entries")
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="park_review_entries",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("园区"),
    )
    position = models.PositiveSmallIntegerField(_("观摩顺序"), default=0)
    # Frozen at publishing (services.publish_review); None before.
    objective = models.DecimalField(
        _("台账客观分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    subjective = models.DecimalField(
        _("评委评分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    final = models.DecimalField(
        _("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    figures = models.JSONField(_("计分依据"), default=dict, blank=True)
    pledge = models.TextField(_("表态发言"), blank=True)
    pledge_item = models.ForeignKey(
        SupervisionItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("表态督办事项"),
    )

    objects = ParkEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("参评园区")
        verbose_name_plural = _("参评园区")
        ordering = ["review", "position", "park__path"]
        constraints = [
            models.UniqueConstraint(fields=["review", "park"], name="parkreview_park_once")
        ]

    def __str__(self):
        return f"{self.review.quarter_label} · {self.park.name}"

    def get_absolute_url(self):
        return reverse("parkreview:entry_detail", args=[self.pk])


class Stop(AuditedModel):
    """A stop (观摩点) of the route: a project of the park, when the group arrives there and
    how long it stays; ``reason`` says why the rule proposed it."""

    review = models.ForeignKey(ParkReview, models.CASCADE, related_name="stops")
    entry = models.ForeignKey(ParkEntry, models.CASCADE, related_name="stops")
    project = models.ForeignKey(
        Project, models.PROTECT, related_name="review_stops", verbose_name=_("项目")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    arrive_at = models.TimeField(_("到达时间"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("停留(分钟)"), default=30)
    reason = models.CharField(_("推荐理由"), max_length=200, blank=True)

    objects = ReviewChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("观摩点")
        verbose_name_plural = _("观摩点")
        ordering = ["review", "entry__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "project"], name="parkreview_stop_once")
        ]

    def __str__(self):
        return f"{self.entry.park.name} · {self.project.name}"

    def get_absolute_url(self):
        return self.review.get_absolute_url() + "#route"


class ScoreSheetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An evaluator's own sheets; the zone's leaders, 督查室 and inspectors all of them."""
        from tuijin.org.access import visible_units

        person, everything, zone_wide = _who(user)
        if everything:
            return self.all()
        if person is None:
            return self.none()
        if zone_wide:
            return self.filter(entry__review__zone__in=visible_units(user))
        return self.filter(evaluator=person)

    def editable_by(self, user):
        """Only the evaluator changes their sheet (while the review is being scored)."""
        from tuijin.org.access import can_write, person_of

        person = person_of(user)
        if person is None or not can_write(user):
            return self.none()
        return self.filter(evaluator=person)


class ScoreSheet(VersionedModel, AuditedModel):
    """One evaluator's scores of one park: points per criterion (``{criterion pk: "8.5"}``),
    notes taken at each stop (``{stop pk: "…"}``) and a closing remark."""

    entry = models.ForeignKey(ParkEntry, models.CASCADE, related_name="sheets")
    evaluator = models.ForeignKey(
        Person, models.PROTECT, related_name="park_score_sheets", verbose_name=_("评委")
    )
    points = models.JSONField(_("各项得分"), default=dict)
    stop_notes = models.JSONField(_("观摩点记录"), default=dict, blank=True)
    remark = models.TextField(_("总体评价"), blank=True)
    total = models.DecimalField(_("合计"), max_digits=6, decimal_places=2, default=ZERO)
    submitted_at = models.DateTimeField(_("提交时间"))

    objects = ScoreSheetQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["entry", "evaluator__name"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "evaluator"], name="parkreview_sheet_once")
        ]

    def __str__(self):
        return f"{self.evaluator.name} · {self.entry.park.name}"

    def get_absolute_url(self):
        return reverse("parkreview:sheet_detail", args=[self.pk])


class AwardKind(EditableList):
    """An award of the review (流动红旗, 蜗牛奖, 黄牌): given to the first or the last park
    when a review is published. Kept by admins; the defaults are installed by migration."""

    class GivenTo(models.TextChoices):
        FIRST = "first", _("第一名")
        LAST = "last", _("最后一名")

    DEFAULTS = [("流动红旗", "first", True), ("蜗牛奖", "last", True), ("黄牌", "last", False)]

    name = models.CharField(_("奖项"), max_length=30, unique=True)
    given_to = models.CharField(_("授予"), max_length=10, choices=GivenTo.choices)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("观摩奖项")
        verbose_name_plural = _("观摩奖项")
        ordering = ["sort_order", "name"]

    def get_absolute_url(self):
        return reverse("parkreview:awards")

    @classmethod
    def ensure_defaults(cls) -> None:
        for order, (name, given_to, active) in enumerate(cls.DEFAULTS):
            cls.objects.get_or_create(
                name=name,
                defaults={"given_to": given_to, "is_active": active, "sort_order": order * 10},
            )


class AwardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Given only when a review is published: the zone's to see."""
        from tuijin.org.access import zone_units

        person, everything, _zone_wide = _who(user)
        if everything:
            return self.all()
        if person is None:
            return self.none()
        return self.filter(review__zone__in=zone_units(user))

    def editable_by(self, user):
        return self.none()  # given by publishing (services.publish_review), never edited


class Award(AuditedModel):
    """An award given to a park by a published review: the holders' history."""

    review = models.ForeignKey(ParkReview, models.CASCADE, related_name="awards")
    kind = models.ForeignKey(AwardKind, models.PROTECT, related_name="awards")
    entry = models.ForeignKey(ParkEntry, models.CASCADE, related_name="awards")

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("获奖")
        verbose_name_plural = _("获奖")
        ordering = ["kind__sort_order", "-review__year", "-review__quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind", "entry"], name="parkreview_award_once"
            )
        ]

    def __str__(self):
        return f"{self.review.quarter_label} {self.kind.name}:{self.entry.park.name}"

    def get_absolute_url(self):
        return reverse("parkreview:awards")
