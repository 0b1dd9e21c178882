"""Meetings (会议): Saturday on-site office, Sunday video dispatch, and the decisions they make."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.projects.models import Project
from tuijin.supervision.models import Problem, SupervisionItem


class MeetingKind(models.TextChoices):
    ONSITE = "onsite", _("周六现场办公会")
    DISPATCH = "dispatch", _("周日云视频调度会")
    INVESTMENT = "investment", _("招商引资项目研讨会")
    PLANNING = "planning", _("项目谋划推进会")
    CADRES = "cadres", _("干部大会")
    OTHER = "other", _("其他会议")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A meeting belongs to the units it involves: its park, the invited units, the chair's
        unit and its project's unit. A user sees the meetings of the units they see (zone-wide
        roles: every meeting of their zone), those they chair or attend; admins all of them.
        (``services.schedule_meeting`` invites the zone to a meeting that names no unit.)"""
        from tuijin.org.access import person_of, sees_everything, visible_units

        if sees_everything(user):
            return self.all()
        units = visible_units(user)
        rule = (
            Q(invited_units__in=units)
            | Q(park__in=units)
            | Q(chair__unit__in=units)
            | Q(project__unit__in=units)
        )
        if person := person_of(user):
            rule |= Q(chair=person) | Q(attendances__person=person)
        return self.filter(pk__in=Meeting.objects.filter(rule).values("pk"))

    def editable_by(self, user):
        """Those who manage meetings change every meeting they see; nobody else any."""
        from tuijin.meetings.permissions import can_manage_meetings

        return self.visible_to(user) if can_manage_meetings(user) else self.none()


class Meeting(AuditedModel):
    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    park = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        limit_choices_to={"kind": UnitKind.PARK},
        verbose_name=_("园区"),
    )
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("现场项目"),
    )
    video_link = models.URLField(_("视频会议链接"), blank=True)
    chair = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        verbose_name=_("主持"),
    )
    invited_units = models.ManyToManyField(
        Unit, blank=True, related_name="invited_meetings", verbose_name=_("参会单位")
    )
    agenda = models.TextField(_("议程"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    # Problems settled at this meeting (会上研究解决). A link, not the resolution text's
    # prefix, so renaming the meeting keeps it; meetings know supervision, not the reverse.
    settled_problems = models.ManyToManyField(
        Problem, blank=True, related_name="settled_at_meetings", verbose_name=_("会上解决的问题")
    )
    # The minutes' 期号 (〔2026〕3号): numbered per meeting kind and year when the minutes are
    # first issued (``services.issue_minutes``), then never changed. The kind is kept as issued
    # so renaming or re-typing the meeting leaves the number and its series alone.
    minutes_kind = models.CharField(
        _("纪要类别"), max_length=20, choices=MeetingKind.choices, blank=True, editable=False
    )
    minutes_year = models.PositiveSmallIntegerField(
        _("纪要年度"), null=True, blank=True, editable=False
    )
    minutes_number = models.PositiveIntegerField(
        _("纪要期号"), null=True, blank=True, editable=False
    )
    minutes_issued_on = models.DateField(_("纪要印发日期"), null=True, blank=True, editable=False)
    # Recurring meetings: one per slot ("onsite:2026-11-28"), however often the task runs.
    slot = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes_kind", "minutes_year", "minutes_number"],
                name="meeting_minutes_number_unique",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])


class AttendanceQuerySet(ScopedThroughParent):
    parent = "meeting"


class Attendance(AuditedModel):
    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        ABSENT = "absent", _("缺席")
        LEAVE = "leave", _("请假")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="attendances", verbose_name=_("人员")
    )
    status = models.CharField(
        _("出席情况"), max_length=10, choices=Status.choices, default=Status.PRESENT
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")
        ordering = ["meeting", "person__unit__path", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")
        ]

    def __str__(self):
        return f"{self.person} {self.get_status_display()}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class DecisionQuerySet(ScopedThroughParent):
    parent = "meeting"


class Decision(AuditedModel):
    """A decision of the meeting (议定事项); each becomes a 督办 item linked both ways."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    item = models.OneToOneField(
        SupervisionItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("督办事项"),
    )
    problem = models.ForeignKey(
        Problem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("所议问题"),
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique")
        ]

    def __str__(self):
        return f"{self.meeting} · {self.number}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()
