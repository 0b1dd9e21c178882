"""Dates and deadlines as written, and the calendar date a deadline means."""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Iterator

from tuijin.intake.extract.text import _CN

_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月"
_PART = r"(?:\d{1,2}日|上旬|中旬|下旬|初|底|末)"
_DATE = re.compile(
    rf"\d{{4}}年(?:\d{{1,2}}月(?:{_PART}|份)?|上半年|下半年|底|初)?"
    rf"|\d{{1,2}}月{_PART}"
    rf"|(?:[{_CN}\d]+至)?\d{{1,2}}月份"
)
# Deadlines as written: "三天后", "3个工作日内", "三天为限", "11月底前", "确保5月底开工",
# "本周五前".
_DEADLINE = re.compile(
    rf"(?:确保|力争|争取|务必|必须|要求)(?:在|于)?(?:{_MONTH}{_PART}?|年底|年内)前?"
    r"(?:开工|竣工|完工|投产|完成|建成|到位|见效|交付|封顶)"
    rf"|[{_CN}\d]+个?(?:工作日|天|日|周|星期|个月|小时)(?:后|内|之内|以内|为限)"
    rf"|(?:{_MONTH}{_PART}?|年底|月底|年内)前"
    rf"|限期[{_CN}\d]+个?(?:工作日|天|日|周|个月)"
    r"|(?:本|下)?(?:周|星期)[一二三四五六日天](?:之前|以前|前)"
)
# "本周五前", "下周一前", "周五前" (the coming Friday): the weekday of a deadline.
_WEEKDAY = re.compile(r"(本|下)?(?:周|星期)([一二三四五六日天])")


def _dates(text: str) -> Iterator[str]:
    """Dates as written, except those inside a deadline ("11月底前" is a deadline)."""
    spans = [m.span() for m in _DEADLINE.finditer(text)]
    starts = [s for s, _ in spans]
    for match in _DATE.finditer(text):
        i = bisect.bisect_right(starts, match.start()) - 1
        if i < 0 or spans[i][1] <= match.start():
            yield match.group()


def resolve_deadline(text: str, reference: datetime.date | None) -> datetime.date | None:
    """The calendar date a deadline means, counted from ``reference`` (the report's date):
    "三天后" is reference + 3 days, "11月底前" the last day of November (next year's if that
    has passed), "年底前" 31 December. None when there is no reference or no date in it."""
    if reference is None:
        return None
    if m := _WEEKDAY.fullmatch(re.sub(r"(?:之前|以前|前)$", "", text)):
        return _weekday(reference, m.group(1), "一二三四五六日天".index(m.group(2)))
    if m := re.search(rf"(?<![月\d{_CN}])([{_CN}\d]+)个?(工作日|天|日|周|星期|个月)", text):
        count = _number(m.group(1))
        unit = m.group(2)
        if count is None:
            return None
        if unit == "工作日":
            return _add_working_days(reference, count)
        if unit in ("天", "日"):
            return reference + datetime.timedelta(days=count)
        if unit in ("周", "星期"):
            return reference + datetime.timedelta(weeks=count)
        return _add_months(reference, count)
    if m := re.search(rf"([{_CN}\d]{{1,3}})月(\d{{1,2}}日|底|末|上旬|中旬|下旬|初)?", text):
        month = _number(m.group(1)) or 0
        if not 1 <= month <= 12:
            return None
        return _in_month(reference, month, m.group(2) or "底")
    if "年底" in text or "年内" in text:
        return datetime.date(reference.year, 12, 31)
    if "月底" in text:
        return _in_month(reference, reference.month, "底")
    return None


def _weekday(reference: datetime.date, which: str | None, weekday: int) -> datetime.date:
    """本周五: this week's Friday (even if past: the text said so); 下周五: next week's;
    周五: the coming Friday (today's if today is one)."""
    weekday = min(weekday, 6)  # 日 and 天 are both Sunday
    monday = reference - datetime.timedelta(days=reference.weekday())
    if which == "下":
        monday += datetime.timedelta(weeks=1)
    day = monday + datetime.timedelta(days=weekday)
    if which is None and day < reference:
        day += datetime.timedelta(weeks=1)
    return day


def _in_month(reference: datetime.date, month: int, part: str) -> datetime.date | None:
    def day_in(year: int) -> datetime.date | None:
        last = calendar.monthrange(year, month)[1]
        if part.endswith("日"):
            day = int(part[:-1])
            return datetime.date(year, month, day) if 1 <= day <= last else None
        return datetime.date(year, month, {"上旬": 10, "初": 10, "中旬": 20}.get(part, last))

    found = day_in(reference.year)
    if found is not None and found < reference:
        found = day_in(reference.year + 1)
    return found


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if text == "十":
        return 10
    if len(text) == 1:
        return digits.get(text)
    if text.startswith("十"):
        return 10 + digits.get(text[1], 0)
    if len(text) in (2, 3) and text[1] == "十":
        return digits.get(text[0], 0) * 10 + (digits.get(text[2], 0) if len(text) == 3 else 0)
    return None


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The 督办 calendar's answer (official holidays, make-up days, statutory holidays for
    years not yet announced), without the admin's overrides: extraction reads no database."""
    from tuijin.supervision.workdays import Calendar, add_working_days  # needs the app registry

    return add_working_days(day, count, Calendar())
