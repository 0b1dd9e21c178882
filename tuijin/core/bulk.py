"""Bulk writes whose SQL is built before the write transaction opens.

``bulk_create`` and ``bulk_update`` build their statements while they run, inside the caller's
transaction. For thousands of rows the building (each value converted, and for
``bulk_update`` a CASE of ``When(pk=…)`` expressions per column) costs seconds of CPU, and
on SQLite every other writer waits for them (the ledger import: docs/development/ledger.md).
Here the statements are built first and only sent inside the transaction:

- ``BulkInsert(model, objs)``: each value converted as ``bulk_create`` converts it (the
  field's ``pre_save``, so ``auto_now`` is filled, and ``get_db_prep_save``), in batches as
  ``bulk_create`` cuts them; ``run()`` sends them and gives each object its id
  (``RETURNING``: SQLite ≥ 3.35, PostgreSQL). ``insert_values`` for rows of plain ids.
- ``bulk_update_sql(model, objs, fields)``: ``UPDATE … SET col = CASE pk WHEN … END WHERE pk
  IN (…)``, each value converted by its field, cast as ``bulk_update`` casts on PostgreSQL.
- ``delete_sql(model, pks)`` for rows of a through table; ``run(statements)`` sends
  ``(sql, params)`` pairs.

Like ``bulk_create``/``bulk_update`` they send no signals and skip ``save()``: callers set
derived columns (search text) and write their audit events themselves
(``core.audit.record_events``). Only for plain concrete fields of models with an
auto-increment primary key.
"""

import contextlib
import gc

from django.db import connections

BATCH_SIZE = 500


def _batches(items: list, size: int):
    size = max(1, min(size or len(items), BATCH_SIZE))
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BulkInsert:
    """``bulk_create(objs)`` compiled now, sent by ``run()`` inside the transaction, which
    gives each object its id (``RETURNING``). ``late`` names columns read only at ``run()``
    (a foreign key to a row inserted just before: ``plan.project_id``)."""

    def __init__(self, model, objs, *, late=(), using: str = "default"):
        self.using, self.statements = using, []
        objs = list(objs)
        if not objs:
            return
        connection = connections[using]
        qn, opts = connection.ops.quote_name, model._meta
        fields = [f for f in opts.concrete_fields if not f.primary_key and not f.generated]
        if not connection.features.can_return_rows_from_bulk_insert or any(
            hasattr(f, "get_placeholder") for f in fields
        ):
            raise NotImplementedError(
                f"BulkInsert cannot insert {opts.label} on {connection.vendor}"
            )
        self.pk = opts.pk.attname
        self.late = [(i, f.attname) for i, f in enumerate(fields) if f.attname in late]
        self.width = len(fields)
        row = f"({', '.join(['%s'] * len(fields))})"
        head = (
            f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) VALUES "
        )
        tail = f" RETURNING {qn(opts.pk.column)}"
        for batch in _batches(objs, connection.ops.bulk_batch_size(fields, objs)):
            params = [
                None
                if f.attname in late
                else f.get_db_prep_save(f.pre_save(obj, add=True), connection)  # auto_now
                for obj in batch
                for f in fields
            ]
            self.statements.append((head + ", ".join([row] * len(batch)) + tail, params, batch))

    def run(self) -> None:
        with connections[self.using].cursor() as cursor:
            for sql, params, batch in self.statements:
                for n, obj in enumerate(batch):
                    for i, attname in self.late:
                        params[n * self.width + i] = getattr(obj, attname)
                cursor.execute(sql, params)
                for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                    setattr(obj, self.pk, pk)
                    obj._state.adding, obj._state.db = False, self.using


def insert_values(model, attnames: list[str], rows: list[tuple], using: str = "default") -> None:
    """Insert rows of plain database values (ids: the links of a many-to-many through table),
    no objects built, no ids returned."""
    if not rows:
        return
    connection = connections[using]
    qn, opts = connection.ops.quote_name, model._meta
    columns = ", ".join(qn(opts.get_field(name).column) for name in attnames)
    row = f"({', '.join(['%s'] * len(attnames))})"
    with connection.cursor() as cursor:
        for batch in _batches(rows, connection.ops.bulk_batch_size(attnames, rows)):
            cursor.execute(
                f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES {', '.join([row] * len(batch))}",
                [value for values in batch for value in values],
            )


def bulk_update_sql(model, objs, fields: list[str], using: str = "default") -> list[tuple]:
    """``bulk_update(objs, fields)`` as ``(sql, params)`` pairs, built now from the objects'
    current values."""
    objs = list(objs)
    if not objs:
        return []
    connection = connections[using]
    qn, opts = connection.ops.quote_name, model._meta
    fields = [opts.get_field(name) for name in fields]
    table, pk = qn(opts.db_table), qn(opts.pk.column)
    size = connection.ops.bulk_batch_size(["pk", "pk", *fields], objs)
    statements = []
    for batch in _batches(objs, size):
        whens = " ".join(["WHEN %s THEN %s"] * len(batch))
        sets, params = [], []
        for field in fields:
            case = f"CASE {pk} {whens} END"
            if connection.features.requires_casted_case_in_updates:
                case = f"CAST({case} AS {field.cast_db_type(connection)})"
            sets.append(f"{qn(field.column)} = {case}")
            for obj in batch:
                value = field.get_db_prep_save(getattr(obj, field.attname), connection)
                params += [obj.pk, value]
        ids = ", ".join(["%s"] * len(batch))
        params += [obj.pk for obj in batch]
        statements.append((f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} IN ({ids})", params))
    return statements


def delete_sql(model, pks, using: str = "default") -> list[tuple]:
    """``model.objects.filter(pk__in=pks).delete()`` for a model nothing refers to (a
    many-to-many through table), as ``(sql, params)`` pairs."""
    connection = connections[using]
    qn, opts = connection.ops.quote_name, model._meta
    pks = list(pks)
    return [
        (
            f"DELETE FROM {qn(opts.db_table)} WHERE {qn(opts.pk.column)} IN "
            f"({', '.join(['%s'] * len(batch))})",
            batch,
        )
        for batch in _batches(pks, connection.ops.bulk_batch_size(["pk"], pks))
    ]


def run(statements, using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


@contextlib.contextmanager
def gc_paused():
    """Bulk work with the cyclic garbage collector paused (process-wide, for its duration).

    With a few hundred thousand objects alive (a 5,000-row import: model instances, values,
    statements), the collections walk them again and again: 3.4 s of a 14.5 s import under
    load. Bulk writes make few reference cycles, and reference counting frees the rest as
    usual; collections resume when it is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
