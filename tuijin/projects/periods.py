"""Reporting periods (填报周期): calendar months or Monday–Sunday weeks."""

import datetime as dt
from dataclasses import dataclass

from tuijin.core import formats

MONTH = "month"
WEEK = "week"


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str

    def label(self) -> str:
        """2026年9月 or 9月1日—9月7日, in the reader's language (Sep 2026, 1 Sep—7 Sep)."""
        if self.kind == MONTH:
            return formats.month(self.start)
        return f"{formats.month_day(self.start)}—{formats.month_day(self.end)}"

    def due(self, due_days: int) -> dt.date:
        """Last day a report for this period is on time."""
        return self.end + dt.timedelta(days=due_days)

    def previous(self) -> "Period":
        return period_containing(self.start - dt.timedelta(days=1), self.kind)

    def next(self) -> "Period":
        return period_containing(self.end + dt.timedelta(days=1), self.kind)


def period_containing(day: dt.date, kind: str) -> Period:
    if kind == WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Period(start, start + dt.timedelta(days=6), WEEK)
    start = day.replace(day=1)
    next_month = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start, next_month - dt.timedelta(days=1), MONTH)


def periods_due_before(as_of: dt.date, kind: str, due_days: int, count: int) -> list[Period]:
    """The `count` most recent periods whose report due date has passed by `as_of`, newest first."""
    period = period_containing(as_of, kind).previous()
    while period.due(due_days) >= as_of:
        period = period.previous()
    periods = []
    for _ in range(count):
        periods.append(period)
        period = period.previous()
    return periods


def recent_periods(as_of: dt.date, kind: str, count: int) -> list[Period]:
    """The current period and the ones before it, newest first (for the report form)."""
    period = period_containing(as_of, kind)
    result = []
    for _ in range(count):
        result.append(period)
        period = period.previous()
    return result
