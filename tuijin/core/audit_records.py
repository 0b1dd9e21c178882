"""``verify_audit --records``: rows whose values are not what their audit events say.

Every save through the application writes an event with the fields it changed; replaying a
record's create and update events gives the values it should have now (``snapshot``
semantics: ``audit_ignore`` and bookkeeping columns left out, secrets masked). A row whose
current value differs was changed outside the application (SQL in the database, a restored
file, a script that bypassed the signals). A record that events say exists but whose row is
gone was deleted outside it.

Bounded in memory: one model at a time, its rows in primary-key chunks with the events of
just those rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model

from tuijin.core.audit_system import USER_FLAGS
from tuijin.core.audited import AuditedModel, audited_fields, snapshot
from tuijin.core.models import AuditEvent

CHUNK = 500


@dataclass(frozen=True)
class Finding:
    model: str  # "projects.project"
    pk: str
    field: str  # attname, or "" for a row that is missing
    expected: object
    actual: object

    def __str__(self) -> str:
        if not self.field:
            return (
                f"{self.model} #{self.pk}:审计记录显示存在,但数据库中已没有这一行(在应用之外被删除)"
            )
        return (
            f"{self.model} #{self.pk} 字段 {self.field}:审计记录为 {self.expected!r},"
            f"数据库中为 {self.actual!r}(在应用之外被修改)"
        )


def audited_models() -> list[type[Model]]:
    return [m for m in apps.get_models() if issubclass(m, AuditedModel)]


def _fields_of(model) -> dict:
    """attname → field of what the model's events record: an audited model's snapshot, or for
    the user model its three flags (``core.audit_system``)."""
    if issubclass(model, AuditedModel):
        return {f.attname: f for f in audited_fields(model)}
    return {name: model._meta.get_field(name) for name in USER_FLAGS}


def _values_of(row, fields) -> dict:
    if isinstance(row, AuditedModel):
        return snapshot(row)
    return {name: getattr(row, name) for name in fields}


def _same(field, expected, actual) -> bool:
    """Equal once both are read as the field reads them ("12.5" and "12.50" for a decimal,
    two spellings of one instant for a datetime)."""
    if expected == actual:
        return True
    if expected is None or actual is None:
        return False
    try:
        return field.to_python(expected) == field.to_python(actual)
    except (ValidationError, TypeError, ValueError):
        return False


def _replay(events, pk_name: str) -> dict[str, tuple[bool, bool, dict]]:
    """object_id → (created here, deleted last, {attname: last value}) from events in order.

    A creation is known by its change of the primary key from None (its action may be a
    business verb, ``create_project``, rather than ``create``)."""
    state: dict[str, tuple[bool, bool, dict]] = {}
    for object_id, action, changes in events:
        created, _deleted, values = state.get(object_id, (False, False, {}))
        changes = changes if isinstance(changes, dict) else {}
        if action == "delete":
            state[object_id] = (created, True, {})
            continue
        if (changes.get(pk_name) or [0])[0] is None:
            created, values = True, {}
        for name, change in changes.items():
            if isinstance(change, list) and len(change) == 2:  # [old, new]; m2m is a dict
                values[name] = change[1]
        state[object_id] = (created, False, values)
    return state


def check_model(model: type[Model], chunk: int = CHUNK) -> Iterator[Finding]:
    label = model._meta.label_lower
    fields = _fields_of(model)
    rows = model._base_manager.order_by("pk")
    last_pk = None
    while True:
        page = rows.filter(pk__gt=last_pk) if last_pk is not None else rows
        batch = list(page[:chunk])
        if not batch:
            break
        last_pk = batch[-1].pk
        events = (
            AuditEvent.objects.filter(model=label, object_id__in=[str(r.pk) for r in batch])
            .order_by("id")
            .values_list("object_id", "action", "changes")
        )
        state = _replay(events.iterator(chunk_size=2000), model._meta.pk.attname)
        for row in batch:
            known = state.get(str(row.pk))
            if known is None:
                continue  # no event: made before auditing or by a data migration
            created, deleted, expected = known
            current = _values_of(row, fields)
            for name, field in fields.items():
                if name in expected:
                    want = expected[name]
                elif created:
                    want = None  # a creation records every non-empty value
                else:
                    continue  # never changed through the application: nothing to compare
                have = current.get(name)
                if name not in expected and have in (None, ""):
                    continue
                if not _same(field, want, have):
                    yield Finding(label, str(row.pk), name, want, have)
            if deleted:
                yield Finding(label, str(row.pk), "(delete)", "已删除", "存在")
    if issubclass(model, AuditedModel):  # accounts deleted before V10 have no delete event
        yield from _missing_rows(model, label)


def _missing_rows(model: type[Model], label: str) -> Iterator[Finding]:
    """Records whose last event is not a delete but whose row is gone. Events are read in
    (object_id, id) order, so one record's events are held at a time."""
    events = (
        AuditEvent.objects.filter(model=label)
        .exclude(object_id="")
        .order_by("object_id", "id")
        .values_list("object_id", "action")
    )
    alive: list[str] = []
    current, last_action = None, None
    for object_id, action in events.iterator(chunk_size=5000):
        if object_id != current:
            if current is not None and last_action != "delete":
                alive.append(current)
            current = object_id
        last_action = action
        if len(alive) >= CHUNK:
            yield from _absent(model, label, alive)
            alive = []
    if current is not None and last_action != "delete":
        alive.append(current)
    yield from _absent(model, label, alive)


def _absent(model, label: str, object_ids: list[str]) -> Iterator[Finding]:
    if not object_ids:
        return
    pk_field = model._meta.pk
    wanted = {}
    for object_id in object_ids:
        try:
            wanted[pk_field.to_python(object_id)] = object_id
        except ValidationError:
            continue
    present = set(model._base_manager.filter(pk__in=list(wanted)).values_list("pk", flat=True))
    for pk, object_id in wanted.items():
        if pk not in present:
            yield Finding(label, object_id, "", "存在", None)


def check_records(chunk: int = CHUNK) -> Iterator[Finding]:
    """Every audited model in turn, then the accounts' flags."""
    for model in [*audited_models(), get_user_model()]:
        yield from check_model(model, chunk)
