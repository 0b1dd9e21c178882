"""Integrity (廉政): talks with unit heads, risk points, the interference register and the
quarterly nil report (DESIGN §2: "纪检监察部门对各地各部门一把手开展廉政谈话,提醒廉政风险点").

- ``Talk`` (廉政谈话): one talk of a kind (任前, 节前, 项目开工前, 提醒谈话, 集体谈话) with one
  or more people, the risk points discussed, the signed commitment (承诺书) scan and the
  follow-up. A talk the workflow asks for (a project about to start, a tender, an acceptance,
  a new unit head: ``triggers.py``) is first a *due* talk on the inspectors' board, then
  recorded.
- ``RiskPoint`` (廉政风险点): per unit and project stage (决策, 招投标, 施工, 验收, 资金拨付),
  graded 一级 (early signs → a warning) or 二级 (the risk has appeared → 约谈/通报), with
  measures.
- ``Interference`` (插手干预重大事项记录): an official records an attempt by a leader or cadre
  to intervene, within 3 working days of it.
- ``NilReport`` (零报告): each unit's quarterly statement, asked for by the inspectors.

Who sees what (``visible_to``): the zone's inspectors (纪检监察) and zone leaders see every
record of their zone; a person sees the talks they were talked with (once held), the unit head
their unit's nil reports, the official who recorded an interference that record; nobody else,
administrators included (DESIGN §4: "Integrity records are the inspectors' and zone leaders'
alone"). Every object loaded through ``visible_to(user).get()`` (``get_for_user``: the pages,
the history tab, the file view) writes a ``read`` audit event (``audit_reads``).
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.core.versions import VersionedModel
from tuijin.org.models import Person, Role, Unit, person_of, role_of, unit_scope
from tuijin.projects.models import Project

READERS = {Role.INSPECTOR, Role.ZONE_LEADER}
READ = "read"


def reads_integrity(user) -> bool:
    """The zone's inspectors and zone leaders: they see every integrity record of their zone.
    Administrators do not (not through the UI, nor the admin site)."""
    return role_of(user) in READERS and person_of(user) is not None


def keeps_integrity(user) -> bool:
    """Records talks and risk points, asks for nil reports: the inspectors (纪检监察)."""
    return role_of(user) == Role.INSPECTOR and person_of(user) is not None


def audit_reads(user, objects) -> None:
    """One ``read`` event per integrity record shown to ``user`` (one INSERT)."""
    from tuijin.core.audit import audit_context, record_events

    objects = [obj for obj in objects if obj is not None]
    if not objects or not getattr(user, "is_authenticated", False):
        return
    with audit_context(actor=user, action=READ):
        record_events([(obj, READ, {}) for obj in objects], using=objects[0]._state.db)


class ReadAuditedQuerySet(models.QuerySet):
    """A queryset that knows its reader (set by ``visible_to``): ``get()`` records the read."""

    _reader = None
    _reader_chosen = False  # by ``reading``: the scoping functions keep that reader

    def _clone(self):
        clone = super()._clone()
        clone._reader = self._reader
        clone._reader_chosen = self._reader_chosen
        return clone

    def reading(self, user):
        """``get()`` records a read by ``user``; ``reading(None)``: a write's own load, no read
        (``visible_to`` and ``editable_by`` applied after it keep that)."""
        clone = self._chain()
        clone._reader = user
        clone._reader_chosen = True
        return clone

    def _read_by(self, user):
        """The scoping functions' reader: ``user``, unless ``reading`` chose one before."""
        if self._reader_chosen:
            return self
        clone = self._chain()
        clone._reader = user
        return clone

    def get(self, *args, **kwargs):
        obj = super().get(*args, **kwargs)
        if self._reader is not None:
            audit_reads(self._reader, [obj])
        return obj

    def _zone(self, user, field: str = "unit"):
        rule = unit_scope(user).rule(field)
        return self.all() if rule is None else self.filter(rule)


class Stage(models.TextChoices):
    DECISION = "decision", _("决策")
    TENDER = "tender", _("招投标")
    CONSTRUCTION = "construction", _("施工")
    ACCEPTANCE = "acceptance", _("验收")
    PAYMENT = "payment", _("资金拨付")


class Grade(models.TextChoices):
    ONE = "1", _("一级(苗头性,预警提醒)")
    TWO = "2", _("二级(风险已显现,约谈/通报)")


class TalkKind(models.TextChoices):
    APPOINTMENT = "appointment", _("任前谈话")
    HOLIDAY = "holiday", _("节前谈话")
    PROJECT_START = "project_start", _("项目开工前谈话")
    REMINDER = "reminder", _("提醒谈话")
    COLLECTIVE = "collective", _("集体谈话")


class TalkState(models.TextChoices):
    DUE = "due", _("待谈话")
    DONE = "done", _("已谈话")


class Trigger(models.TextChoices):
    MANUAL = "", _("安排谈话")
    PROJECT_START = "project_start", _("项目开工前")
    TENDER = "tender", _("项目招标前")
    ACCEPTANCE = "acceptance", _("项目验收")
    HEAD_CHANGE = "head_change", _("单位负责人变动")


class RiskPointQuerySet(ReadAuditedQuerySet):
    def visible_to(self, user):
        if not reads_integrity(user):
            return self.none()._read_by(user)
        return self._zone(user)._read_by(user)

    def editable_by(self, user):
        return self.visible_to(user) if keeps_integrity(user) else self.none()


class RiskPoint(VersionedModel, AuditedModel):
    """An integrity risk point (廉政风险点) of a unit at a project stage, with its grade and the
    measures against it."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="risk_points", verbose_name=_("单位")
    )
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    title = models.CharField(_("风险点"), max_length=200)
    description = models.TextField(_("表现形式"), blank=True)
    grade = models.CharField(_("等级"), max_length=2, choices=Grade.choices, default=Grade.ONE)
    measures = models.TextField(_("防控措施"))
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("项目"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    created_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RiskPointQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险点")
        ordering = ["unit__path", "stage", "-grade", "pk"]
        indexes = [models.Index(fields=["unit", "stage"], name="riskpoint_unit_stage_idx")]

    def __str__(self):
        return f"{self.unit} · {self.get_stage_display()} · {self.title}"

    def get_absolute_url(self):
        return reverse("integrity:risk_detail", args=[self.pk])


def commitment_path(instance, filename):
    return random_name("integrity", filename)


class TalkQuerySet(ReadAuditedQuerySet):
    def visible_to(self, user):
        """The zone's inspectors and leaders: every talk; a person: the held talks they were
        talked with (a unit head's own talks and commitments)."""
        if reads_integrity(user):
            return self._zone(user)._read_by(user)
        person = person_of(user)
        if person is None or role_of(user) in (Role.LIAISON, Role.ADMIN):
            return self.none()._read_by(user)
        mine = Talk.talkees.through.objects.filter(person=person).values("talk_id")
        return self.filter(pk__in=mine, state=TalkState.DONE)._read_by(user)

    def editable_by(self, user):
        return self.visible_to(user) if keeps_integrity(user) else self.none()


class Talk(VersionedModel, AuditedModel):
    """An integrity talk (廉政谈话): due (asked for by the workflow or planned), then held."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="integrity_talks", verbose_name=_("谈话对象单位")
    )
    kind = models.CharField(_("谈话类型"), max_length=20, choices=TalkKind.choices)
    state = models.CharField(
        _("状态"), max_length=10, choices=TalkState.choices, default=TalkState.DUE
    )
    due_date = models.DateField(_("应谈日期"), null=True, blank=True)
    held_on = models.DateField(_("谈话日期"), null=True, blank=True)
    talker = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("谈话人"),
    )
    talkees = models.ManyToManyField(
        Person, blank=True, related_name="integrity_talks", verbose_name=_("谈话对象")
    )
    risk_points = models.ManyToManyField(
        RiskPoint, blank=True, related_name="talks", verbose_name=_("提醒的风险点")
    )
    points = models.TextField(_("谈话要点"), blank=True)
    commitment = models.FileField(
        _("承诺书扫描件"), upload_to=commitment_path, blank=True, max_length=200
    )
    commitment_name = models.CharField(_("承诺书文件名"), max_length=200, blank=True)
    follow_up = models.TextField(_("后续跟进"), blank=True)
    trigger = models.CharField(
        _("谈话起因"), max_length=20, choices=Trigger.choices, default="", blank=True
    )
    trigger_key = models.CharField(max_length=60, blank=True, editable=False)
    trigger_note = models.CharField(_("起因说明"), max_length=200, blank=True)
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("项目"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = TalkQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("廉政谈话")
        verbose_name_plural = _("廉政谈话")
        ordering = ["-held_on", "due_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trigger_key"],
                condition=~Q(trigger_key=""),
                name="talk_unique_trigger",
            )
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="talk_state_due_idx")]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("integrity:talk_detail", args=[self.pk])

    def overdue_days(self, today: dt.date) -> int:
        if self.state != TalkState.DUE or self.due_date is None:
            return 0
        return max((today - self.due_date).days, 0)


class InterferenceQuerySet(ReadAuditedQuerySet):
    def visible_to(self, user):
        """The zone's inspectors and leaders, and the official who recorded it."""
        if reads_integrity(user):
            return self._zone(user)._read_by(user)
        person = person_of(user)
        if person is None:
            return self.none()._read_by(user)
        return self.filter(recorded_by=person)._read_by(user)

    def editable_by(self, user):
        # A record stays as it was made (its history says so); nobody edits it.
        return self.none()


class Interference(AuditedModel):
    """插手干预重大事项记录: who tried to intervene in which project, what they asked, how it
    was refused; recorded by the official within 3 working days (``deadline``)."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="interferences", verbose_name=_("记录人单位")
    )
    recorded_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"))
    occurred_on = models.DateField(_("发生日期"))
    deadline = models.DateField(_("应记录期限"))
    late = models.BooleanField(_("超期记录"), default=False)
    intervener = models.CharField(_("插手干预人(姓名、职务)"), max_length=100)
    project = models.ForeignKey(
        Project,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及项目"),
    )
    matter = models.TextField(_("干预事项(提出的要求)"))
    response = models.TextField(_("处理情况(如何拒绝)"))

    objects = InterferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("插手干预重大事项记录")
        verbose_name_plural = _("插手干预重大事项记录")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["unit", "occurred_on"], name="interference_unit_idx")]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.intervener}"

    def get_absolute_url(self):
        return reverse("integrity:interference_detail", args=[self.pk])


class NilState(models.TextChoices):
    ASKED = "asked", _("待报送")
    NIL = "nil", _("零报告(无插手干预)")
    RECORDED = "recorded", _("有记录")


class NilReportQuerySet(ReadAuditedQuerySet):
    def visible_to(self, user):
        """The zone's inspectors and leaders; a unit head their own unit's."""
        if reads_integrity(user):
            return self._zone(user)._read_by(user)
        person = person_of(user)
        if person is None or role_of(user) != Role.UNIT_HEAD:
            return self.none()._read_by(user)
        return self.filter(unit=person.unit_id)._read_by(user)

    def editable_by(self, user):
        """The unit head reports for their unit."""
        if role_of(user) != Role.UNIT_HEAD:
            return self.none()
        return self.visible_to(user)


class NilReport(VersionedModel, AuditedModel):
    """A unit's quarterly report on interference (零报告 when nothing happened), asked for by
    the inspectors and tracked until it comes in."""

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="nil_reports", verbose_name=_("单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    state = models.CharField(
        _("状态"), max_length=10, choices=NilState.choices, default=NilState.ASKED
    )
    due_date = models.DateField(_("报送期限"))
    asked_by = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("发起人"))
    submitted_by = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报送人")
    )
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    records = models.PositiveSmallIntegerField(_("本季度登记的干预记录数"), default=0)
    note = models.TextField(_("说明"), blank=True)

    objects = NilReportQuerySet.as_manager()
    audit_ignore = ("version",)

    class Meta:
        verbose_name = _("零报告")
        verbose_name_plural = _("零报告")
        ordering = ["-year", "-quarter", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"], name="nilreport_unique_quarter"
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.year}年第{self.quarter}季度"

    def get_absolute_url(self):
        return reverse("integrity:nil_detail", args=[self.pk])

    @property
    def late(self) -> bool:
        if self.submitted_on is not None:
            return self.submitted_on > self.due_date
        from django.utils import timezone

        return timezone.localdate() > self.due_date
