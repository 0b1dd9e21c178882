"""Audit events for what no domain model holds: accounts' powers, settings and lockouts.

- ``auth.user``: superuser / staff granted or revoked, an account enabled or disabled (and the
  three flags as an account is created or deleted), whoever does it (admin site, org import,
  shell). ``verify_audit --records`` holds the accounts' flags against these events.
  Logins and password changes are access events (``record_access_event``, org/accounts.py).
- ``constance.config``: a rule or threshold changed in 规则与阈值 (django-constance's signal).
- ``axes.accessattempt``: failed-login counters cleared before they expired (an admin deleting
  them, ``manage.py axes_reset*``), i.e. a lockout lifted. A user's own successful login
  clearing their counter, and expired counters cleaned away, are not events.

Connected in ``CoreConfig.ready``.
"""

from axes.models import AccessAttempt
from constance.signals import config_updated
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from tuijin.core.audit import current_actor, jsonable, record_about, record_event

USER_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="tuijin_audit_user_flags")
def _remember_flags(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._audit_flags = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(USER_FLAGS):
        return  # a login stamping last_login: no flag can change
    instance._audit_flags = (
        sender._default_manager.filter(pk=instance.pk).values(*USER_FLAGS).first()
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="tuijin_audit_user_flags")
def _record_flags(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    new = {flag: getattr(instance, flag) for flag in USER_FLAGS}
    if created:
        record_event(instance, "create", {flag: [None, value] for flag, value in new.items()})
        return
    old = getattr(instance, "_audit_flags", None)
    if old is None:
        return
    changes = {flag: [old[flag], new[flag]] for flag in USER_FLAGS if old[flag] != new[flag]}
    if changes:
        record_event(instance, "update", changes)


@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="tuijin_audit_user_flags")
def _record_user_deleted(sender, instance, **kwargs):
    record_event(instance, "delete", {flag: [getattr(instance, flag), None] for flag in USER_FLAGS})


@receiver(config_updated, dispatch_uid="tuijin_audit_constance")
def _record_setting(sender, key, old_value, new_value, **kwargs):
    old, new = jsonable(old_value), jsonable(new_value)
    if old != new:
        record_about("constance.config", key, key, "update_setting", {key: [old, new]})


def _expired(attempt) -> bool:
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if not hasattr(cooloff, "total_seconds") or attempt.attempt_time is None:
        return False
    return attempt.attempt_time + cooloff <= timezone.now()


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="tuijin_audit_axes_reset")
def _record_lockout_reset(sender, instance, **kwargs):
    if _expired(instance):
        return
    actor = current_actor()
    if actor is not None and actor.get_username() == instance.username:
        return  # the user's own successful login clears their counter
    record_about(
        "axes.accessattempt",
        instance.pk,
        f"{instance.username or ''} @ {instance.ip_address or ''}",
        "axes_reset",
        {
            "username": instance.username,
            "ip_address": instance.ip_address,
            "failures": instance.failures_since_start,
        },
    )
