"""The cockpit's E14 cards: the investment funnel and the factor gaps per park.

Both are the reader's own: the funnel counts ``Lead.objects.visible_to(user)`` through
``investment.funnel.funnel`` (the funnel page's counting rule, not a copy of it), the gaps come
from ``factors.queries.balance_sheet(user, year)`` (the sheet page's parks and figures). A
reader who may not open the funnel page (``investment.permissions.reads_pipeline``) or the
sheet (``factors.access.sees_factors``) gets ``None`` for that card, and the template shows
no card. The figures are cached per user (the scopes are the apps' own, not the cockpit's
unit scope), under the same version number as the rest (``metrics.bump``).

Queries: the funnel two (the zone's clock rules, the leads), the sheet eight; none more as
leads, parks or projects grow.
"""

from __future__ import annotations

import datetime as dt

from tuijin.dashboard.metrics import cache_seconds, link, number
from tuijin.factors import queries as factor_queries
from tuijin.factors.access import sees_factors
from tuijin.factors.models import UNIT, Factor
from tuijin.investment import clocks
from tuijin.investment import permissions as pipeline
from tuijin.investment.funnel import funnel
from tuijin.investment.models import STAGE_ORDER, Lead

GAP_FACTORS = [Factor.LAND, Factor.ENERGY, Factor.GREEN]


def investment_funnel(user, today: dt.date) -> dict | None:
    """Counts and 万元 by stage, and this year's 签约转化率 and 开工率 (the funnel page's
    ``?year=``), or None for a reader who cannot open the funnel page."""
    if not pipeline.reads_pipeline(user):
        return None
    rules = clocks.rules_for(pipeline.pipeline_zone(user))
    stages, total, _groups, _years = funnel(
        Lead.objects.visible_to(user),
        year=today.year,
        today=today,
        start_months=rules.start_months,
    )
    funnel_url = link("investment:funnel", year=today.year)
    return {
        "year": today.year,
        "url": funnel_url,
        "list_url": link("investment:lead_list"),
        "stages": [
            {
                "stage": s.stage,
                "label": str(s.label),
                "n": s.count,
                "investment": number(s.investment),
                "url": link("investment:lead_list", stage=s.stage),
                "open": s.stage in STAGE_ORDER,
            }
            for s in stages
        ],
        "entered": total.entered,
        "signed": total.signed,
        "started": total.started,
        "sign_rate": None if total.sign_rate is None else float(total.sign_rate),
        "start_rate": None if total.start_rate is None else float(total.start_rate),
    }


def factor_gaps(user, today: dt.date) -> dict | None:
    """Per park the reader sees on the sheet: this year's land, energy and green-power gap
    (supply − committed − demand; negative: short), or None for a reader without factors."""
    if not sees_factors(user):
        return None
    sheet = factor_queries.balance_sheet(user, today.year)
    parks = []
    for park in sheet.parks:
        rows = {row.factor: row for row in sheet.rows_of(park.pk)}
        parks.append(
            {
                "park": park.pk,
                "name": park.name,
                "url": link("factors:park", park.pk, year=today.year),
                "gaps": [number(rows[f].gap) for f in GAP_FACTORS],
                "short": [rows[f].short for f in GAP_FACTORS],
            }
        )
    return {
        "year": today.year,
        "url": link("factors:sheet", year=today.year),
        "factors": [
            {"factor": str(f), "label": str(Factor(f).label), "unit": str(UNIT[f])}
            for f in GAP_FACTORS
        ],
        "parks": parks,
    }


def cards(user, today: dt.date) -> dict:
    return {"funnel": investment_funnel(user, today), "factors": factor_gaps(user, today)}


def cached_cards(user, today: dt.date, version: int) -> dict:
    """``cards`` through the cache, per user, day, language and the metrics version."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = f"dashboard:e14:{version}:{user.pk}:{today.isoformat()}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = cards(user, today)
        cache.set(key, data, cache_seconds())
    return data
