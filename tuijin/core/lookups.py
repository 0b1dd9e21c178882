"""An integer no column can hold matches no row, in every lookup a posted id reaches.

Django (since 5.0) answers ``exact``, ``gt``, ``lt`` … on an integer field with "no row" when
the value is out of the column's range, instead of the database's error (SQLite: OverflowError
"Python int too large to convert to SQLite INTEGER"). It does not for ``in``, nor for foreign
keys: ``ModelMultipleChoiceField`` checks posted ids with ``pk__in`` and ``?category=`` filters
on a foreign key, so ``invited_units=99999999999999999999999`` or
``?category=99999999999999999999999`` answered 500. These lookups extend the same rule: such a
value finds nothing (a form's "not one of the available choices", a list with no rows, a 404).

Registered in ``CoreConfig.ready``; tested in ``core/tests/test_lookups.py``.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def column_range(field, connection) -> tuple[int | None, int | None]:
    """The integer range of the column behind ``field`` (a foreign key's: its target's)."""
    target = getattr(field, "target_field", field)
    try:
        return connection.ops.integer_field_range(target.get_internal_type())
    except KeyError:  # not an integer column
        return None, None


def fits(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return True  # not ours to judge: the database's own conversion applies
    return (low is None or value >= low) and (high is None or value <= high)


class InRange:
    """``in``: values out of range are left out (all of them out: no row)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = column_range(self.lhs.output_field, connection)
            self.rhs = [value for value in self.rhs if fits(value, low, high)]
        return super().process_rhs(compiler, connection)


class ExactInRange:
    """``exact`` on a foreign key: a value out of range is no row."""

    def process_rhs(self, compiler, connection):
        if not fits(self.rhs, *column_range(self.lhs.output_field, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class IntegerIn(InRange, In):
    pass


class ForeignKeyIn(InRange, RelatedIn):
    pass


class ForeignKeyExact(ExactInRange, RelatedExact):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerIn)  # AutoField and BigAutoField are IntegerFields
    ForeignKey.register_lookup(ForeignKeyIn)
    ForeignKey.register_lookup(ForeignKeyExact)
