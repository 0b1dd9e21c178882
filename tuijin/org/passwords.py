"""Password rules per 等保 2.0 level 3, as Django password validators and plain rule functions.

- ``CharacterClassValidator``: three of the four classes (upper, lower, digit, symbol).
- ``UsernameValidator``: the password does not contain the user name.
- ``PasswordHistoryValidator``: not one of the last ``PASSWORD_HISTORY_COUNT`` passwords. Its
  ``password_changed`` hook (Django calls it after every ``set_password`` + ``save``) records
  the new hash, and marks the password "must change" when someone other than the user set it:
  an admin creating the account or resetting the password in the admin site, the org import.
  A user setting their own password clears it; scripts and ``load_demo`` (no one logged in)
  do not force a change.
- ``change_reason(user)``: why the user must change their password now (None: they need not).

Demo loading sets ``tuijin2026`` with ``set_password``, which does not run validators.
"""

import datetime as dt
import string

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import current_actor, record_access_event
from tuijin.org.models import PasswordRecord

CLASSES = (
    (lambda c: c in string.ascii_uppercase, "大写字母"),
    (lambda c: c in string.ascii_lowercase, "小写字母"),
    (str.isdigit, "数字"),
    (lambda c: not c.isalnum(), "符号"),
)
MUST_CHANGE = "initial"
EXPIRED = "expired"


# Django's own rules, with their messages in our words: Django's Chinese catalog lacks some
# (the length message of Django 5.2 shows in English).
class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短,至少需要%(n)s个字符") % {"n": self.min_length}

    def get_help_text(self):
        return _("至少%(n)s个字符。") % {"n": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("密码与账号的%(verbose_name)s太相似")

    def get_help_text(self):
        return _("不能与账号的姓名、邮箱等信息相似。")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("这是常见的弱密码,请换一个")

    def get_help_text(self):
        return _("不能是常见的弱密码。")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("密码不能全是数字")

    def get_help_text(self):
        return _("不能全是数字。")


def character_classes(password: str) -> int:
    return sum(any(test(c) for c in password) for test, _name in CLASSES)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号四类中的至少%(n)s类,如 Kaifaqu@2026")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("须包含大写字母、小写字母、数字、符号四类中的至少%(n)s类。") % {
            "n": self.min_classes
        }


class UsernameValidator:
    # Shorter names (two letters) turn up in passwords by chance.
    MIN_NAME_LENGTH = 3

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= self.MIN_NAME_LENGTH and username.lower() in password.lower():
            raise ValidationError(
                _("密码不能包含用户名“%(name)s”") % {"name": username},
                code="password_contains_username",
            )

    def get_help_text(self):
        return _("不能包含用户名。")


def recent_records(user, count: int | None = None):
    count = settings.PASSWORD_HISTORY_COUNT if count is None else count
    return PasswordRecord.objects.filter(user=user).order_by("-set_at", "-pk")[:count]


class PasswordHistoryValidator:
    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        count = settings.PASSWORD_HISTORY_COUNT
        hashes = [r.password for r in recent_records(user, count)]
        # The current password counts as used even for accounts older than the history.
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        if any(check_password(password, h) for h in hashes[: max(count, 1)]):
            raise ValidationError(
                _("不能使用最近%(n)s次用过的密码,请换一个新密码") % {"n": count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        record_password_change(user)

    def get_help_text(self):
        return _("不能与最近%(n)s次用过的密码相同。") % {"n": settings.PASSWORD_HISTORY_COUNT}


def record_password_change(user) -> PasswordRecord:
    """Remember the user's new password (already hashed on ``user``) and who set it."""
    actor = current_actor()
    by_someone_else = actor is not None and actor.pk != user.pk
    record = PasswordRecord.objects.create(
        user=user, password=user.password, set_at=timezone.now(), must_change=by_someone_else
    )
    # Older hashes beyond the history are of no use to anyone: drop them.
    keep = recent_records(user, max(settings.PASSWORD_HISTORY_COUNT, 1)).values_list("pk")
    PasswordRecord.objects.filter(user=user).exclude(pk__in=[pk for (pk,) in keep]).delete()
    record_access_event("password_reset" if by_someone_else else "password_change", user=user)
    return record


def change_reason(user) -> str | None:
    """MUST_CHANGE when the password was set by someone else, EXPIRED when it is older than
    ``PASSWORD_EXPIRY_DAYS`` (0: never), else None."""
    latest = recent_records(user, 1).first()
    if latest is not None and latest.must_change:
        return MUST_CHANGE
    days = settings.PASSWORD_EXPIRY_DAYS
    if days > 0:
        # Accounts older than the history count from their creation.
        set_at = latest.set_at if latest is not None else user.date_joined
        if set_at + dt.timedelta(days=days) < timezone.now():
            return EXPIRED
    return None
