"""Problems (问题), supervision items (督办事项), feedback, on-site verification, evidence."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core import formats
from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.core.models import EditableList
from tuijin.org.access import (
    READ_ONLY_ROLES,
    person_of,
    role_of,
    sees_everything,
    unit_scope,
    visible_units,
)
from tuijin.org.models import Person, Role, Unit
from tuijin.projects.models import Enterprise, ProgressReport, Project, personal_projects


class HolidayOverrideQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The holiday calendar is public to every user: deadlines are computed from it."""
        return self.all()

    def editable_by(self, user):
        """Only administrators set it (the admin page 节假日调整)."""
        return self.all() if sees_everything(user) else self.none()


class HolidayOverride(AuditedModel):
    """A day whose working status an admin sets by hand: the announced 调休 arrangement of a
    year `chinese-calendar` lacks (make-up working days, bridging days off), or a correction.
    A year with at least one row counts as entered (see workdays.py)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否上班"), help_text=_("勾选为上班(含调休上班),不勾选为休息")
    )
    note = models.CharField(_("说明"), max_length=50, blank=True, help_text=_("如:春节、调休上班"))

    objects = HolidayOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.note}".strip()

    def get_absolute_url(self):
        return reverse("admin:supervision_holidayoverride_change", args=[self.pk])


class ProblemCategory(EditableList):
    """Editable list: 土地指标, 能耗指标, 绿电保障 … (migration 0002 installs ``DEFAULTS``)."""

    DEFAULTS = [
        "土地指标",
        "能耗指标",
        "绿电保障",
        "产业配套",
        "审批手续",
        "征迁与违建",
        "资金",
        "水电气",
        "用工",
        "其他",
    ]

    name = models.CharField(_("类别"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["sort_order", "name"]


# Who works 督办 items and problems (the per-verb rules are in permissions.py).
ASSIGNER_ROLES = frozenset({Role.ZONE_LEADER, Role.SUPERVISOR})
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_STAFF, Role.CADRE})


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Owned by the user's units, on a project/enterprise the user sees, or raised by them."""
        rule = unit_scope(user).rule("unit")
        if rule is None:
            return self.all()
        rule |= Q(project__in=Project.objects.visible_to(user).values("pk")) | Q(
            enterprise__in=Enterprise.objects.visible_to(user).values("pk")
        )
        if person := person_of(user):
            rule |= Q(raised_by=person)
        return self.filter(rule)

    def editable_by(self, user):
        """Problems owned by a unit in the user's scope, for the unit side and the zone's
        leaders and 督查室. An enterprise liaison sees their enterprise's problems (and may
        raise one) but does not settle them; inspectors only read."""
        if sees_everything(user):
            return self.visible_to(user)
        if role_of(user) not in ASSIGNER_ROLES | UNIT_ROLES:
            return self.none()
        return self.visible_to(user).filter(unit__in=visible_units(user))


class Problem(AuditedModel):
    """A problem (问题 / 疑难杂症) met by a project or enterprise."""

    class Source(models.TextChoices):
        REPORT = "report", _("进度填报")
        VISIT = "visit", _("走访")
        MEETING = "meeting", _("会议")
        ONSITE = "onsite", _("现场办公")
        DIRECT = "direct", _("直接提出")

    class Level(models.TextChoices):
        UNIT = "unit", _("单位")
        LEADER = "leader", _("领导")
        MEETING = "meeting", _("会议")

    class Status(models.TextChoices):
        OPEN = "open", _("待解决")
        COORDINATING = "coordinating", _("协调中")
        RESOLVED = "resolved", _("已解决")
        REPORTED_UP = "reported_up", _("已上报")

    project = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("项目"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("企业"),
    )
    category = models.ForeignKey(ProblemCategory, models.PROTECT, verbose_name=_("类别"))
    description = models.TextField(_("问题描述"))
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.DIRECT
    )
    report = models.ForeignKey(
        ProgressReport,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_problems",
        verbose_name=_("来源填报"),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="problems", verbose_name=_("责任单位")
    )
    raised_by = models.ForeignKey(
        Person, models.PROTECT, null=True, related_name="+", verbose_name=_("提出人")
    )
    raised_at = models.DateTimeField(_("提出时间"))
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default=Level.UNIT)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("解决情况"), blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProblemQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status", "level"], name="problem_status_level_idx")]

    def __str__(self):
        return self.description[:40]

    def get_absolute_url(self):
        return reverse("supervision:problem_detail", args=[self.pk])

    @property
    def subject(self):
        return self.project or self.enterprise

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.COORDINATING}


class ItemState(models.TextChoices):
    """督办 states, DESIGN §3. 退回 is a transition back to 办理中, not a state."""

    ASSIGNED = "assigned", _("交办")
    ACCEPTED = "accepted", _("签收")
    IN_PROGRESS = "in_progress", _("办理中")
    REPORTED = "reported", _("反馈")
    VERIFYING = "verifying", _("核查")
    CLOSED = "closed", _("办结")
    CANCELLED = "cancelled", _("撤销")


OPEN_STATES = {
    ItemState.ASSIGNED,
    ItemState.ACCEPTED,
    ItemState.IN_PROGRESS,
    ItemState.REPORTED,
    ItemState.VERIFYING,
}


def co_operated_items(user) -> list[int]:
    """Ids of the items a unit in the user's scope co-operates on (配合) while the lead unit
    is outside it, which the lead-unit condition misses: usually none. One query (an anti-join
    of two index scans), once per request (cached on the user object, as ``person_of`` is)."""
    if not hasattr(user, "_tuijin_co_operated_items"):
        ids = unit_scope(user).unit_ids
        led_inside = SupervisionItem.objects.filter(
            pk=OuterRef("supervisionitem_id"), lead_unit_id__in=ids
        )
        links = SupervisionItem.co_units.through.objects.filter(unit_id__in=ids)
        user._tuijin_co_operated_items = list(
            links.exclude(Exists(led_inside))
            .values_list("supervisionitem_id", flat=True)
            .distinct()
        )
    return user._tuijin_co_operated_items


class SupervisionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lead or co-unit in the user's scope, the item's people, the project's 包保 leaders."""
        scope = unit_scope(user)
        rule = scope.rule("lead_unit")
        if rule is None:
            return self.all()
        # Every branch an indexed column against a list (no join through the many-to-many
        # links, no subquery), so PostgreSQL ORs index scans instead of reading every item.
        rule |= Q(pk__in=co_operated_items(user))
        if person := person_of(user):
            rule |= (
                Q(assigner=person)
                | Q(responsible=person)
                | Q(project_id__in=personal_projects(user))
            )
        return self.filter(rule)

    def editable_by(self, user):
        """Items the user may act on at all: the zone's leaders and 督查室, the assigner, the
        responsible person, and unit people of the lead unit (or a unit under it). Co-units
        and inspectors read only; which verb each may do is in permissions.py."""
        if sees_everything(user):
            return self.visible_to(user)
        person = person_of(user)
        if person is None or person.role in READ_ONLY_ROLES or person.role == Role.LIAISON:
            return self.none()
        if person.role in ASSIGNER_ROLES:
            return self.visible_to(user)
        rule = Q(responsible=person) | Q(assigner=person)
        if person.role in UNIT_ROLES:
            # The lead unit is the person's unit or above it (see permissions.is_unit_side).
            rule |= Q(lead_unit__path__in=[*person.unit.ancestor_paths(), person.unit.path])
        return self.visible_to(user).filter(rule)

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class SupervisionItem(AuditedModel):
    """A 督办 item: a requirement with a testable result, a lead unit and a hard deadline."""

    class Source(models.TextChoices):
        ONSITE = "onsite", _("现场交办")
        MEETING = "meeting", _("会议决定")
        INSTRUCTION = "instruction", _("领导批示")
        PROBLEM = "problem", _("问题升级")
        ASSESSMENT = "assessment", _("考核发现")

    class DeadlineMode(models.TextChoices):
        DATE = "date", _("指定日期")
        CALENDAR_DAYS = "calendar", _("自然日")
        WORKING_DAYS = "working", _("工作日")

    title = models.CharField(_("事项"), max_length=200)
    requirement = models.TextField(_("工作要求"))
    result_standard = models.TextField(
        _("成效标准"), help_text=_("到期时要看到的结果,如:两处违章建筑拆除、场地清表")
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.ONSITE
    )
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("项目"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("企业"),
    )
    problem = models.ForeignKey(
        Problem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("问题"),
    )
    assigner = models.ForeignKey(
        Person, models.PROTECT, related_name="assigned_items", verbose_name=_("交办人")
    )
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="lead_items", verbose_name=_("牵头单位")
    )
    co_units = models.ManyToManyField(
        Unit, blank=True, related_name="co_items", verbose_name=_("配合单位")
    )
    responsible = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_items",
        verbose_name=_("责任人"),
    )
    assigned_on = models.DateField(_("交办日期"))
    deadline_mode = models.CharField(
        _("期限方式"), max_length=10, choices=DeadlineMode.choices, default=DeadlineMode.DATE
    )
    deadline_days = models.PositiveSmallIntegerField(_("期限天数"), null=True, blank=True)
    original_deadline = models.DateField(_("原定期限"))
    # DESIGN §3: yellow 1 day before the deadline for items of 3 days or less, else 3 days.
    reminder_days = models.PositiveSmallIntegerField(_("提醒提前天数"), default=3)
    deadline = models.DateField(_("办理期限"))  # after approved extensions
    # The next day the reminder run (notifications.send_item_reminders) has something to send
    # for this item: kept by the services that change the deadline, the state or the reminder
    # days, moved on by the run itself. Empty for closed items, and for open ones written in
    # bulk (generated, imported) until the run first sees them.
    remind_on = models.DateField(_("下次提醒日期"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=20, choices=ItemState.choices, default=ItemState.ASSIGNED
    )
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按期办结"), null=True)
    # 安排现场核查: when and who goes (shown on the meetings calendar); the latest schedule.
    verification_at = models.DateTimeField(_("现场核查时间"), null=True, blank=True)
    verifiers = models.ManyToManyField(
        Person, blank=True, related_name="verification_items", verbose_name=_("核查人员")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = SupervisionItemQuerySet.as_manager()
    audit_ignore = ("version", "remind_on")  # remind_on: the reminder run's bookkeeping

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="item_state_deadline_idx"),
            # send_item_reminders: open items whose remind_on has come, or not set yet with
            # the deadline within 30 days (notifications.due_for_reminders). Open items only,
            # so the closed majority costs nothing; the states sorted, as the query names them.
            models.Index(
                fields=["remind_on", "deadline"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="item_remind_on_idx",
            ),
            # The board's 逾期 and 临期 tabs: a reader's units' open items by deadline. With
            # only the single-column lead_unit index PostgreSQL read all 200,000 items of a
            # province for a zone's 760 overdue ones (47 ms) whenever ANALYZE's sample made
            # the bitmap look dearer; bench/README.md.
            models.Index(
                fields=["lead_unit", "deadline"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="item_open_unit_deadline_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:item_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def extended(self) -> bool:
        return self.deadline != self.original_deadline


def evidence_path(instance, filename: str) -> str:
    return random_name("evidence", filename)


class FeedbackQuerySet(ScopedThroughParent):
    parent = "item"


def verification_results():
    """A feedback's 核查结论 reads as the verification's result (属实/部分属实/不属实)."""
    return Verification.Result.choices


class Feedback(AuditedModel):
    """A unit's report (反馈) on an item: what was done, with attachments."""

    item = models.ForeignKey(SupervisionItem, models.CASCADE, related_name="feedbacks")
    text = models.TextField(_("办理情况"))
    claims_done = models.BooleanField(_("已完成"), default=True)
    submitted_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("反馈人")
    )
    submitted_at = models.DateTimeField(_("反馈时间"))
    # Set by verification: was this report true?
    truthfulness = models.CharField(
        _("核查结论"), max_length=10, blank=True, choices=verification_results
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理反馈")
        verbose_name_plural = _("办理反馈")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.item} · {formats.day(self.submitted_at)}"

    def get_absolute_url(self):
        return self.item.get_absolute_url()


def attachment_path(instance, filename: str) -> str:
    return random_name("feedback", filename)


class FeedbackAttachmentQuerySet(ScopedThroughParent):
    parent = "feedback"


class FeedbackAttachment(AuditedModel):
    """A document attached to a report (办理反馈): 会议纪要, 批复文件, 合同 …"""

    feedback = models.ForeignKey(Feedback, models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = FeedbackAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈附件")
        verbose_name_plural = _("反馈附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.feedback.item.get_absolute_url()


class VerificationQuerySet(ScopedThroughParent):
    parent = "item"


class Verification(AuditedModel):
    """现场核查: what a supervisor or leader found on site against what was reported."""

    class Result(models.TextChoices):
        TRUE = "true", _("属实")
        PARTLY = "partly", _("部分属实")
        UNTRUE = "untrue", _("不属实")

    item = models.ForeignKey(SupervisionItem, models.CASCADE, related_name="verifications")
    feedback = models.ForeignKey(
        Feedback,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="verifications",
        verbose_name=_("所核反馈"),
    )
    result = models.CharField(_("核查结论"), max_length=10, choices=Result.choices)
    notes = models.TextField(_("核查情况"))
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    distance_m = models.PositiveIntegerField(_("距项目距离(米)"), null=True, blank=True)
    far_from_site = models.BooleanField(_("远离项目现场"), default=False)
    verified_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("核查人")
    )
    verified_at = models.DateTimeField(_("核查时间"))
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="verifications", verbose_name=_("被核查单位")
    )

    objects = VerificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场核查")
        verbose_name_plural = _("现场核查")
        ordering = ["-verified_at"]
        indexes = [models.Index(fields=["unit", "verified_at"], name="verification_unit_idx")]

    def __str__(self):
        return f"{self.item} · {self.get_result_display()}"

    def get_absolute_url(self):
        return self.item.get_absolute_url()


class EvidencePhotoQuerySet(ScopedThroughParent):
    parent = "item"


class EvidencePhoto(AuditedModel):
    """A photo attached to feedback or a verification, graded as evidence."""

    item = models.ForeignKey(SupervisionItem, models.CASCADE, related_name="photos")
    feedback = models.ForeignKey(
        Feedback, models.CASCADE, null=True, blank=True, related_name="photos"
    )
    verification = models.ForeignKey(
        Verification, models.CASCADE, null=True, blank=True, related_name="photos"
    )
    file = models.ImageField(_("照片"), upload_to=evidence_path)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    dhash = models.CharField(max_length=16, db_index=True)  # perceptual: survives re-encoding
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_source = models.CharField(_("位置来源"), max_length=10, blank=True)  # exif/browser
    duplicate_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("与此前照片重复"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = EvidencePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证照片")
        verbose_name_plural = _("佐证照片")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name or (self.file.name or "").rsplit("/", 1)[-1]

    def get_absolute_url(self):
        return self.item.get_absolute_url()


class ExtensionRequestQuerySet(ScopedThroughParent):
    parent = "item"


class ExtensionRequest(AuditedModel):
    """延期申请: decided by the item's assigner or the 督查室, who may approve another date than
    the one requested; the original deadline stays on the item."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    item = models.ForeignKey(SupervisionItem, models.CASCADE, related_name="extensions")
    requested_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(
        _("审批结果"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    # The date the decider approved: the requested one or another they chose.
    approved_deadline = models.DateField(_("批准延至"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.item} → {self.requested_deadline}"

    def get_absolute_url(self):
        return self.item.get_absolute_url()


class ItemActivityQuerySet(ScopedThroughParent):
    parent = "item"


class ItemActivity(models.Model):
    """The item's timeline in words (交办, 签收, 催办, 退回 …), written by the services."""

    item = models.ForeignKey(
        SupervisionItem, models.CASCADE, related_name="activities", verbose_name=_("督办事项")
    )
    verb = models.CharField(_("动作"), max_length=30)
    text = models.TextField(_("内容"), blank=True)
    actor = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="+", verbose_name=_("人员")
    )
    at = models.DateTimeField(_("时间"))

    objects = ItemActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理动态")
        verbose_name_plural = _("办理动态")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.item} {self.verb}"
