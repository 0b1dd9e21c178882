"""What an audit event says about a record: the audited base model and its field snapshot.

Kept apart from ``tuijin.core.audit`` (which writes events) so that ``core.models`` can build
on it without an import circle. Everything here is re-exported by ``tuijin.core.audit``.
"""

import copy
import datetime as dt
import decimal
import functools
import uuid

from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

# Bookkeeping columns that are not facts about the record.
IGNORED_FIELDS = {"depth", "numchild", "path", "updated_at", "created_at", "search_text"}


class AuditedModel(models.Model):
    """Abstract: remembers the values loaded from the database to diff on save.

    ``audit_ignore`` names derived columns (cached lights, search text) left out of events.
    ``audit_secret`` names columns audited only masked (``****`` and the last four characters
    of a long value): a webhook address holding a key, a signing secret.
    """

    audit_ignore: tuple[str, ...] = ()
    audit_secret: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The values as loaded, turned into the snapshot only when a save or an import diffs
        # them: most rows are only read (a ledger page, an export), and the snapshot was a
        # quarter of loading one (B12). Lists and dicts (JSON) are copied: code may change
        # them in place before saving.
        if has_json_fields(cls):
            values = tuple(copy.deepcopy(v) if isinstance(v, list | dict) else v for v in values)
        instance._audit_loaded = (field_names, values)
        return instance

    @property
    def _audit_snapshot(self) -> dict:
        """The audited values as last loaded or saved ({} for a record not yet saved)."""
        state = self.__dict__
        if "_audit_saved" not in state:
            loaded = state.pop("_audit_loaded", None)
            state["_audit_saved"] = loaded_snapshot(type(self), *loaded) if loaded else {}
        return state["_audit_saved"]

    @_audit_snapshot.setter
    def _audit_snapshot(self, values: dict) -> None:
        self.__dict__.pop("_audit_loaded", None)
        self.__dict__["_audit_saved"] = values

    def _get_FIELD_display(self, field):
        # Django's version builds the choices dict again on each call, hashing every lazy
        # label (so translating each): 27 µs, 1.4 ms for a ledger page's 50 stages (B12).
        # Choices given by a function (notify's events, registered by each app) stay Django's.
        if isinstance(field.choices, CallableChoiceIterator):
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)


@functools.cache
def has_json_fields(model) -> bool:
    """Whether the model has a column whose values are lists or dicts (JSON)."""
    return any(isinstance(f, models.JSONField) for f in model._meta.concrete_fields)


@functools.cache
def choice_labels(field) -> dict:
    """A field's choices as {value: label}, the labels still lazy (translated when shown)."""
    return dict(make_hashable(field.flatchoices))


def jsonable(value):
    """A JSON value that survives a round trip through a JSONField unchanged."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or None
    return str(value)


def mask(value) -> str:
    """A secret as an audit event shows it: ``****abcd``; a short one shows nothing of itself."""
    if not value:
        return ""
    value = str(value)
    return f"****{value[-4:]}" if len(value) > 8 else "****"


@functools.cache
def audited_fields(model) -> tuple:
    """The concrete fields whose values an event of this model records (once per model: every
    row loaded from the database takes its snapshot with them)."""
    ignored = IGNORED_FIELDS | set(getattr(model, "audit_ignore", ()))
    return tuple(f for f in model._meta.concrete_fields if f.attname not in ignored)


def loaded_snapshot(model, field_names, values) -> dict:
    """``snapshot`` of a row from the attribute names and values it was loaded with."""
    loaded = dict(zip(field_names, values, strict=True))
    fields = [f.attname for f in audited_fields(model) if f.attname in loaded]
    return recorded(model, ((name, loaded[name]) for name in fields))


def snapshot(instance) -> dict:
    """The instance's audited values as events record them (secrets masked)."""
    fields = [f.attname for f in audited_fields(type(instance))]
    return recorded(type(instance), ((name, getattr(instance, name)) for name in fields))


def recorded(model, values) -> dict:
    """(column, value) pairs as an event records them: JSON values, secrets masked."""
    secret = getattr(model, "audit_secret", ())
    return {name: mask(value) if name in secret else jsonable(value) for name, value in values}


def event_payload(event) -> dict:
    """What an event's hash covers: everything but the hashes themselves. Works on
    ``AuditEvent`` and on the historical model a migration gets."""
    return {
        "seq": event.seq,
        "at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_repr,
        "action": event.action,
        "model": event.model,
        "object_id": event.object_id,
        "object": event.object_repr,
        "changes": event.changes,
    }
