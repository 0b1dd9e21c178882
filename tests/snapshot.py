"""The test database's rows, held in this process and written back in well under a second.

Loading the demo takes ~10 s of CPU; a module that wants it (``demo_zone``) and a browser
journey (``demo``) get the worker's first load back from a snapshot instead. The snapshot is
plain data (SQLite: the rows; PostgreSQL: each table's COPY text), so it is taken and written
back inside whatever transaction is open: a module's rollback takes the restored rows away again.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


def insertable_columns(table: str) -> list[str]:
    """The columns written back: on PostgreSQL not the generated ones (the work logs' stored
    ``search_vector``, which the database computes and refuses to be given)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return [c.name for c in connection.introspection.get_table_description(cursor, table)]
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


class Snapshot:
    """Every Django table's rows as they are now (and SQLite's AUTOINCREMENT counters)."""

    def __init__(self):
        self.tables = connection.introspection.django_table_names(only_existing=True)
        self.columns = {table: insertable_columns(table) for table in self.tables}
        self.data, self.sequences = {}, []
        with connection.cursor() as cursor:
            for table in self.tables:
                names = self._names(table)
                if connection.vendor == "sqlite":
                    # Unary + changes no value and hides the column's declared type, so the
                    # values come back as stored (no converting to dates and back).
                    stored = ", ".join(f"+{self._q(c)}" for c in self.columns[table])
                    cursor.execute(f"SELECT {stored} FROM {self._q(table)}")
                    self.data[table] = cursor.fetchall()
                else:
                    sql = f"COPY {self._q(table)} ({names}) TO STDOUT"
                    with cursor.cursor.copy(sql) as copy:
                        self.data[table] = b"".join(bytes(block) for block in copy)
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name, seq FROM sqlite_sequence")
                self.sequences = cursor.fetchall()

    @staticmethod
    def _q(name: str) -> str:
        return connection.ops.quote_name(name)

    def _names(self, table: str) -> str:
        return ", ".join(map(self._q, self.columns[table]))

    def restore(self) -> None:
        """Every table back as it was when the snapshot was taken (foreign keys checked at the
        end, when every table is back)."""
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA defer_foreign_keys = ON")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys are deferrable
            for table in self.tables:  # DELETE, not TRUNCATE (conftest.py)
                cursor.execute(f"DELETE FROM {self._q(table)}")
            for table, rows in self.data.items():
                if not rows:
                    continue
                names = self._names(table)
                if connection.vendor == "sqlite":
                    marks = ", ".join(["%s"] * len(self.columns[table]))
                    cursor.executemany(
                        f"INSERT INTO {self._q(table)} ({names}) VALUES ({marks})", rows
                    )
                else:
                    with cursor.cursor.copy(f"COPY {self._q(table)} ({names}) FROM STDIN") as copy:
                        copy.write(rows)
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence")
                cursor.executemany(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", self.sequences
                )
            else:
                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()  # ids as in the snapshot
