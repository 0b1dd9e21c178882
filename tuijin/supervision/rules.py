"""Plain rules of supervision: the item's light, the reminder window, the truthfulness index."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import DateField, F, Func, IntegerField, Q, Value
from django.utils.translation import gettext as _

from tuijin.supervision.models import ItemState, SupervisionItem, Verification


def reminder_days_for(duration_days: int) -> int:
    """DESIGN §3: yellow 1 day ahead for items of 3 days or less, otherwise 3 days."""
    return 1 if duration_days <= 3 else 3


@dataclass(frozen=True)
class ItemLight:
    key: str  # green / yellow / red / closed_on_time / closed_late / cancelled
    text: str  # in the reader's language (剩余2天 / 2 days left)

    @property
    def is_light(self) -> bool:
        return self.key in {"green", "yellow", "red"}


def item_light(item: SupervisionItem, today: dt.date) -> ItemLight:
    if item.state == ItemState.CANCELLED:
        return ItemLight("cancelled", _("已撤销"))
    if item.state == ItemState.CLOSED:
        if item.closed_on_time:
            return ItemLight("closed_on_time", _("按期办结"))
        return ItemLight("closed_late", _("逾期办结"))
    days_left = (item.deadline - today).days
    if days_left < 0:
        return ItemLight("red", _("超期%(n)s天") % {"n": -days_left})
    text = _("今天到期") if days_left == 0 else _("剩余%(n)s天") % {"n": days_left}
    if days_left <= item.reminder_days:
        return ItemLight("yellow", text)
    return ItemLight("green", text)


class DaysUntil(Func):
    """Whole days from ``today`` to a date column (negative once past): ``item_light``'s
    ``days_left`` in SQL. Date minus date is an integer in PostgreSQL; SQLite stores dates as
    text, so there it is the difference of their Julian day numbers."""

    output_field = IntegerField()

    def __init__(self, column: str, today: dt.date):
        super().__init__(F(column), Value(today, output_field=DateField()))

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def light_filter(key: str, today: dt.date) -> Q:
    """The same rule as a query, for boards and filters."""
    open_items = Q(
        state__in=[s.value for s in ItemState if s not in (ItemState.CLOSED, ItemState.CANCELLED)]
    )
    if key == "red":
        return open_items & Q(deadline__lt=today)
    # Within each item's own window: as many days left as its reminder_days, or fewer. One
    # comparison (it was one OR branch per possible window, 31 of them: 2 ms to compile each
    # time, B12).
    soon = Q(reminder_days__gte=DaysUntil("deadline", today))
    if key == "yellow":
        return open_items & Q(deadline__gte=today) & soon
    if key == "green":
        return open_items & Q(deadline__gte=today) & ~soon
    if key == "closed_on_time":
        return Q(state=ItemState.CLOSED, closed_on_time=True)
    if key == "closed_late":
        return Q(state=ItemState.CLOSED, closed_on_time=False)
    return Q()


TRUTH_SCORES = {
    Verification.Result.TRUE: 1.0,
    Verification.Result.PARTLY: 0.5,
    Verification.Result.UNTRUE: 0.0,
}


def truthfulness_index(results: list[str]) -> int | None:
    """属实 counts 1, 部分属实 0.5, 不属实 0; the mean as a percentage, None with no checks."""
    if not results:
        return None
    return round(sum(TRUTH_SCORES[r] for r in results) / len(results) * 100)


def closed_on_time(deadline: dt.date, reported_on: dt.date) -> bool:
    """On time when the report that proved true was made by the deadline: the unit is not
    charged for the days the check took."""
    return reported_on <= deadline
