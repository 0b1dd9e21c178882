"""What an audit event says about a record: the audited base model and its field snapshot.

Kept apart from ``tuijin.core.audit`` (which writes events) so that ``core.models`` can build
on it without an import circle. Everything here is re-exported by ``tuijin.core.audit``.
"""

import datetime as dt
import decimal
import functools
import uuid

from django.db import models

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
        instance._audit_snapshot = snapshot(instance, loaded_only=True)
        return instance


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


def snapshot(instance, loaded_only: bool = False) -> dict:
    """The instance's audited values as events record them (secrets masked). ``loaded_only``:
    only the columns loaded from the database (a deferred one is not read)."""
    secret = getattr(instance, "audit_secret", ())
    values = {}
    for field in audited_fields(type(instance)):
        if loaded_only and field.attname not in instance.__dict__:
            continue
        value = getattr(instance, field.attname)
        values[field.attname] = mask(value) if field.attname in secret else jsonable(value)
    return values


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
