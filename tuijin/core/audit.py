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
_request = contextvars.ContextVar("audit_request", default=None)

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
    actor = current_actor()
    return _append(
        instance._state.db or "default",
        actor=actor,
        actor_repr=display_name(actor),
        action=_action.get() or action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
    )


def record_events(items, using: str = "default") -> list:
    """Append many events at once (bulk writes such as an import): ``items`` are
    ``(instance, action, changes)``; the actor and business verb come from the context, as for
    ``record_event``. Writers that save in bulk (``bulk_create``/``bulk_update`` send no
    signals) call this for the rows they wrote."""
    actor = current_actor()
    rows = [
        {
            "actor": actor,
            "actor_repr": display_name(actor),
            "action": _action.get() or action,
            "model": instance._meta.label_lower,
            "object_id": str(instance.pk),
            "object_repr": str(instance)[:200],
            "changes": changes,
        }
        for instance, action, changes in items
    ]
    return _append_many(using, rows)


def _append_many(using: str, rows: list[dict]) -> list:
    from tuijin.core.models import AuditEvent

    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        now = timezone.now()
        events = []
        for fields in rows:
            event = AuditEvent(created_at=now, prev_hash=prev_hash, **fields)
            event.hash = prev_hash = digest(prev_hash, event.payload())
            events.append(event)
        return AuditEvent.objects.bulk_create(events, batch_size=500)


def _append(using: str, **fields) -> "AuditEvent":  # noqa: F821
    from tuijin.core.models import AuditEvent

    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        # SQLite: IMMEDIATE transactions already serialise writers.
        prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        event = AuditEvent(created_at=timezone.now(), prev_hash=prev_hash, **fields)
        event.hash = digest(prev_hash, event.payload())
        event.save()
    return event


def record_access_event(action: str, user=None, username: str = "", request=None):
    """A login, logout, failed login, lockout or password change, with the client's address
    and browser (DESIGN §4). ``request`` defaults to the one being served; ``username`` names
    who was tried when there is no such user. The actor is whoever is logged in (an admin
    resetting a password), else the user concerned. Outside a request (``load_demo``, the
    shell) nothing is recorded: there is no client, and the operator has the server itself."""
    from tuijin.core.clientip import client_ip

    request = request if request is not None else _request.get()
    if request is None:
        return None
    meta = request.META
    actor = current_actor() or (user if getattr(user, "pk", None) else None)
    username = user.get_username() if user is not None else username
    return _append(
        "default",
        actor=actor,
        actor_repr=display_name(actor) if actor else username[:150],
        action=action,
        model="auth.user",
        object_id=str(user.pk) if user is not None and user.pk else "",
        object_repr=username[:200],
        changes={
            "ip": client_ip(request),
            "user_agent": meta.get("HTTP_USER_AGENT", "")[:300],
        },
    )


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
        request_token = _request.set(request)  # access events read its address and browser
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)
            _request.reset(request_token)


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
