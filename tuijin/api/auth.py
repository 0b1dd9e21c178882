"""Who calls: a personal access token (``Authorization: Bearer tj_…``) or the site's own
session (the site's JavaScript; CSRF checked on writes as for the pages). Rate limits per
token (per user for sessions) in Django's cache."""

import datetime as dt
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle

from tuijin.api.errors import ApiError
from tuijin.api.models import AccessToken, digest

# last_used_at is written at most this often per token (a busy client is not a write per call).
LAST_USED_EVERY = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a usable token of an active user."""

    openapi_description = "个人访问令牌:在“访问令牌”页面创建,请求头 Authorization: Bearer <令牌>。"

    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        row = (
            AccessToken.objects.usable()
            .select_related("user")
            .filter(token_hash=digest(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
            # Bookkeeping, not an edit: not audited (audit_ignore), no version.
            AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user  # the audit middleware's actor, the scoping functions' user
        request.api_token = row
        return row.user


class WriteTokenAuth(TokenAuth):
    """For write operations: a read-only token is refused (403) before the body is read."""

    def authenticate(self, request, token):
        user = super().authenticate(request, token)
        if user is not None:
            require_write(request)
        return user


class SessionAuth(APIKeyCookie):
    """The site's session cookie; unsafe methods need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "网站登录会话(供本站页面脚本使用);写操作须带 X-CSRFToken 请求头。"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.api_token = None
            return user
        return None


def require_write(request) -> None:
    """Refuse a write to a read-only token (before anything is read or changed)."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise ApiError(403, "token_read_only", "该令牌为只读令牌,不能执行写操作。")


class PerTokenThrottle(BaseThrottle):
    """A fixed window per token (per user for sessions): ``API_RATE_LIMIT`` requests per
    ``API_RATE_WINDOW`` seconds (settings; 600 a minute by default). Over it: 429 with
    Retry-After, the seconds until the window ends."""

    def __init__(self):
        self._local = threading.local()  # one instance serves every request (threads too)

    def allow_request(self, request) -> bool:
        limit = getattr(settings, "API_RATE_LIMIT", 600)
        window = getattr(settings, "API_RATE_WINDOW", 60)
        token = getattr(request, "api_token", None)
        ident = f"t{token.pk}" if token is not None else f"u{request.user.pk}"
        now = time.time()
        start = int(now // window) * window
        key = f"api-rate:{ident}:{start}"
        cache.add(key, 0, window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 5)
            count = 1
        self._local.wait = max(1.0, start + window - now)
        return count <= limit

    def wait(self):
        return getattr(self._local, "wait", None)
