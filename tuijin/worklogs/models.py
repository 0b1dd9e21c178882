"""Work logs (工作日志): weekend and daily logs with visits to enterprises and projects,
the duty roster of who owes a weekend log, leave and exemptions, and readers' comments."""

import datetime as dt
from functools import reduce
from itertools import pairwise
from operator import or_

from django.db import models
from django.db.models import Exists, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core import formats
from tuijin.core.access import ScopedThroughParent
from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.models import Problem


def weekend_of(day: dt.date) -> dt.date:
    """The Saturday of the weekend a day belongs to (Mon–Fri belong to the one before)."""
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


def wrote_outside(person, unit_ids: list[int]) -> bool:
    """Has ``person`` written logs in a unit not among ``unit_ids`` (before a transfer)?

    Asked once per request (cached on the person) as one EXISTS per gap between the ids
    (``unit_id < 3 OR unit_id > 3`` for one unit): each is a range of
    ``worklog_author_unit_idx`` that is empty in the usual case, so nothing else is read. A
    plain ``NOT IN`` is estimated to match at once (the planner does not know that an
    author's logs are nearly all in one unit) and read every log of the author."""
    if not hasattr(person, "_tuijin_wrote_outside"):
        ids = sorted(set(unit_ids))
        gaps = [Q()] if not ids else [Q(unit_id__lt=ids[0]), Q(unit_id__gt=ids[-1])]
        gaps += [Q(unit_id__gt=a, unit_id__lt=b) for a, b in pairwise(ids) if b > a + 1]
        own = WorkLog.objects.filter(author=person)
        outside = reduce(or_, (Exists(own.filter(gap)) for gap in gaps))
        person._tuijin_wrote_outside = Person.objects.filter(outside, pk=person.pk).exists()
    return person._tuijin_wrote_outside


class WorkLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Own logs, and logs written in the user's unit subtree (the whole zone for leaders)."""
        from tuijin.org.access import ZONE_WIDE_ROLES, person_of, role_of, unit_scope

        # `unit_id IN (ids)`: one indexed condition (a unit's staff: `unit_id = …`, so the
        # database walks worklog_unit_date_idx newest first); nothing for whole-tree readers,
        # which keeps the date index for them (bench/README.md).
        scope = unit_scope(user)
        rule = scope.rule("unit")
        if rule is None:
            return self.all()
        person = person_of(user)
        # Logs written before a transfer to another unit stay the author's. Zone-wide roles
        # see their zone anyway. An OR here keeps the database off the unit and date indexes
        # (a unit's search then rechecked the whole province's matches: bench/README.md), so
        # it is added only for someone who did write elsewhere.
        if (
            person is not None
            and role_of(user) not in ZONE_WIDE_ROLES
            and wrote_outside(person, scope.unit_ids)
        ):
            rule |= Q(author=person)
        return self.filter(rule)

    def editable_by(self, user):
        """The author's own logs; readers who comment (unit heads, leaders) the logs they see.
        A log is not edited after submission: writes on it are its comments (批阅)."""
        from tuijin.org.access import can_write, person_of, role_of
        from tuijin.worklogs.permissions import COMMENTING_ROLES

        person = person_of(user)
        if not can_write(user) or person is None:
            return self.none()
        if role_of(user) in COMMENTING_ROLES:
            return self.visible_to(user)
        return self.visible_to(user).filter(author=person)


class LogChildQuerySet(ScopedThroughParent):
    """Visits, photos and comments are seen and changed as their log is."""

    parent = "log"


class WorkLog(AuditedModel):
    """A cadre's log (日志) of one day: what they did, where they went, what they solved."""

    class Kind(models.TextChoices):
        WEEKEND = "weekend", _("周末日志")
        DAILY = "daily", _("日常日志")

    author = models.ForeignKey(
        Person, models.PROTECT, related_name="worklogs", verbose_name=_("填写人")
    )
    # The author's unit when writing: a later transfer must not move old logs between units.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="worklogs", verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.WEEKEND)
    date = models.DateField(_("日期"))
    weekend = models.DateField(_("所属周末"), editable=False)
    text = models.TextField(_("工作内容"))
    submitted_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(auto_now=True)
    # Character bigrams of the text and visits, indexed for Chinese search (worklogs/search.py).
    search_text = models.TextField(blank=True, editable=False)

    objects = WorkLogQuerySet.as_manager()
    audit_ignore = ("search_text", "weekend")

    class Meta:
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")
        ordering = ["-date", "-submitted_at"]
        indexes = [
            models.Index(fields=["unit", "-date"], name="worklog_unit_date_idx"),
            models.Index(fields=["author", "-date"], name="worklog_author_date_idx"),
            models.Index(fields=["kind", "weekend"], name="worklog_kind_weekend_idx"),
            models.Index(fields=["-date"], name="worklog_date_idx"),
            # visible_to's wrote_outside: an author's units, without reading the rows.
            models.Index(fields=["author", "unit"], name="worklog_author_unit_idx"),
        ]

    def __str__(self):
        return f"{self.author.name} · {formats.day(self.date)} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("worklogs:log_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.weekend = weekend_of(self.date)
        super().save(*args, **kwargs)


class Visit(AuditedModel):
    """A visit (走访) to an enterprise or a project recorded in a log."""

    log = models.ForeignKey(WorkLog, models.CASCADE, related_name="visits")
    enterprise = models.ForeignKey(
        Enterprise,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("企业"),
    )
    project = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("项目"),
    )
    # Denormalised from the log so "last visit" questions need no join.
    visited_on = models.DateField(_("走访日期"))
    visitor = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("走访人"))
    purpose = models.CharField(_("走访事由"), max_length=200)
    found = models.TextField(_("发现的情况"), blank=True)
    solved = models.TextField(_("解决的事项"), blank=True)
    problem = models.OneToOneField(
        Problem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("提出的问题"),
    )

    objects = LogChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "pk"]
        indexes = [
            models.Index(fields=["enterprise", "-visited_on"], name="visit_enterprise_idx"),
            models.Index(fields=["project", "-visited_on"], name="visit_project_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(project__isnull=False),
                name="visit_has_subject",
            )
        ]

    def __str__(self):
        return f"{self.subject} · {formats.day(self.visited_on)}"

    def get_absolute_url(self):
        return self.log.get_absolute_url()

    @property
    def subject(self):
        return self.project or self.enterprise


def photo_path(instance, filename: str) -> str:
    return random_name("worklogs", filename)


class LogPhoto(AuditedModel):
    """A photo taken on a visit; the capture time comes from EXIF when the phone kept it."""

    log = models.ForeignKey(WorkLog, models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_path)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = LogChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("日志照片")
        verbose_name_plural = _("日志照片")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name or (self.image.name or "").rsplit("/", 1)[-1]

    def get_absolute_url(self):
        return self.log.get_absolute_url()


class LogComment(AuditedModel):
    """A reader's comment (批阅) on a log: unit heads on their unit's logs, leaders on all."""

    log = models.ForeignKey(WorkLog, models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name=_("批阅人"))
    text = models.TextField(_("批阅意见"))
    created_at = models.DateTimeField(_("批阅时间"), auto_now_add=True)

    objects = LogChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("日志批阅")
        verbose_name_plural = _("日志批阅")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        return self.log.get_absolute_url()


class RosterQuerySet(models.QuerySet):
    """The roster and leave of the cadres in the user's units; changed by roster keepers."""

    def visible_to(self, user):
        from tuijin.org.access import visible_units

        return self.filter(person__unit__in=visible_units(user))

    def editable_by(self, user):
        from tuijin.worklogs.permissions import can_manage_roster

        return self.visible_to(user) if can_manage_roster(user) else self.none()


class DutyQuerySet(RosterQuerySet):
    pass


class Duty(AuditedModel):
    """A cadre on the duty roster (值班名单) owes a weekend log every weekend from `since`."""

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="log_duty", verbose_name=_("干部")
    )
    since = models.DateField(_("起始日期"))

    objects = DutyQuerySet.as_manager()

    class Meta:
        verbose_name = _("周末日志名单")
        verbose_name_plural = _("周末日志名单")
        ordering = ["person__unit__path", "person__name"]

    def __str__(self):
        return self.person.name

    def get_absolute_url(self):
        return reverse("worklogs:roster") + f"?unit={self.person.unit_id}"


class ExemptionQuerySet(RosterQuerySet):
    def covering(self, day: dt.date):
        return self.filter(start__lte=day, end__gte=day)


class Exemption(AuditedModel):
    """Leave or an exemption (请假/免报): the cadre owes no log for weekends it covers."""

    class Reason(models.TextChoices):
        LEAVE = "leave", _("请假")
        TRIP = "trip", _("出差")
        EXEMPT = "exempt", _("免报")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="log_exemptions", verbose_name=_("干部")
    )
    reason = models.CharField(_("原因"), max_length=10, choices=Reason.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    granted_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, related_name="+", verbose_name=_("批准人")
    )

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("请假与免报")
        verbose_name_plural = _("请假与免报")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="exemption_order")
        ]

    def __str__(self):
        return f"{self.person.name} {self.get_reason_display()} {self.start}–{self.end}"

    def get_absolute_url(self):
        return reverse("worklogs:roster") + f"?unit={self.person.unit_id}"
