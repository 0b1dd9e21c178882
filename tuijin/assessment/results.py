"""Results of a month: ranking within each class, grades, 红榜/黑榜; and what the pages read
(the ranking, a unit's 12-month trend, "what would raise my rank").

``rank`` is a plain function over the month's ``UnitScore`` rows (totals already summed): the
compute, an appeal decision and a correction all call it, so a figure changed by hand ranks
exactly as a computed one.
"""

import datetime as dt
from decimal import Decimal
from itertools import groupby

from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext

from tuijin.assessment.indicators import NAMES, Rules, month_bounds
from tuijin.assessment.models import Grade, Period, PeriodState, UnitClass, UnitScore
from tuijin.core import formats
from tuijin.supervision.models import OPEN_STATES, Problem, SupervisionItem
from tuijin.worklogs import rules as log_rules
from tuijin.worklogs.models import weekend_of


def grade_of(total: Decimal, rules: Rules) -> str:
    if total >= rules.grade_excellent:
        return Grade.EXCELLENT
    if total >= rules.grade_good:
        return Grade.GOOD
    if total >= rules.grade_pass:
        return Grade.PASS
    return Grade.FAIL


def rank(scores: list[UnitScore], rules_by_class: dict[str, Rules]) -> None:
    """Set rank, grade and the lists on each score, class by class.

    Higher total ranks first (equal totals share a rank); a vetoed unit goes below every other
    of its class and is 不合格. 红榜: the first ``red_count`` places, units barred from awards
    this year (a veto) left out. 黑榜: the last ``black_count`` places, never a unit that met
    every target nor one on the 红榜.
    """
    ordered = sorted(scores, key=lambda s: (s.unit_class, s.vetoed, -s.total, s.unit.path))
    for unit_class, group in groupby(ordered, key=lambda s: s.unit_class):
        group = list(group)
        rules = rules_by_class[unit_class]
        previous_total, previous_rank = None, 0
        for position, score in enumerate(group, start=1):
            if score.vetoed:
                score.rank = position
            elif score.total == previous_total:
                score.rank = previous_rank
            else:
                score.rank = position
            previous_total, previous_rank = (None if score.vetoed else score.total), score.rank
            score.grade = Grade.FAIL if score.vetoed else grade_of(score.total, rules)
            score.on_red_list = score.on_black_list = False
        eligible = [s for s in group if not s.vetoed and not s.award_blocked]
        red_places = int(rules.red_count)
        for score in eligible:
            if score.rank <= red_places:
                score.on_red_list = True
        black_places = int(rules.black_count)
        if black_places:
            bottom = len(group) - black_places
            for position, score in enumerate(group, start=1):
                if position > bottom and not score.met_all_targets and not score.on_red_list:
                    score.on_black_list = True


def ranking(period: Period, user) -> dict[str, list[UnitScore]]:
    """The month's scores the user may see, by class, in rank order (one query)."""
    scores = (
        UnitScore.objects.visible_to(user)
        .filter(period=period)
        .select_related("unit")
        .order_by("unit_class", "rank", "unit__path")
    )
    by_class = {value: [] for value in UnitClass.values}
    for score in scores:
        by_class[score.unit_class].append(score)
    return {UnitClass(key).label: rows for key, rows in by_class.items() if rows}


def trend(unit, zone, user, months: int = 12) -> dict:
    """The unit's published totals and ranks over the last `months` months (one query)."""
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = {
        s.period.month: s
        for s in UnitScore.objects.visible_to(user)
        .filter(unit=unit, period__zone=zone, period__state=PeriodState.PUBLISHED)
        .filter(period__month__gte=first)
        .select_related("period")
    }
    labels, totals, ranks = [], [], []
    month = first
    for _ in range(months):
        labels.append(
            f"{month.year % 100:02d}年{month.month}月"
            if formats.chinese()
            else dateformat.format(month, "M y")
        )
        score = rows.get(month)
        totals.append(float(score.total) if score else None)
        ranks.append(score.rank if score else None)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return {"months": labels, "totals": totals, "ranks": ranks}


def raise_rank(score: UnitScore, today: dt.date | None = None) -> list[dict]:
    """For a unit head: the indicators with the most headroom, each with the open records
    behind it that the unit can still act on (a fixed number of queries)."""
    today = today or timezone.localdate()
    unit = score.unit
    soon = today + dt.timedelta(days=7)
    items = list(
        SupervisionItem.objects.filter(lead_unit=unit, state__in=OPEN_STATES)
        .filter(deadline__lte=soon)
        .only("pk", "title", "deadline")
        .order_by("deadline")[:10]
    )
    problems = list(
        Problem.objects.filter(unit=unit)
        .filter(Q(status=Problem.Status.OPEN) | Q(status=Problem.Status.COORDINATING))
        .only("pk", "description")
        .order_by("raised_at")[:10]
    )
    saturday = weekend_of(today)
    tallies = log_rules.weekend_roster([unit], saturday)
    missing = [
        row.person.name
        for tally in tallies
        for row in tally.rows
        if row.status in (log_rules.MISSING, log_rules.PENDING)
    ]
    projects = list(unit.projects.exclude(light="green").order_by("code")[:10])
    records = {
        "duban": [
            {
                "text": (
                    gettext("%(title)s(超期%(date)s)")
                    if i.deadline < today
                    else gettext("%(title)s(将于%(date)s到期)")
                )
                % {"title": i.title, "date": formats.day(i.deadline)},
                "url": i.get_absolute_url(),
            }
            for i in items
        ],
        "problems": [{"text": p.description[:40], "url": p.get_absolute_url()} for p in problems],
        "worklogs": [
            {
                "text": gettext("%(name)s:%(date)s周末日志尚未提交")
                % {"name": name, "date": formats.day(saturday)},
                "url": reverse("worklogs:submissions") + f"?weekend={saturday.isoformat()}",
            }
            for name in missing
        ],
        "lights": [
            {
                "text": gettext("%(name)s(%(light)s灯)")
                % {"name": p.name, "light": p.get_light_display()},
                "url": p.get_absolute_url(),
            }
            for p in projects
        ],
    }
    indicators = sorted(
        (i for i in score.indicators.all() if i.key != "adjust"),
        key=lambda i: (-i.headroom, i.sort_order),
    )
    return [
        {
            "key": i.key,
            "name": NAMES.get(i.key, i.name),
            "headroom": i.headroom,
            "score": i.score,
            "weight": i.weight,
            "records": records.get(i.key, []),
        }
        for i in indicators
        # Full marks still at risk: items about to go overdue, logs not yet written.
        if i.headroom > 0 or (records.get(i.key) and i.key in ("duban", "worklogs"))
    ]


def latest_period(zone, before: dt.date) -> Period | None:
    start, _end = month_bounds(before)
    return (
        Period.objects.filter(zone=zone, month__lt=start, state=PeriodState.PUBLISHED)
        .order_by("-month")
        .first()
    )
