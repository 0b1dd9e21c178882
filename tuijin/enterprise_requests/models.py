"""Enterprise requests (企业诉求, R15 items 11–14): what an enterprise's liaison raises from the
phone, who handles it, on which working-day clocks, and how the enterprise closes it.

A request (``EnterpriseRequest``) belongs to an enterprise and may concern one of its projects.
The 督查室 or the enterprise's 包保 leader assigns it to a unit (承办单位); the unit accepts it
(受理) and answers (答复); the enterprise confirms it resolved or reopens it, and rates its
satisfaction separately. Its clocks run in working days from the day it was raised (accept,
answer, resolve; complex cases get the longer resolve clock, with a reason); a missed clock
escalates it once into a 督办 item (``services.escalate_overdue``). Photos (``RequestPhoto``) and
the timeline (``RequestStep``) are seen as their request.

Who sees a request (``visible_to``, DESIGN §1 and R15 item 14): the enterprise (its liaison),
its 包保 leaders, the handling unit (and the units above it), the 督查室 and zone leaders of the
zone, admins. Nobody else: not inspectors, not other units, not other enterprises.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.core.versions import VersionedModel
from tuijin.org.models import Person, Role, Unit
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.models import SupervisionItem


class Category(models.TextChoices):
    LAND = "land", _("用地")
    POWER = "power", _("用电用能")
    # A context of its own: elsewhere 审批 is a decision (on an extension), here approvals.
    APPROVAL = "approval", pgettext_lazy("诉求类别", "审批")
    FINANCE = "finance", _("融资")
    LABOUR = "labour", _("用工")
    LOGISTICS = "logistics", _("物流")
    POLICY = "policy", _("政策兑现")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("待交办")
    ASSIGNED = "assigned", _("待受理")
    HANDLING = "handling", _("办理中")
    ANSWERED = "answered", _("待企业确认")
    RESOLVED = "resolved", _("已解决")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATES = (State.SUBMITTED, State.ASSIGNED, State.HANDLING, State.ANSWERED)
# The states in which the unit side still owes something (the clocks run).
RUNNING_STATES = (State.SUBMITTED, State.ASSIGNED, State.HANDLING)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class CheckResult(models.TextChoices):
    PENDING = "pending", _("待核查")
    GENUINE = "genuine", _("属实,企业自愿撤回")
    IMPROPER = "improper", _("不属实,承办单位不当劝撤")


class Clock(models.TextChoices):
    ACCEPT = "accept", _("受理")
    ANSWER = "answer", _("答复")
    RESOLVE = "resolve", _("解决")


def _who(user):
    """(person, sees everything) for the scoping rules below."""
    from tuijin.org.access import person_of, sees_everything

    if sees_everything(user):
        return None, True
    return person_of(user), False


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The enterprise's liaison, its 包保 leaders, the handling unit's people (and those of
        the units above it), the zone's leaders and 督查室, admins (R15 item 14)."""
        from tuijin.org.access import visible_units

        person, everything = _who(user)
        if everything:
            return self.all()
        if person is None or person.role == Role.INSPECTOR:
            return self.none()
        if person.role == Role.LIAISON:
            return self.filter(enterprise__liaison=person)
        led = Enterprise.leaders.through.objects.filter(person=person).values("enterprise_id")
        if person.role in (Role.ZONE_LEADER, Role.SUPERVISOR):
            zone = visible_units(user)
            return self.filter(
                Q(enterprise__unit__in=zone) | Q(unit__in=zone) | Q(enterprise__in=led)
            )
        return self.filter(Q(unit__in=visible_units(user)) | Q(enterprise__in=led))

    def editable_by(self, user):
        """Every verb has its own rule (``permissions``); in general, whoever sees a request
        and may write at all may act on it."""
        from tuijin.org.access import can_write, sees_everything

        if sees_everything(user):
            return self.all()
        return self.visible_to(user) if can_write(user) else self.none()


class EnterpriseRequest(VersionedModel, AuditedModel):
    """An enterprise's request (诉求) with its clocks, its handling and its closure."""

    enterprise = models.ForeignKey(
        Enterprise, models.PROTECT, related_name="requests", verbose_name=_("企业")
    )
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprise_requests",
        verbose_name=_("涉及项目"),
    )
    category = models.CharField(_("诉求类别"), max_length=20, choices=Category.choices)
    description = models.TextField(_("诉求内容"))
    raised_by = models.ForeignKey(
        Person, models.PROTECT, related_name="raised_requests", verbose_name=_("提出人")
    )
    raised_at = models.DateTimeField(_("提出时间"))
    raised_on = models.DateField(_("提出日期"))
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_requests",
        verbose_name=_("承办单位"),
    )
    assigned_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("交办人"),
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    last_answered_on = models.DateField(_("最近答复日期"), null=True, blank=True)
    # The clocks (working days from raised_on; a reopening gives a new answer clock).
    accept_due = models.DateField(_("受理期限"))
    answer_due = models.DateField(_("答复期限"))
    resolve_due = models.DateField(_("解决期限"))
    is_complex = models.BooleanField(_("复杂诉求"), default=False)
    complex_reason = models.TextField(_("复杂诉求理由"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重新打开次数"), default=0)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    resolved_on_time = models.BooleanField(_("按期解决"), null=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    withdrawn_on_suggestion = models.BooleanField(_("应承办单位建议撤回"), default=False)
    check_result = models.CharField(
        _("撤回核查"), max_length=20, choices=CheckResult.choices, blank=True
    )
    check_note = models.TextField(_("核查情况"), blank=True)
    escalated_item = models.ForeignKey(
        SupervisionItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprise_requests",
        verbose_name=_("升级督办事项"),
    )

    objects = RequestQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "resolve_due"], name="request_state_due_idx"),
            models.Index(fields=["unit", "state"], name="request_unit_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(accept_due__lte=models.F("answer_due"))
                & Q(answer_due__lte=models.F("resolve_due")),
                name="request_clocks_in_order",
            )
        ]

    def __str__(self):
        return f"{self.get_category_display()}:{self.description[:30]}"

    def get_absolute_url(self):
        return reverse("enterprise_requests:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue_clocks(self, today: dt.date) -> list[str]:
        """The clocks missed as of ``today`` (a clock is met on its due day itself)."""
        missed = []
        if self.state in (State.SUBMITTED, State.ASSIGNED) and today > self.accept_due:
            missed.append(Clock.ACCEPT)
        if self.state in RUNNING_STATES and today > self.answer_due:
            missed.append(Clock.ANSWER)
        if self.state in RUNNING_STATES and today > self.resolve_due:
            missed.append(Clock.RESOLVE)
        return missed

    def clocks(self, today: dt.date) -> list[dict]:
        """Each clock with its due day and whether it is met, running or missed, for pages."""
        missed = set(self.overdue_clocks(today))
        met = {
            Clock.ACCEPT: self.accepted_at is not None,
            Clock.ANSWER: self.state in (State.ANSWERED, State.RESOLVED),
            Clock.RESOLVE: self.state == State.RESOLVED,
        }
        due = {
            Clock.ACCEPT: self.accept_due,
            Clock.ANSWER: self.answer_due,
            Clock.RESOLVE: self.resolve_due,
        }
        rows = []
        for clock in Clock:
            if met[clock]:
                status = "met"
            elif clock in missed:
                status = "missed"
            elif self.is_open:
                status = "running"
            else:
                status = "stopped"
            rows.append({"clock": clock, "label": clock.label, "due": due[clock], "status": status})
        return rows


class RequestChildQuerySet(ScopedThroughParent):
    """Photos and timeline steps are seen as their request; never edited."""

    parent = "request"

    def editable_by(self, user):
        return self.none()


def photo_path(instance, filename: str) -> str:
    return random_name("requests", filename)


class RequestPhoto(AuditedModel):
    """A photo the enterprise attached to its request."""

    request = models.ForeignKey(EnterpriseRequest, models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RequestChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name or (self.image.name or "").rsplit("/", 1)[-1]

    def get_absolute_url(self):
        return self.request.get_absolute_url()


class Verb(models.TextChoices):
    RAISE = "raise", _("提出诉求")
    ASSIGN = "assign", _("交办")
    ACCEPT = "accept", _("受理")
    ANSWER = "answer", _("答复")
    COMPLEX = "complex", _("认定为复杂诉求")
    REOPEN = "reopen", _("企业认为未解决,重新打开")
    CONFIRM = "confirm", _("企业确认已解决")
    RATE = "rate", _("企业评价")
    WITHDRAW = "withdraw", _("企业撤回")
    CHECK = "check", _("撤回核查")
    ESCALATE = "escalate", _("超期升级为督办事项")


class RequestStep(AuditedModel):
    """One step of a request's timeline (who did what, when, with what words), shown to
    everyone who sees the request: the enterprise reads the unit's answers here."""

    request = models.ForeignKey(EnterpriseRequest, models.CASCADE, related_name="steps")
    verb = models.CharField(_("操作"), max_length=20, choices=Verb.choices)
    text = models.TextField(_("内容"), blank=True)
    actor = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"))

    objects = RequestChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_verb_display()} {self.text[:30]}"

    def get_absolute_url(self):
        return self.request.get_absolute_url() + "#timeline"
