"""Deadlines in stored text, put into words when the text is shown.

A message stored today and read in three days must not still say "剩余3天". So a message
keeps the deadline itself, as a marker (``⟪期限:2026-11-29⟫``), and the words are made when
the text is shown: the bell's list (the ``deadlines`` filter), the weekly digest, and, for
the channels that push the text out at once (e-mail, WeCom, DingTalk), at sending.

- ``due(day)``: "2026年11月29日(剩余2天)"
- ``left(day)``: "剩余2天" / "今天到期" / "超期3天"

Dates are written in Chinese (``cn_date``), the words by ``days_left``: the same filters the
pages use, so a message reads as the page does (and follows their translation).
"""

import datetime as dt
import re

from tuijin.core.templatetags.tuijin import cn_date, days_left

MARKER = re.compile(r"⟪(期限|剩余):(\d{4}-\d{2}-\d{2})⟫")


def due(day: dt.date) -> str:
    """A marker shown as the date and the days left: 2026年11月29日(剩余2天)."""
    return f"⟪期限:{day:%Y-%m-%d}⟫"


def left(day: dt.date) -> str:
    """A marker shown as the days left only: 剩余2天 / 今天到期 / 超期3天."""
    return f"⟪剩余:{day:%Y-%m-%d}⟫"


def render(text: str) -> str:
    """The text with each marker put into words as of today (local date)."""
    if not text or "⟪" not in text:
        return text

    def words(match: re.Match) -> str:
        try:
            day = dt.date.fromisoformat(match.group(2))
        except ValueError:
            return match.group(0)
        if match.group(1) == "剩余":
            return str(days_left(day))
        return f"{cn_date(day)}({days_left(day)})"

    return MARKER.sub(words, text)
