"""Logins: access events in the audit trail, and the forced password change.

Logins, logouts, failed logins and lockouts are written to the audit chain with the client's
address and browser (``tuijin.core.audit.record_access_event``); django-axes keeps its own
access logs beside them. Password changes are recorded by ``tuijin.org.passwords``.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from tuijin.core.audit import record_access_event
from tuijin.org.passwords import change_reason

SESSION_KEY = "tuijin_password_change"


@receiver(user_logged_in, dispatch_uid="tuijin_org_login")
def _on_login(sender, request, user, **kwargs):
    record_access_event("login", user=user, request=request)
    if request is not None and hasattr(request, "session") and (reason := change_reason(user)):
        request.session[SESSION_KEY] = reason


@receiver(user_logged_out, dispatch_uid="tuijin_org_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_access_event("logout", user=user, request=request)


@receiver(user_login_failed, dispatch_uid="tuijin_org_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    record_access_event("login_failed", username=username, request=request)


@receiver(user_locked_out, dispatch_uid="tuijin_org_locked_out")
def _on_locked_out(sender, request, username, ip_address, **kwargs):
    record_access_event("lockout", username=str(username or ""), request=request)


class PasswordChangeRequiredMiddleware:
    """Sends a user whose password must change (set by an admin, or expired) to the password
    change page until they change it.

    The login marks the session, so other users' requests cost no query; a marked session is
    checked against the database on each request and unmarked once the password is changed.
    """

    ALLOWED = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return self.get_response(request)
        if not request.user.is_authenticated:
            session.pop(SESSION_KEY, None)
            return self.get_response(request)
        allowed = {reverse(name) for name in self.ALLOWED}
        if request.path in allowed or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        reason = change_reason(request.user)
        if reason is None:
            session.pop(SESSION_KEY, None)
            return self.get_response(request)
        session[SESSION_KEY] = reason  # the password page says why
        return redirect("password_change")
