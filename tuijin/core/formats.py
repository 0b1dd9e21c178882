"""Dates as the reader's language writes them: 2026年11月29日 in Chinese (JOURNEYS, UI
conventions), 29 Nov 2026 in English. Templates use the filters of the same names
(``cn_date``, ``month``, ``month_day``, ``weekday``); Python code building text for a page
(light reasons, messages on the next page) calls these. Text written into files (the .xlsx and
.docx exports, the minutes) stays Chinese: ``core.xlsx.cn_day``.
"""

import datetime as dt

from django.conf import settings
from django.utils import dateformat, timezone, translation

CN_WEEKDAYS = "一二三四五六日"


def chinese() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh")


def local(value):
    """A datetime in the zone's time zone (settings.TIME_ZONE); a date as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value) -> str:
    """2026年11月29日 / 29 Nov 2026; a datetime with its local hour: 2026年11月29日 14:30."""
    if not value:
        return ""
    value = local(value)
    if isinstance(value, dt.datetime):
        if chinese():
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
        return dateformat.format(value, "j M Y H:i")
    if chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return dateformat.format(value, "j M Y")


def month(value) -> str:
    """2026年9月 / Sep 2026."""
    if not value:
        return ""
    value = local(value)
    return f"{value.year}年{value.month}月" if chinese() else dateformat.format(value, "M Y")


def month_day(value) -> str:
    """11月29日 / 29 Nov."""
    if not value:
        return ""
    value = local(value)
    return f"{value.month}月{value.day}日" if chinese() else dateformat.format(value, "j M")


def weekday(value) -> str:
    """周六 / Sat."""
    if not value:
        return ""
    value = local(value)
    return f"周{CN_WEEKDAYS[value.weekday()]}" if chinese() else dateformat.format(value, "D")
