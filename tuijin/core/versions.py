"""No lost updates: every edit form carries the version of the record it showed.

The pattern (督办 items first, ``supervision.services.acting_on``): the form holds a hidden
``version``; the service locks the row (``SELECT … FOR UPDATE``) inside its transaction,
compares the version, and raises ``Conflict`` (a Chinese message) when someone else saved in
between; otherwise it saves, and the version rises. The view shows the message above the form
with the user's input kept (status 409) and the current version in the form: saving again,
after checking, is then the user's informed choice.

A model edited through forms inherits ``VersionedModel`` (every save of an existing row raises
``version``, whoever saves it: a form's service, the import, intake, the admin) and lists
``"version"`` in its ``audit_ignore``; its ModelForms (and inline formsets' row forms) mix in
``VersionedFormMixin``. Unique values (a year's plan, a project code) are checked by the
service inside its transaction and a lost race is turned into a form error, never a 500
(``unique_write``).
"""

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

KEPT = _("请核对后重新提交,您填写的内容已保留。")  # lazy: read in the user's language


class Conflict(Exception):
    """Someone else saved (or deleted) the record since the user loaded it.

    ``version`` is the record's version now (None when it is gone); views put it in the form.
    """

    def __init__(self, message: str, version: int | None = None, pk: int | None = None):
        super().__init__(message)
        self.version, self.pk = version, pk


class VersionedModel(models.Model):
    """Abstract: a record edited through the site's forms; each save of a stored row raises
    ``version`` by one. Writers that bypass ``save()`` (``bulk_update``, ``update()``) on fields
    a form edits raise it themselves: ``version=F("version") + 1``."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


def check_version(record, version: int | None, what: str) -> None:
    """Refuse when the user saw another version of `record` (`what` names it: “该项目”).
    ``version=None`` (an import, intake, a job: no form) skips the check."""
    if version is not None and record.version != version:
        changed = _("%(what)s刚刚已被他人修改,您的修改未保存。") % {"what": what}
        raise Conflict(f"{changed}{KEPT}", record.version, record.pk)


def locked(queryset, pk: int, version: int | None, what: str):
    """The row, locked until the transaction ends, if the user saw its current version."""
    try:
        record = queryset.select_for_update(of=("self",)).get(pk=pk)
    except queryset.model.DoesNotExist:
        deleted = _("%(what)s刚刚已被他人删除,您的修改未保存。") % {"what": what}
        raise Conflict(f"{deleted}{KEPT}", None, pk) from None
    check_version(record, version, what)
    return record


@contextlib.contextmanager
def unique_write(message, field: str | None = None):
    """Around a write that a unique constraint guards, after the service's own check: when
    another user won the race, the constraint's IntegrityError becomes a ValidationError (on
    `field`, or the whole form) with `message`. A savepoint keeps the transaction usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise ValidationError({field: message} if field else message) from None


# --- forms ------------------------------------------------------------------------------------


class VersionForm(forms.Form):
    """Every action carries the version the user saw (no lost updates)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionedFormMixin:
    """For a ModelForm of a ``VersionedModel``: a hidden ``version`` holding the instance's when
    the form edits a stored record (none when it creates one). A form that showed no record has
    seen version 0: a service that makes the record or edits the one found (a project's needs,
    a zone's rules, a village's income of a year) refuses to overwrite one made since."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )

    def seen_version(self) -> int:
        return self.cleaned_data.get("version") if self.instance.pk else 0


def differences(form, record, limit: int = 8) -> str:
    """The fields of a ModelForm where the user's input differs from `record` as saved now, with
    the saved value: “项目名称“新名称”、总投资“1200.00””, so the user sees what to check."""
    parts = []
    for name in form._meta.fields:
        if name not in form.cleaned_data:
            continue
        field = record._meta.get_field(name)
        typed = form.cleaned_data[name]
        if field.many_to_many:
            saved = list(getattr(record, name).all())
            if {obj.pk for obj in saved} == {obj.pk for obj in typed}:
                continue
            shown = "、".join(str(obj) for obj in saved)
        else:
            saved = getattr(record, name)
            if saved == typed or (saved in (None, "") and typed in (None, "")):
                continue
            shown = record._get_FIELD_display(field) if field.choices else saved
        shown = "" if shown is None else str(shown)
        shown = shown if len(shown) <= 30 else shown[:30] + "…"
        parts.append(f"{field.verbose_name}“{shown}”")
    if len(parts) > limit:
        parts = [*parts[:limit], "…"]
    return "、".join(parts)


def show_conflict(form, conflict: Conflict) -> None:
    """The conflict's message on `form`, whose input is kept, now carrying the current version."""
    form.add_error(None, str(conflict))
    if conflict.version is not None and "version" in form.fields:
        data = form.data.copy()
        data[form.add_prefix("version")] = str(conflict.version)
        form.data = data
