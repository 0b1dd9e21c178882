"""The Chinese search index over work logs (see tuijin/worklogs/search.py).

The statements are copied here rather than imported from search.py: a migration is history
and must do the same thing however the app's code later changes. search.py keeps the same
DDL for the benchmark's drop-and-recreate; worklogs/tests/test_search.py checks both agree.
"""

from django.db import migrations

FTS = "worklogs_worklog_fts"

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "search_text, content='worklogs_worklog', content_rowid='id', tokenize='unicode61')",
    f"CREATE TRIGGER IF NOT EXISTS worklog_fts_insert AFTER INSERT ON worklogs_worklog BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS worklog_fts_delete AFTER DELETE ON worklogs_worklog BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS worklog_fts_update AFTER UPDATE OF search_text "
    f"ON worklogs_worklog BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS worklog_fts_update",
    "DROP TRIGGER IF EXISTS worklog_fts_delete",
    "DROP TRIGGER IF EXISTS worklog_fts_insert",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_CREATE = [
    "CREATE INDEX IF NOT EXISTS worklog_search_gin ON worklogs_worklog "
    "USING gin (to_tsvector('simple'::regconfig, search_text))"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS worklog_search_gin"]

CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}


def create(apps, schema_editor):
    for sql in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("worklogs", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
