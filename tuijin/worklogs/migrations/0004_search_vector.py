"""PostgreSQL: the search's tsvector stored in its own column, the GIN index on that column.

Until now the GIN index was on the expression ``to_tsvector('simple', search_text)``: a
phrase query must recheck the positions of each candidate row, and with an expression index
PostgreSQL recomputes the tsvector for every row it rechecks (the medium and common terms of
bench/README.md spent most of their time there). ``search_vector`` is a stored generated
column, so the database keeps it in step with ``search_text`` on every INSERT, UPDATE and
COPY, whoever writes the row (``services.write_log``, ``bulk_create``, the benchmark's COPY).

The column lives outside Django's model state, like the SQLite FTS5 table of 0002: the ORM
never selects it, and SQLite has no tsvector. The author/unit index (both databases) lets
``WorkLog.objects.visible_to`` ask, from the index alone, whether a unit's staff member wrote
logs in another unit (before a transfer), so that the usual case needs no ``OR author``.

The SQL is held here rather than imported: a migration must not change with the app code
(``search.py`` keeps the same index DDL; worklogs/tests/test_search.py checks they agree).
"""

from django.db import migrations, models

# The old index goes first: adding a stored column rewrites the table and rebuilds every
# index on it, and rebuilding that one would recompute every row's tsvector once more.
POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS worklog_search_gin",
    "ALTER TABLE worklogs_worklog ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS worklog_search_vector_gin ON worklogs_worklog "
    "USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS worklog_search_gin ON worklogs_worklog "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
    "DROP INDEX IF EXISTS worklog_search_vector_gin",
    "ALTER TABLE worklogs_worklog DROP COLUMN IF EXISTS search_vector",
]
# What search.create_index / drop_index run (the benchmark drops it around a bulk load).
POSTGRES_CREATE = [POSTGRES_FORWARD[2]]
POSTGRES_DROP = ["DROP INDEX IF EXISTS worklog_search_vector_gin"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("worklogs", "0003_original_file_name")]
    operations = [
        migrations.RunPython(forward, backward),
        migrations.AddIndex(
            model_name="worklog",
            index=models.Index(fields=["author", "unit"], name="worklog_author_unit_idx"),
        ),
    ]
