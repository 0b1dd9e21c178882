"""The project ledger (项目台账): enterprises, projects, approvals, milestones, reports."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core import formats
from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.core.models import EditableList
from tuijin.core.versions import VersionedModel
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.projects.permissions import ledger_edit_scope
from tuijin.projects.reasons import reason_text
from tuijin.projects.validators import validate_credit_code


class Light(models.TextChoices):
    """红黄绿灯; ordered worst last so max() picks the worst."""

    GREEN = "green", _("绿")
    YELLOW = "yellow", _("黄")
    RED = "red", _("红")


LIGHT_RANK = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


def pinyin_key(text: str) -> str:
    """Search key: the text, its pinyin initials and full pinyin (犇星 → "犇星 bx benxing").

    One pypinyin pass (the import keys thousands of names): a syllable's initial is its first
    letter; text without pinyin (marked with a leading NUL) is kept whole in both."""
    # Imported here: pypinyin loads its phrase dictionary on import (~1.4 s of CPU), which
    # every process (each manage.py command, test worker, gunicorn worker) would otherwise pay.
    from pypinyin import lazy_pinyin

    items = lazy_pinyin(text, errors=lambda chars: "\0" + chars)
    initials = "".join(item[1:] if item[:1] == "\0" else item[:1] for item in items)
    full = "".join(item.lstrip("\0") for item in items)
    return f"{text} {initials} {full}".lower()


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from tuijin.org.access import person_of, unit_scope

        rule = unit_scope(user).rule("unit", "park")
        if rule is None:
            return self.all()
        if person := person_of(user):
            leads = Enterprise.leaders.through.objects.filter(person=person)
            rule |= Q(pk__in=leads.values("enterprise_id")) | Q(liaison=person)
        return self.filter(rule)

    def editable_by(self, user):
        """The query form of ``permissions.can_edit_enterprise``."""
        return self.visible_to(user).filter(ledger_edit_scope(user))


class Enterprise(AuditedModel):
    """An enterprise (企业) in the zone; key enterprises have assigned leaders (包保)."""

    name = models.CharField(_("企业名称"), max_length=200, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    industry = models.CharField(_("所属行业"), max_length=100, blank=True)
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="park_enterprises",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("所在园区"),
    )
    is_key = models.BooleanField(_("重点企业"), default=False)
    liaison = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_enterprises",
        verbose_name=_("企业联络人"),
    )
    leaders = models.ManyToManyField(
        Person, blank=True, related_name="assigned_enterprises", verbose_name=_("包保领导")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="enterprises", verbose_name=_("责任单位")
    )
    search_text = models.CharField(max_length=500, blank=True, editable=False)

    objects = EnterpriseQuerySet.as_manager()
    audit_ignore = ("search_text",)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="enterprise_credit_code_unique",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:enterprise_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = pinyin_key(self.name)
        super().save(*args, **kwargs)


class IndustryTag(models.Model):
    """Industry tag (产业标签): 新能源, 新材料, 医药 …"""

    name = models.CharField(_("标签"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("产业标签")
        verbose_name_plural = _("产业标签")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(models.TextChoices):
    INDUSTRY = "industry", _("产业项目")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    SOCIAL = "social", _("社会事业")
    OTHER = "other", _("其他")


class KeyLevel(models.TextChoices):
    PROVINCE = "province", _("省级重点")
    CITY = "city", _("市级重点")
    DISTRICT = "district", _("区级重点")
    NONE = "", _("一般项目")


class Stage(models.TextChoices):
    PLANNING = "planning", _("谋划")
    SIGNED = "signed", _("签约")
    PREPARING = "preparing", _("前期")
    CONSTRUCTION = "construction", _("在建")
    COMPLETED = "completed", _("竣工")
    OPERATING = "operating", _("投产")
    SUSPENDED = "suspended", _("停缓建")


NOT_STARTED_STAGES = {Stage.PLANNING, Stage.SIGNED, Stage.PREPARING}
REPORTING_STAGES = {Stage.SIGNED, Stage.PREPARING, Stage.CONSTRUCTION}


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Own unit subtree (responsible unit or park), assigned leaders, liaison's enterprises."""
        from tuijin.org.access import unit_scope

        rule = unit_scope(user).rule("unit", "park")
        if rule is None:
            return self.all()
        # Every branch an indexed column against a list, never a join through the
        # many-to-many links (no duplicates, no DISTINCT) nor a subquery (which would make
        # PostgreSQL read the whole table instead of OR-ing index scans) (B12).
        return self.filter(rule | Q(pk__in=personal_projects(user)))

    def editable_by(self, user):
        """The query form of ``permissions.can_edit_project``: one rule, two forms."""
        return self.visible_to(user).filter(ledger_edit_scope(user))


def personal_projects(user) -> list[int]:
    """Ids of the projects a user sees as a person rather than through their units: those
    they are 包保 leader of, and those of the enterprises they are liaison for. Worked out
    once per request (cached on the user object, as ``person_of`` is)."""
    from tuijin.org.access import person_of

    if not hasattr(user, "_tuijin_personal_projects"):
        ids = []
        if person := person_of(user):
            leads = Project.leaders.through.objects.filter(person=person)
            owned = Project.enterprises.through.objects.filter(enterprise__liaison=person)
            ids = list(
                leads.values_list("project_id", flat=True).union(
                    owned.values_list("project_id", flat=True)
                )
            )
        user._tuijin_personal_projects = ids
    return user._tuijin_personal_projects


class ProjectChildQuerySet(ScopedThroughParent):
    """Plans, approvals, milestones, reports and files are read and changed as their project."""

    parent = "project"


class Project(VersionedModel, AuditedModel):
    """A project (项目) of the ledger."""

    code = models.CharField(_("项目编号"), max_length=30, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="park_projects",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("所属园区"),
    )
    enterprises = models.ManyToManyField(
        Enterprise, blank=True, related_name="projects", verbose_name=_("业主企业")
    )
    content = models.TextField(_("建设内容"), blank=True)
    category = models.CharField(
        _("项目类别"), max_length=20, choices=Category.choices, default=Category.INDUSTRY
    )
    tags = models.ManyToManyField(IndustryTag, blank=True, verbose_name=_("产业标签"))
    key_level = models.CharField(
        _("重点级别"), max_length=20, choices=KeyLevel.choices, default="", blank=True
    )
    stage = models.CharField(
        _("项目阶段"), max_length=20, choices=Stage.choices, default=Stage.PREPARING
    )
    total_investment = models.DecimalField(
        _("总投资(万元)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    planned_start = models.DateField(_("计划开工"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工"), null=True, blank=True)
    planned_completion = models.DateField(_("计划竣工"), null=True, blank=True)
    actual_completion = models.DateField(_("实际竣工"), null=True, blank=True)
    planned_operation = models.DateField(_("计划投产"), null=True, blank=True)
    actual_operation = models.DateField(_("实际投产"), null=True, blank=True)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="projects", verbose_name=_("责任单位")
    )
    leaders = models.ManyToManyField(
        Person, blank=True, related_name="assigned_projects", verbose_name=_("包保领导")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Derived, recomputed by services.refresh_light whenever facts change.
    light = models.CharField(_("灯色"), max_length=10, choices=Light.choices, default=Light.GREEN)
    light_reasons = models.JSONField(_("灯色原因"), default=list, blank=True)
    light_since = models.DateTimeField(_("灯色起始"), null=True, blank=True)
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()
    audit_ignore = ("light", "light_reasons", "light_since", "search_text", "version")

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["park__path", "code"]
        indexes = [
            models.Index(fields=["light"], name="project_light_idx"),
            models.Index(fields=["stage"], name="project_stage_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = pinyin_key(f"{self.name} {self.code}")
        super().save(*args, **kwargs)

    @property
    def light_reason_texts(self) -> list[str]:
        """The reasons in the reader's language (``lights.reason_text``)."""
        return [reason_text(reason) for reason in self.light_reasons]

    @property
    def light_reasons_shown(self) -> list[dict]:
        """The stored reasons with ``text`` in the reader's language, for templates."""
        return [reason | {"text": reason_text(reason)} for reason in self.light_reasons]

    @property
    def light_summary(self) -> str:
        return ";".join(self.light_reason_texts)


class AnnualPlan(VersionedModel, AuditedModel):
    """Investment planned for one year (年度计划投资)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="annual_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(
        _("计划投资(万元)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = ProjectChildQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="annual_plan_unique_year")
        ]

    def __str__(self):
        return f"{self.project} {self.year}年"

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class ApprovalType(EditableList):
    """An entry of the pre-construction checklist (前期手续), editable by admins.

    Migration 0002 installs ``DEFAULTS``; ``ensure_defaults()`` restores them (demo, tests).
    """

    DEFAULTS = [
        "立项备案",
        "用地预审与选址",
        "土地供应",
        "建设用地规划许可",
        "工程规划许可",
        "环评",
        "能评",
        "施工图审查",
        "施工许可",
    ]

    name = models.CharField(_("手续名称"), max_length=50, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("前期手续类型")
        verbose_name_plural = _("前期手续类型")
        ordering = ["sort_order", "name"]


class Approval(VersionedModel, AuditedModel):
    """One pre-construction approval of a project, with planned and actual dates."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="approvals")
    kind = models.ForeignKey(ApprovalType, models.PROTECT, verbose_name=_("手续"))
    planned_date = models.DateField(_("计划办结"), null=True, blank=True)
    actual_date = models.DateField(_("实际办结"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ProjectChildQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("前期手续")
        verbose_name_plural = _("前期手续")
        ordering = ["project", "kind__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="approval_unique_kind")
        ]

    def __str__(self):
        return f"{self.project} · {self.kind}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class Milestone(VersionedModel, AuditedModel):
    """A dated milestone (节点) of a project."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="milestones")
    name = models.CharField(_("节点"), max_length=100)
    due_date = models.DateField(_("计划完成"))
    done_date = models.DateField(_("实际完成"), null=True, blank=True)

    objects = ProjectChildQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["project", "due_date"]

    def __str__(self):
        return f"{self.project} · {self.name}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class ProgressReport(AuditedModel):
    """A progress report (进度填报) for one reporting period."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="reports")
    period_start = models.DateField(_("填报周期开始"))
    period_end = models.DateField(_("填报周期结束"))
    narrative = models.TextField(_("进展情况"))
    progress = models.PositiveSmallIntegerField(
        _("形象进度(%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    investment = models.DecimalField(
        _("本期完成投资(万元)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    problems = models.TextField(_("存在问题"), blank=True)
    progress_drop_reason = models.TextField(
        _("进度回退原因"),
        blank=True,
        help_text=_("形象进度低于上期时必填:说明为何回退(如核减、返工、口径调整)。"),
    )
    submitted_by = models.ForeignKey(
        Person, models.PROTECT, null=True, related_name="+", verbose_name=_("填报人")
    )
    submitted_at = models.DateTimeField(_("填报时间"))

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("进度填报")
        verbose_name_plural = _("进度填报")
        ordering = ["project", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start"], name="report_unique_period")
        ]
        indexes = [models.Index(fields=["period_start"], name="report_period_idx")]

    def __str__(self):
        return f"{self.project} · {formats.day(self.period_start)}"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + f"#report-{self.pk}"


def upload_path(instance, filename: str) -> str:
    return random_name("projects", filename)


class ProjectFile(AuditedModel):
    """A photo or document of a project, optionally attached to a progress report."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        DOCUMENT = "document", _("文件")

    project = models.ForeignKey(Project, models.CASCADE, related_name="files")
    report = models.ForeignKey(
        ProgressReport, models.CASCADE, null=True, blank=True, related_name="files"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=upload_path)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_by = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目附件")
        verbose_name_plural = _("项目附件")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.caption or self.original_name or (self.file.name or "").rsplit("/", 1)[-1]

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class PeriodLight(models.Model):
    """The light a project had for one reporting period, frozen when the period closed.

    Made-up reports later can lift a red period to yellow, never to green.
    """

    project = models.ForeignKey(Project, models.CASCADE, related_name="period_lights")
    period_start = models.DateField(_("周期开始"))
    light = models.CharField(_("灯色"), max_length=10, choices=Light.choices)
    reasons = models.JSONField(_("原因"), default=list)
    frozen_light = models.CharField(_("周期结束时灯色"), max_length=10, choices=Light.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("周期灯色")
        verbose_name_plural = _("周期灯色")
        ordering = ["project", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period_start"], name="period_light_unique")
        ]

    def __str__(self):
        return f"{self.project} {self.period_start} {self.light}"

    @property
    def reasons_shown(self) -> list[dict]:
        """The reasons with ``text`` in the reader's language (``reasons.reason_text``)."""
        return [reason | {"text": reason_text(reason)} for reason in self.reasons]
