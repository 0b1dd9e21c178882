"""A light's reasons kept as a sentence and its values, put into words when read (L11): the
ledger in English says "Planned start Sep 2026, not started this month", in Chinese
"计划2026年9月开工,本月尚未开工". The sentences are made in ``lights``; what is stored is
``{"msg": sentence, "params": values}`` besides the Chinese ``text``."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext

from tuijin.core import formats
from tuijin.projects.periods import period_containing


def jsonable_params(params: dict) -> dict:
    """Values as JSON: a date ``{"date": iso}``, a month ``{"month": iso}`` (a ``Month``), an
    amount in 万元 ``{"wan": "1234.5"}`` (a ``Decimal``), periods ``{"periods": [[iso, kind]]}``."""
    stored = {}
    for name, value in params.items():
        if isinstance(value, Month):
            value = {"month": value.day.isoformat()}
        elif isinstance(value, dt.date):
            value = {"date": value.isoformat()}
        elif isinstance(value, Decimal):
            value = {"wan": str(value)}
        elif isinstance(value, list) and value and hasattr(value[0], "kind"):
            value = {"periods": [[p.start.isoformat(), p.kind] for p in value]}
        stored[name] = value
    return stored


@dataclass(frozen=True)
class Month:
    day: dt.date


def in_words(params: dict) -> dict:
    """Stored values in the reader's language (2026年9月 / Sep 2026, 1,234万元 / 1,234 (10k CNY))."""
    words = {}
    for name, value in params.items():
        if isinstance(value, dict) and len(value) == 1:
            ((kind, raw),) = value.items()
            if kind == "date":
                value = formats.day(dt.date.fromisoformat(raw))
            elif kind == "month":
                value = formats.month(dt.date.fromisoformat(raw))
            elif kind == "wan":
                value = gettext("%(n)s万元") % {"n": f"{Decimal(raw):,.0f}"}
            elif kind == "periods":
                value = gettext("、").join(
                    period_containing(dt.date.fromisoformat(start), period_kind).label()
                    for start, period_kind in raw
                )
        words[name] = value
    return words


def reason_text(stored: dict) -> str:
    """A stored reason in the reader's language."""
    if not stored.get("msg"):
        return stored.get("text", "")
    try:
        return gettext(stored["msg"]) % in_words(stored.get("params", {}))
    except (KeyError, ValueError, TypeError):
        return stored.get("text", "")
