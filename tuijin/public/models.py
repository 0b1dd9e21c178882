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


class PublicPhotoQuerySet(ScopedThroughParent):
    parent = "photo"

    def shown(self):
        """What anyone may see: marked public, with its copy made, of a published project."""
        return self.filter(public=True, photo__project__publication__published=True).exclude(
            image=""
        )


class PublicPhoto(AuditedModel):
    """A project photo the zone shows on the public progress page (issue 21 item 7).

    The public sees only ``image`` and ``thumbnail``: copies made when the photo is marked
    public, without any EXIF (no place, no time, no phone), orientation applied, the longest
    side bounded. The original never leaves through the public pages. Unmarking keeps the row
    (``public`` off, copies deleted), so the history shows who showed and hid it when.
    """

    photo = models.OneToOneField(
        "projects.ProjectFile",
        models.CASCADE,
        related_name="public_copy",
        verbose_name=_("照片"),
    )
    public = models.BooleanField(_("公开"), default=True)
    image = models.FileField(_("公开副本"), blank=True)
    thumbnail = models.FileField(_("公开缩略图"), blank=True)
    width = models.PositiveIntegerField(_("宽度"), default=0)
    height = models.PositiveIntegerField(_("高度"), default=0)
    marked_at = models.DateTimeField(_("操作时间"))
    by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )

    objects = PublicPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开照片")
        verbose_name_plural = _("公开照片")
        ordering = ["photo__project", "-photo__taken_at", "pk"]

    def __str__(self):
        return str(self.photo)

    def get_absolute_url(self):
        return reverse("public:photos_edit", args=[self.photo.project_id])
