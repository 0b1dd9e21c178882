"""Working days: official Chinese holidays and make-up working days (调休).

Three sources, in this order:

1. the admin-editable `HolidayOverride` table (节假日调整): the State Council's announced
   arrangement for a year the provider lacks (make-up working days, bridging days off) and
   any correction; it wins over everything below;
2. the provider, `chinese-calendar` by default (`ChineseCalendarProvider`): the announced
   schedule for the years it covers (2004–2026 in 1.11.0); a newer release that covers more
   years takes over those years on upgrade, with no other change;
3. for a year neither knows, the statutory holidays of 《全国年节及纪念日放假办法》(as amended
   in force from 2025), computed with `tyme4py`, plus weekends: so no deadline lands on
   1 January or in the Spring Festival before the year's arrangement is announced.

A year counts as entered when the override table has at least one row in it. A working-day
deadline in a year neither covered nor entered is provisional (it may move when the make-up
days are announced): `resolve_deadline` warns, and boards and the item page mark it.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import chinese_calendar
from tyme4py.lunar import LunarDay
from tyme4py.solar import SolarTerm

from tuijin.supervision.models import HolidayOverride, SupervisionItem

ONE_DAY = dt.timedelta(days=1)


class HolidayProvider(Protocol):
    """A source of announced holiday schedules; asked about a day only for a year it covers."""

    def covers(self, year: int) -> bool: ...

    def is_workday(self, day: dt.date) -> bool: ...


class ChineseCalendarProvider:
    """The `chinese-calendar` package: the State Council's schedules it ships."""

    def covers(self, year: int) -> bool:
        return _package_covers(year)

    def is_workday(self, day: dt.date) -> bool:
        return chinese_calendar.is_workday(day)


@functools.lru_cache(maxsize=256)
def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


# The provider in use; tests swap it for one that covers more years.
provider: HolidayProvider = ChineseCalendarProvider()


def package_covers(year: int) -> bool:
    return provider.covers(year)


@functools.lru_cache(maxsize=64)
def statutory_days_off(year: int) -> dict[dt.date, str]:
    """The days off 《全国年节及纪念日放假办法》 fixes in `year` (2025 text), by name.

    Lunar dates and the 清明 solar term (Beijing time) come from tyme4py. The announced
    arrangement adds bridging days off and make-up working days; those are entered by hand.
    """
    new_year = LunarDay.from_ymd(year, 1, 1).get_solar_day()
    spring = _date(new_year) - ONE_DAY  # 除夕: the day before 正月初一, whatever the 12th month
    qingming = SolarTerm.from_name(year, "清明").get_julian_day().get_solar_day()
    days = {dt.date(year, 1, 1): "元旦"}
    days |= {spring + i * ONE_DAY: "春节" for i in range(4)}  # 除夕 to 正月初三
    days[_date(qingming)] = "清明节"
    days |= {dt.date(year, 5, 1): "劳动节", dt.date(year, 5, 2): "劳动节"}
    days[_date(LunarDay.from_ymd(year, 5, 5).get_solar_day())] = "端午节"
    days[_date(LunarDay.from_ymd(year, 8, 15).get_solar_day())] = "中秋节"
    days |= {dt.date(year, 10, day): "国庆节" for day in (1, 2, 3)}
    return days  # 正月初一 falls between 21 January and 20 February: all in `year`


def _date(solar_day) -> dt.date:
    return dt.date(solar_day.get_year(), solar_day.get_month(), solar_day.get_day())


def entered_years(years: Iterable[int]) -> set[int]:
    """Of these years, those with at least one row in the override table (one query)."""
    years = set(years)
    if not years:
        return set()
    rows = HolidayOverride.objects.filter(date__year__in=years).dates("date", "year")
    return {day.year for day in rows}


def unannounced_years(years: Iterable[int]) -> set[int]:
    """Of these years, those neither the provider covers nor the override table has entered."""
    uncovered = {year for year in set(years) if not provider.covers(year)}
    return uncovered - entered_years(uncovered)


@dataclass
class Calendar:
    """Working-day answers for a span of dates, loading overrides once."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    override_years: set[int] = field(default_factory=set)
    # Years whose answers came from the statutory holidays alone (not covered, not entered).
    provisional_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, start: dt.date, end: dt.date) -> "Calendar":
        rows = HolidayOverride.objects.filter(date__year__gte=start.year, date__year__lte=end.year)
        overrides = dict(rows.values_list("date", "is_workday"))
        return cls(overrides=overrides, override_years={d.year for d in overrides})

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if provider.covers(day.year):
            return provider.is_workday(day)
        if day.year not in self.override_years:
            self.provisional_years.add(day.year)
        return day.weekday() < 5 and day not in statutory_days_off(day.year)


def span_end(start: dt.date, days: int) -> dt.date:
    """A day safely past `days` working days after `start` (longest holidays included)."""
    return start + dt.timedelta(days=days * 3 + 30)


def add_working_days(start: dt.date, days: int, calendar: Calendar | None = None) -> dt.date:
    """The day on which `days` working days after `start` have passed (start not counted)."""
    calendar = calendar or Calendar.load(start, span_end(start, days))
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if calendar.is_workday(day):
            counted += 1
    return day


@dataclass
class Deadline:
    date: dt.date
    warning: str = ""


def unannounced_warning(years: Iterable[int]) -> str:
    listed = "、".join(f"{y}年" for y in sorted(years))
    return (
        f"{listed}的节假日安排(调休)尚未公布或录入,期限已按法定节假日和周末推算,"
        f"公布后可能调整。请管理员在“节假日调整”中录入。"
    )


def resolve_deadline(
    assigned_on: dt.date, mode: str, days: int | None = None, date: dt.date | None = None
) -> Deadline:
    """A deadline given as a date, N calendar days or N working days, resolved to a date.
    Only a working-day deadline depends on the calendar, so only it can be provisional."""
    if mode == "date":
        if date is None:
            raise ValueError("a date deadline needs a date")
        return Deadline(date)
    if mode == "calendar":
        return Deadline(assigned_on + dt.timedelta(days=days))
    calendar = Calendar.load(assigned_on, span_end(assigned_on, days))
    resolved = add_working_days(assigned_on, days, calendar)
    # Only the years up to the deadline matter (the calendar may have looked no further).
    years = {y for y in calendar.provisional_years if y <= resolved.year}
    return Deadline(resolved, unannounced_warning(years) if years else "")


def mark_unannounced(items) -> None:
    """Set `holidays_unannounced` on each item: an open working-day item whose deadline lies
    in a year neither covered nor entered (one query at most, none when all are covered)."""
    items = list(items)
    years = unannounced_years(
        item.deadline.year
        for item in items
        if item.is_open and item.deadline_mode == SupervisionItem.DeadlineMode.WORKING_DAYS
    )
    for item in items:
        item.holidays_unannounced = (
            item.is_open
            and item.deadline_mode == SupervisionItem.DeadlineMode.WORKING_DAYS
            and item.deadline.year in years
        )
