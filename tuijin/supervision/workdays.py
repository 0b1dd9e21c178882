"""Working days: official Chinese holidays and make-up working days (调休).

`chinese-calendar` knows the State Council's schedule for the years it covers; the
admin-editable `HolidayOverride` table wins over it and covers years it does not know yet.
A year known to neither falls back to Monday–Friday and is reported, so the page can warn.
"""

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from tuijin.supervision.models import HolidayOverride


@dataclass
class Calendar:
    """Working-day answers for a span of dates, loading overrides once."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    override_years: set[int] = field(default_factory=set)
    uncovered_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, start: dt.date, end: dt.date) -> "Calendar":
        rows = HolidayOverride.objects.filter(date__year__gte=start.year, date__year__lte=end.year)
        overrides = dict(rows.values_list("date", "is_workday"))
        return cls(overrides=overrides, override_years={d.year for d in overrides})

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self.override_years:
                self.uncovered_years.add(day.year)
            return day.weekday() < 5


def package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def add_working_days(start: dt.date, days: int, calendar: Calendar | None = None) -> dt.date:
    """The day on which `days` working days after `start` have passed (start not counted)."""
    calendar = calendar or Calendar.load(start, start + dt.timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
    return day


@dataclass
class Deadline:
    date: dt.date
    warning: str = ""


def resolve_deadline(
    assigned_on: dt.date, mode: str, days: int | None = None, date: dt.date | None = None
) -> Deadline:
    """A deadline given as a date, N calendar days or N working days, resolved to a date."""
    if mode == "date":
        if date is None:
            raise ValueError("a date deadline needs a date")
        resolved = date
        calendar = Calendar.load(resolved, resolved)
        calendar.is_workday(resolved)
    elif mode == "calendar":
        resolved = assigned_on + dt.timedelta(days=days)
        calendar = Calendar.load(resolved, resolved)
        calendar.is_workday(resolved)
    else:
        calendar = Calendar.load(assigned_on, assigned_on + dt.timedelta(days=days * 3 + 30))
        resolved = add_working_days(assigned_on, days, calendar)
    warning = ""
    if calendar.uncovered_years:
        years = "、".join(f"{y}年" for y in sorted(calendar.uncovered_years))
        warning = (
            f"{years}的法定节假日安排尚未录入,期限按周一至周五计算,"
            f"请管理员在“节假日调整”中补录后核对。"
        )
    return Deadline(resolved, warning)
