"""Core owns no domain tables; the audit log is the one exception (DESIGN §4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change to a domain record, chained by SHA-256 to the event before it.

    ``hash = sha256(prev_hash + canonical JSON of the event)``; ``verify_audit`` recomputes
    the chain, so an edited, inserted or deleted row breaks it at that point.
    """

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the chain must outlive deleted users
        verbose_name=_("操作人"),
    )
    actor_repr = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    model = models.CharField(_("对象类型"), max_length=100)  # "app_label.modelname"
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    changes = models.JSONField(_("变更"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.model}:{self.object_id}"

    def payload(self) -> dict:
        """What the hash covers: everything but the hashes themselves."""
        return {
            "at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor_repr,
            "action": self.action,
            "model": self.model,
            "object_id": self.object_id,
            "object": self.object_repr,
            "changes": self.changes,
        }
