"""Intake records: which text a person confirmed, and what it created (traceability)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.core.audit import AuditedModel
from tuijin.org.models import Person, Unit


class IntakeDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Intakes done by people of the user's units, and the user's own."""
        from tuijin.org.access import person_of, visible_units

        rule = Q(unit__in=visible_units(user))
        if person := person_of(user):
            rule |= Q(created_by=person)
        return self.filter(rule)

    def editable_by(self, user):
        """Nobody: an intake record says what a person confirmed, and stays as it was."""
        return self.none()


class IntakeDocument(AuditedModel):
    """A text taken in (文本录入) and confirmed: the repaired text and the records it made.

    ``results`` lists what the confirmation did, one dict per record:
    ``{"kind": "project" | "enterprise" | "problem", "action": "create" | "update" | "exists",
    "pk": 12, "name": "…", "note": "…"}``.
    """

    title = models.CharField(_("标题"), max_length=200)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    encoding = models.CharField(_("原始编码"), max_length=30, blank=True)
    text = models.TextField(_("修复后文本"))
    repairs = models.PositiveIntegerField(_("修复处数"), default=0)
    reference_date = models.DateField(_("参考日期"))
    results = models.JSONField(_("录入结果"), default=list, blank=True)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="intake_documents", verbose_name=_("录入单位")
    )
    created_by = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_documents",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = IntakeDocumentQuerySet.as_manager()
    # The text is the document itself and each result is a record with its own "intake" event;
    # repeating both in this record's event would only bury the who and when.
    audit_ignore = ("text", "results")

    class Meta:
        verbose_name = _("文本录入记录")
        verbose_name_plural = _("文本录入记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("intake:document_detail", args=[self.pk])

    def results_of(self, kind: str) -> list[dict]:
        return [r for r in self.results if r.get("kind") == kind]
