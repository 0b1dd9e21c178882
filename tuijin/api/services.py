"""Making and revoking personal access tokens (audited)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tuijin.api.models import AccessToken, digest, new_secret
from tuijin.core.audit import audit_context
from tuijin.org.access import can_write

# How long a token may live: one year at most (a leaked, forgotten token dies by itself).
LIFETIMES = (30, 90, 365)


@transaction.atomic
def create_token(user, *, name: str, scope: str, days: int) -> tuple[AccessToken, str]:
    """A new token of the user's own; returns it and its secret (shown once, never stored).
    A read-write token only for who may write at all (not inspectors)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    if scope == AccessToken.Scope.WRITE and not can_write(user):
        raise PermissionDenied("您的角色只能查看,只能创建只读令牌。")
    if days not in LIFETIMES:
        raise ValueError(days)
    secret = new_secret()
    with audit_context(actor=user, action="create_token"):
        token = AccessToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=secret[:10],
            token_hash=digest(secret),
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
    return token, secret


@transaction.atomic
def revoke_token(user, token_pk: int) -> AccessToken:
    """Revoke at once: the next request with it is refused (401). Revoking twice is a no-op."""
    token = AccessToken.objects.editable_by(user).select_for_update().get(pk=token_pk)
    if token.revoked_at is None:
        with audit_context(actor=user, action="revoke_token"):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
