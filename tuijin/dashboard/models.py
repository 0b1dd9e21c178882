"""The dashboard's one table: the Monday report (周调度通报), built by ``weekly.py``.

Everything else the dashboard shows (home pages, cockpit, park and unit pages) is read from
the domains and stored nowhere.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core import formats
from tuijin.core.audit import AuditedModel
from tuijin.core.files import random_name
from tuijin.org.models import Person, Role, Unit

# Who reads the Monday reports: the zone's leaders and the 督查室 (and admins).
REPORT_READERS = {Role.ZONE_LEADER, Role.SUPERVISOR}


def report_path(instance, filename: str) -> str:
    return random_name("dashboard", filename)


class WeeklyReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins: all; the zone's leaders and 督查室: their zone's; nobody else."""
        from tuijin.org.access import person_of, role_of, sees_everything

        if sees_everything(user):
            return self.all()
        person = person_of(user)
        if person is None or role_of(user) not in REPORT_READERS:
            return self.none()
        return self.filter(zone=person.unit.zone)

    def editable_by(self, user):
        """The 督查室 (and admins) build them; nobody edits one by hand."""
        from tuijin.org.access import role_of, sees_everything

        if sees_everything(user) or role_of(user) == Role.SUPERVISOR:
            return self.visible_to(user)
        return self.none()


class WeeklyReport(AuditedModel):
    """周调度通报: one zone's report for the week starting ``week`` (a Monday), a .docx in
    公文 layout, and the short text sent to the leaders (``summary``)."""

    zone = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("开发区"))
    week = models.DateField(_("周次(周一)"))
    number = models.PositiveSmallIntegerField(_("期号"), default=1)
    file = models.FileField(_("文件"), upload_to=report_path)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    built_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("生成人")
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    sent_at = models.DateTimeField(_("推送时间"), null=True, blank=True)

    objects = WeeklyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("周调度通报")
        verbose_name_plural = _("周调度通报")
        ordering = ["-week", "zone"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "week"], name="weeklyreport_zone_week_unique")
        ]

    def __str__(self):
        return _("%(day)s周调度通报") % {"day": formats.day(self.week)}

    def get_absolute_url(self):
        return reverse("places:weekly_list") + f"#report-{self.pk}"
