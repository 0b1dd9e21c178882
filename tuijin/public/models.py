"""Which projects the zone publishes as open data (OC4IDS) and on the public progress page.
One row per project ever published; ``published`` is turned off to withdraw it, so the audit
trail keeps who published and withdrew it when."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core.access import ScopedThroughParent
from tuijin.core.audited import AuditedModel
from tuijin.org.models import Person
from tuijin.projects.models import Project


class PublishedProjectQuerySet(ScopedThroughParent):
    parent = "project"

    def public(self):
        return self.filter(published=True)


class PublishedProject(AuditedModel):
    """A project the zone chose to publish (issue 21 items 6 and 7)."""

    project = models.OneToOneField(
        Project, models.CASCADE, related_name="publication", verbose_name=_("项目")
    )
    published = models.BooleanField(_("公开"), default=True)
    published_at = models.DateTimeField(_("公开时间"))
    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )

    objects = PublishedProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开项目")
        verbose_name_plural = _("公开项目")
        ordering = ["project__code"]

    def __str__(self):
        return str(self.project)

    def get_absolute_url(self):
        return reverse("public:manage")
