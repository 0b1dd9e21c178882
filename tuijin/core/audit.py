"""The audit trail: every create, update, delete and state change of a domain record.

Domain models inherit ``AuditedModel``; signals then write an ``AuditEvent`` for each save
and delete, whoever makes it (services, admin, shell). The actor comes from the request
(``AuditActorMiddleware``) or from ``audit_context(actor=..., action=...)`` in services and
tasks, which also names the business verb ("accept", "close") instead of "update".
"""

import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid

from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

_actor = contextvars.ContextVar("audit_actor", default=None)
_action = contextvars.ContextVar("audit_action", default=None)

# Bookkeeping columns that are not facts about the record.
IGNORED_FIELDS = {"depth", "numchild", "path", "updated_at", "created_at", "search_text"}
ADVISORY_LOCK_ID = 7_350_101  # PostgreSQL advisory lock that serialises chain appends


class AuditedModel(models.Model):
    """Abstract base: remembers the values loaded from the database to diff on save.

    ``audit_ignore`` names derived columns (cached lights, search text) left out of events.
    """

    audit_ignore: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = {
            f.attname: jsonable(getattr(instance, f.attname))
            for f in cls._meta.concrete_fields
            if f.attname in instance.__dict__
        }
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


def snapshot(instance) -> dict:
    ignored = IGNORED_FIELDS | set(getattr(instance, "audit_ignore", ()))
    return {
        f.attname: jsonable(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.attname not in ignored
    }


def digest(prev_hash: str, payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@contextlib.contextmanager
def audit_context(actor=None, action: str | None = None):
    """Name who acts and, optionally, the business verb for events written inside."""
    actor_token = _actor.set(actor) if actor is not None else None
    action_token = _action.set(action) if action else None
    try:
        yield
    finally:
        if actor_token:
            _actor.reset(actor_token)
        if action_token:
            _action.reset(action_token)


def current_actor():
    actor = _actor.get()
    if callable(actor):  # the middleware passes a lazy getter
        actor = actor()
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor
    return None


def record_event(instance, action: str, changes: dict) -> "AuditEvent":  # noqa: F821
    """Append one event to the chain. Callers inside a transaction get it rolled back with it."""
    from tuijin.core.models import AuditEvent

    actor = current_actor()
    with transaction.atomic(using=instance._state.db or "default"):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        # SQLite: IMMEDIATE transactions already serialise writers.
        prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor,
            actor_repr=display_name(actor),
            action=_action.get() or action,
            model=instance._meta.label_lower,
            object_id=str(instance.pk),
            object_repr=str(instance)[:200],
            changes=changes,
            prev_hash=prev_hash,
        )
        event.hash = digest(prev_hash, event.payload())
        event.save()
    return event


def display_name(user) -> str:
    if user is None:
        return "系统"
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


@receiver(post_save)
def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    new = snapshot(instance)
    old = {} if created else getattr(instance, "_audit_snapshot", {})
    changes = {
        name: [old.get(name), value]
        for name, value in new.items()
        if (created and value not in (None, "")) or (not created and old.get(name) != value)
    }
    instance._audit_snapshot = new
    if created or changes:
        record_event(instance, "create" if created else "update", changes)


@receiver(post_delete)
def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, AuditedModel):
        record_event(instance, "delete", {k: [v, None] for k, v in snapshot(instance).items()})


@receiver(m2m_changed)
def _on_m2m(sender, instance, action, pk_set, **kwargs):
    if not isinstance(instance, AuditedModel) or action not in {"post_add", "post_remove"}:
        return
    field = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), None
    )
    if field and pk_set:
        key = "added" if action == "post_add" else "removed"
        record_event(instance, "update", {field: {key: sorted(pk_set)}})


class AuditActorMiddleware:
    """Makes the request's user the actor of audit events written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(lambda: getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def history_for(instance):
    from tuijin.core.models import AuditEvent

    return AuditEvent.objects.filter(
        model=instance._meta.label_lower, object_id=str(instance.pk)
    ).select_related(None)


def verify_chain(batch_size: int = 2000):
    """Return (events checked, first broken event or None)."""
    from tuijin.core.models import AuditEvent

    prev_hash = ""
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != prev_hash or event.hash != digest(prev_hash, event.payload()):
            return checked, event
        prev_hash = event.hash
        checked += 1
    return checked, None
