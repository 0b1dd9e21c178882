"""Chinese keyword search over work logs, indexed on SQLite and PostgreSQL alike.

Chinese has no spaces, so word tokenizers see a whole sentence as one token and a LIKE
'%词%' scan reads every row. We index overlapping character bigrams instead (the CJK
analyser approach of Lucene): "土地指标" is stored as "土地 地指 指标", and a query is
the phrase of its bigrams, which matches exactly the rows containing the query as a
substring (rare false positives when the same bigrams occur in order but apart are
avoided because both engines match phrases by token position). Latin words and numbers
stay whole, lower-cased.

* SQLite: an FTS5 table over ``worklogs_worklog.search_text`` (external content, kept in
  step by triggers), queried by rowid.
* PostgreSQL: ``search_vector``, a stored generated column ``to_tsvector('simple',
  search_text)`` (migration 0004; outside the model, the ORM never reads it) with a GIN
  index, queried with ``phraseto_tsquery``; the 'simple' configuration neither stems nor
  drops words. A phrase is rechecked on each candidate row against the stored vector.

A one-character query has no bigram; it falls back to a substring scan (slow on millions of
rows, and said so in the UI hint). The indexes are created in migrations 0002 and 0004,
which hold their own copy of the DDL below (a migration must not change with the app code).

**A common term is paged by date.** Starting from the text index, the first page of a term
found in a fifth of the logs means fetching and sorting every match. ``search(…,
by_date=True)`` writes the same condition so that no text index can drive it: with the
list's ``ORDER BY date DESC … LIMIT 30`` the database walks ``worklog_date_idx`` (or
``worklog_unit_date_idx``) newest first, checks each row, and stops at the page's end, about
30 / share rows. The list view asks for it when its capped count says the term is common
(``views.CappedPaginator``); for a rare term that walk would read the whole index, so the
text index drives as before.
"""

import re

from django.db import connection
from django.db.models import QuerySet

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{CJK}]+|[0-9A-Za-z]+")
IS_CJK = re.compile(rf"[{CJK}]")

SQLITE_FTS_TABLE = "worklogs_worklog_fts"


def tokens(text: str) -> list[str]:
    """Bigrams of each run of Chinese characters (a lone character stays), Latin words."""
    out: list[str] = []
    for run in RUN.findall(text or ""):
        if IS_CJK.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return out


def index_text(*parts: str) -> str:
    """What goes into ``search_text``. Parts are kept apart so no bigram spans two fields."""
    return "\n".join(" ".join(tokens(part)) for part in parts if part)


def phrases(query: str) -> list[list[str]]:
    """Each whitespace-separated term of the query as a phrase of tokens; all must match."""
    return [tokens(term) for term in query.split() if tokens(term)]


def needs_scan(query: str) -> bool:
    """A lone Chinese character cannot be looked up in a bigram index."""
    return any(len(p) == 1 and len(p[0]) == 1 and IS_CJK.match(p[0]) for p in phrases(query))


POSTGRES_MATCH = "worklogs_worklog.search_vector @@ phraseto_tsquery('simple'::regconfig, %s)"
# For a page in date order. PostgreSQL estimates a phrase's share as the product of its
# bigrams' shares (团结激光产业园: 1 row where there are 20,000), and for so rare a match it
# reads the whole table and sorts rather than walk the date index. Wrapped in COALESCE the
# match is a boolean it cannot look into: no index serves it and it is taken to hold for
# half the rows, so a LIMIT 30 walks worklog_date_idx (a unit's: worklog_unit_date_idx)
# newest first and stops at the page's end.
POSTGRES_MATCH_BY_DATE = (
    "COALESCE(worklogs_worklog.search_vector @@ phraseto_tsquery('simple'::regconfig, %s), false)"
)
# FTS5 drives: every matching rowid, then the logs by primary key.
SQLITE_MATCH = (
    f"worklogs_worklog.id IN (SELECT rowid FROM {SQLITE_FTS_TABLE}"
    f" WHERE {SQLITE_FTS_TABLE} MATCH %s)"
)
# For a page in date order: the matching rowids are listed once, and the unary + keeps SQLite
# from driving the query by them (it walks the date index, checking each log against the list).
# A correlated lookup of each log in FTS5 by rowid measured ~0.7 ms a log: 2 s for a 1 % term.
SQLITE_MATCH_BY_DATE = (
    f"+worklogs_worklog.id IN (SELECT rowid FROM {SQLITE_FTS_TABLE}"
    f" WHERE {SQLITE_FTS_TABLE} MATCH %s)"
)


def search(queryset: QuerySet, query: str, *, by_date: bool = False) -> QuerySet:
    """Filter work logs to those containing every term of the query.

    ``by_date``: the same rows, but checked one by one in the queryset's order rather than
    looked up in the text index (for a common term's page; see the module docstring)."""
    terms = phrases(query)
    if not terms:
        return queryset
    if needs_scan(query):
        for term in query.split():
            queryset = queryset.filter(text__contains=term)
        return queryset
    if connection.vendor == "postgresql":
        where = POSTGRES_MATCH_BY_DATE if by_date else POSTGRES_MATCH
        for term in terms:
            queryset = queryset.extra(where=[where], params=[" ".join(term)])
        return queryset
    # FTS5 query syntax: "a b" is a phrase; phrases side by side are ANDed.
    match = " ".join('"' + " ".join(term) + '"' for term in terms)
    where = SQLITE_MATCH_BY_DATE if by_date else SQLITE_MATCH
    return queryset.extra(where=[where], params=[match])


# --- DDL, run by migrations 0002 (SQLite) and 0004 (PostgreSQL) ----------------------------

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_FTS_TABLE} USING fts5("
    "search_text, content='worklogs_worklog', content_rowid='id', tokenize='unicode61')",
    f"CREATE TRIGGER IF NOT EXISTS worklog_fts_insert AFTER INSERT ON worklogs_worklog BEGIN "
    f"INSERT INTO {SQLITE_FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS worklog_fts_delete AFTER DELETE ON worklogs_worklog BEGIN "
    f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS worklog_fts_update AFTER UPDATE OF search_text "
    f"ON worklogs_worklog BEGIN "
    f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, search_text) "
    f"VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {SQLITE_FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS worklog_fts_update",
    "DROP TRIGGER IF EXISTS worklog_fts_delete",
    "DROP TRIGGER IF EXISTS worklog_fts_insert",
    f"DROP TABLE IF EXISTS {SQLITE_FTS_TABLE}",
]
# The index only: the generated column stays (the database fills it on every write, COPY too).
POSTGRES_CREATE = [
    "CREATE INDEX IF NOT EXISTS worklog_search_vector_gin ON worklogs_worklog "
    "USING gin (search_vector)"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS worklog_search_vector_gin"]


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)
