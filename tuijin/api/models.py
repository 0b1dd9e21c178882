"""Personal access tokens of the REST API (/api/v1/): made and revoked by their owner on the
tokens page, shown once, kept only as a SHA-256 hash, with an expiry, a last-used time and a
scope (read-only or read-write)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.audit import AuditedModel

TOKEN_PREFIX = "tj_"


def new_secret() -> str:
    """A token as the user copies it: ``tj_`` and 40 URL-safe characters (240 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


def digest(secret: str) -> str:
    """The stored form: a random 240-bit secret needs no slow hash, only a one-way one."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class TokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Each user's own tokens; admins see everyone's (to revoke a leaked one)."""
        from tuijin.org.access import sees_everything

        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all() if sees_everything(user) else self.filter(user_id=user.pk)

    def editable_by(self, user):
        return self.visible_to(user)

    def usable(self):
        """Not revoked and not expired: the tokens a request may authenticate with."""
        return self.filter(revoked_at=None, expires_at__gt=timezone.now())


class AccessToken(AuditedModel):
    """A personal access token (个人访问令牌) of the API."""

    class Scope(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("所属账号"),
    )
    name = models.CharField(_("名称"), max_length=60, help_text=_("用途,如:统计局数据对接"))
    prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("权限"), max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = TokenQuerySet.as_manager()
    # The hash has no place in the audit chain; the last use is bookkeeping of every request.
    audit_ignore = ("token_hash", "last_used_at")

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="apitoken_scope_valid"
            )
        ]

    def __str__(self):
        return f"{self.name}({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("api:tokens")

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
