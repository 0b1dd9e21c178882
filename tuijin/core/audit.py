"""The audit trail: every create, update, delete and state change of a domain record.

Domain models inherit ``AuditedModel``; signals then write an ``AuditEvent`` for each save
and delete, whoever makes it (services, admin, shell). The actor comes from the request
(``AuditActorMiddleware``) or from ``audit_context(actor=..., action=...)`` in services and
tasks, which also names the business verb ("accept", "close") instead of "update".

Writing an event is a plain INSERT in the writer's transaction: no lock, no read of the
chain. The event is sealed into the chain after it commits (``tuijin.core.chain``); the
commit nudges the sealer.
"""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from tuijin.core.audited import (  # noqa: F401  (re-exported: apps import them from here)
    IGNORED_FIELDS,
    AuditedModel,
    jsonable,
    mask,
    snapshot,
)
from tuijin.core.chain import (  # noqa: F401  (seal_audit_chain, verify_chain re-exported)
    SEAL_NUDGE_KEY,
    seal_audit_chain,
    verify_chain,
)
from tuijin.core.models import AuditEvent

logger = logging.getLogger(__name__)

_actor = contextvars.ContextVar("audit_actor", default=None)
_action = contextvars.ContextVar("audit_action", default=None)
_request = contextvars.ContextVar("audit_request", default=None)

# A burst of commits queues the sealer once: the first sets SEAL_NUDGE_KEY and schedules the
# sealer this many seconds later; commits meanwhile find the key and leave it to that run.
SEAL_NUDGE_SECONDS = 2


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


def record_event(instance, action: str, changes: dict) -> AuditEvent:
    """Append one event (unsealed). Callers inside a transaction get it rolled back with it."""
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


def record_about(
    model: str, object_id: str, object_repr: str, action: str, changes: dict, using="default"
) -> AuditEvent:
    """Append an event about something that is not a model instance at hand: a setting
    (``constance.config``), a cleared lockout. ``model`` is a label like ``app.name``."""
    actor = current_actor()
    return _append(
        using,
        actor=actor,
        actor_repr=display_name(actor),
        action=_action.get() or action,
        model=model,
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:200],
        changes=changes,
    )


def record_events(items, using: str = "default") -> list:
    """Append many events at once (bulk writes such as an import): ``items`` are
    ``(instance, action, changes)``; the actor and business verb come from the context, as for
    ``record_event``. Writers that save in bulk (``bulk_create``/``bulk_update`` send no
    signals) call this for the rows they wrote. One INSERT per 500 events, no lock."""
    actor = current_actor()
    now = timezone.now()
    events = [
        AuditEvent(
            created_at=now,
            actor=actor,
            actor_repr=display_name(actor),
            action=_action.get() or action,
            model=instance._meta.label_lower,
            object_id=str(instance.pk),
            object_repr=str(instance)[:200],
            changes=changes,
        )
        for instance, action, changes in items
    ]
    created = AuditEvent.objects.using(using).bulk_create(events, batch_size=500)
    nudge_sealer(using)
    return created


def update_audited(queryset, **values) -> int:
    """``queryset.update(**values)`` with the events ``save()`` would have written: one per row
    whose audited values change, ``{field: [old, new]}`` as ``_on_save`` records them, appended
    in bulk (``record_events``, verb from the context, else ``update``). ``update()`` sends no
    signal: a writer that moves audited columns that way (a demo loader backdating what the
    services stamped) calls this instead, or ``verify_audit --records`` names the rows as
    changed outside the application. Plain values only: an ``F()`` has no value to record.
    Costs one SELECT more than ``update()``; a model that is not audited just gets the update.
    """
    model = queryset.model
    if not issubclass(model, AuditedModel):
        return queryset.update(**values)
    if any(hasattr(value, "resolve_expression") for value in values.values()):
        raise TypeError("update_audited takes plain values, not expressions")
    attnames = {model._meta.get_field(name).attname: value for name, value in values.items()}
    rows = list(queryset)
    items = []
    for row in rows:
        before = snapshot(row)
        for attname, value in attnames.items():
            setattr(row, attname, value)
        after = snapshot(row)
        changes = {
            name: [before.get(name), new] for name, new in after.items() if before.get(name) != new
        }
        row._audit_snapshot = after
        if changes:
            items.append((row, "update", changes))
    if not rows:
        return 0
    updated = model._base_manager.using(queryset.db).filter(pk__in=[row.pk for row in rows])
    count = updated.update(**values)
    if items:
        record_events(items, using=queryset.db)
    return count


def _append(using: str, **fields) -> AuditEvent:
    event = AuditEvent.objects.using(using).create(created_at=timezone.now(), **fields)
    nudge_sealer(using)
    return event


def nudge_sealer(using: str = "default") -> None:
    """Have the sealer run once the current transaction commits (at once in autocommit)."""
    if not getattr(settings, "AUDIT_SEAL_ON_COMMIT", True):
        return
    connection = connections[using]
    pending = getattr(connection, "run_on_commit", None) or []
    if any(callback is _queue_seal for _sids, callback, *_rest in pending):
        return  # already asked in this transaction
    transaction.on_commit(_queue_seal, using=using, robust=True)


def _queue_seal() -> None:
    from huey.contrib.djhuey import HUEY

    from tuijin.core.tasks import seal_audit_task

    if HUEY.immediate:  # tests: the sealer runs now (a delayed task would never run)
        seal_audit_task()
    elif cache.add(SEAL_NUDGE_KEY, 1, timeout=SEAL_NUDGE_SECONDS):
        seal_audit_task.schedule(delay=SEAL_NUDGE_SECONDS)


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
    return AuditEvent.objects.filter(
        model=instance._meta.label_lower, object_id=str(instance.pk)
    ).select_related(None)
