"""The review's rules as plain functions over plain values (no database): which projects the
tour visits, the ledger's objective points, the trimmed mean of the evaluators' totals, the
merge of both and the ranking. ``services`` and ``queries`` feed them; tests call them
directly. Every figure is a ``Decimal`` rounded half up to two places only at the end, so a
recomputation from the same records gives the same figures to the last digit."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
CENT = Decimal("0.01")
DEFAULT_CRITERIA = [
    ("项目建设进度", 25),
    ("投资完成", 20),
    ("项目质量与亮点", 25),
    ("要素保障", 15),
    ("汇报与现场", 15),
]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- quarters ------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, quarter * 3 + 1, 1) - dt.timedelta(days=1)


def quarter_index(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


def previous_quarter(day: dt.date) -> tuple[int, int]:
    """The last whole quarter before ``day``'s: the one a review held now looks back on."""
    year, quarter = quarter_of(day)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


# --- the stops: 看新不看旧、看大不看小 ------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What the proposal needs to know of one project of a park."""

    project_id: int
    park_id: int
    name: str
    code: str
    total: Decimal  # 总投资, 万元
    completed: Decimal  # 累计完成投资 through the quarter's end
    started_on: dt.date | None  # 实际开工
    toured_in: int | None = None  # quarter index of its last tour, None: never toured


@dataclass
class Proposal:
    chosen: list[tuple[Candidate, str]] = field(default_factory=list)
    left_out: list[tuple[Candidate, str]] = field(default_factory=list)


def completed_share(candidate: Candidate) -> Decimal:
    if candidate.total <= 0:
        return ZERO
    return candidate.completed / candidate.total * HUNDRED


def propose_stops(
    candidates: list[Candidate],
    *,
    year: int,
    quarter: int,
    per_park: int,
    exclude_quarters: int,
    min_share: Decimal,
) -> dict[int, Proposal]:
    """Per park: leave out projects toured in the last ``exclude_quarters`` quarters (看新不看旧)
    and those whose completed investment is below ``min_share`` % of the total (看大不看小:
    little to see yet); then new starts of the year first, each group by total investment
    (largest first), code last for a stable order; the first ``per_park`` are proposed."""
    this = quarter_index(year, quarter)
    by_park: dict[int, Proposal] = {}
    kept: dict[int, list[Candidate]] = {}
    for c in candidates:
        proposal = by_park.setdefault(c.park_id, Proposal())
        if c.toured_in is not None and this - c.toured_in <= exclude_quarters:
            proposal.left_out.append((c, f"近{exclude_quarters}个季度内已观摩"))
        elif completed_share(c) < min_share:
            share = cents(completed_share(c))
            proposal.left_out.append((c, f"累计完成投资仅占总投资{share}%,低于{min_share}%"))
        else:
            kept.setdefault(c.park_id, []).append(c)
    for park_id, rows in kept.items():
        rows.sort(key=lambda c: (not is_new_start(c, year), -c.total, c.code))
        proposal = by_park[park_id]
        for c in rows[:per_park]:
            why = "本年新开工" if is_new_start(c, year) else "续建大项目"
            proposal.chosen.append((c, f"{why},总投资{c.total:,.0f}万元"))
        for c in rows[per_park:]:
            proposal.left_out.append((c, f"每个园区观摩{per_park}个点,排序在后"))
    return by_park


def is_new_start(candidate: Candidate, year: int) -> bool:
    return candidate.started_on is not None and candidate.started_on.year == year


def route_times(start: dt.time, count: int, stay: int, travel: int) -> list[dt.time]:
    """Arrival times of ``count`` stops in a row: each stays ``stay`` minutes, ``travel`` between."""
    moment = dt.datetime.combine(dt.date(2000, 1, 1), start)
    times = []
    for _ in range(count):
        times.append(moment.time())
        moment += dt.timedelta(minutes=stay + travel)
    return times


# --- objective points from the ledger ---------------------------------------------------------


@dataclass(frozen=True)
class LedgerFacts:
    """A park's ledger as of the quarter's end."""

    plan: Decimal = ZERO  # this year's planned investment of its projects, 万元
    completed: Decimal = ZERO  # completed this year through the quarter's end
    starts_due: int = 0  # projects planned to start this year by the quarter's end
    started: int = 0  # … of which started by then
    green: int = 0
    yellow: int = 0
    red: int = 0


@dataclass(frozen=True)
class Objective:
    plan_rate: Decimal  # completed / time-proportional plan, %, capped at 100
    start_rate: Decimal  # started / due, %
    light_rate: Decimal  # (green + yellow / 2) / projects, %
    points: Decimal


def objective_points(facts: LedgerFacts, quarter: int, weights: tuple[int, int, int]) -> Objective:
    """Points out of the three weights' sum (default 50 + 25 + 25): investment completed against
    序时进度 (the year's plan × quarter / 4), planned starts made, and the projects' lights
    (green counts whole, yellow half, red nothing). Nothing due counts as done."""
    plan_w, start_w, light_w = (Decimal(w) for w in weights)
    expected = facts.plan * Decimal(quarter) / 4
    plan_rate = HUNDRED if expected <= 0 else min(HUNDRED, facts.completed / expected * HUNDRED)
    start_rate = (
        HUNDRED if facts.starts_due == 0 else Decimal(facts.started) / facts.starts_due * HUNDRED
    )
    projects = facts.green + facts.yellow + facts.red
    light_rate = (
        HUNDRED
        if projects == 0
        else (Decimal(facts.green) + Decimal(facts.yellow) / 2) / projects * HUNDRED
    )
    points = (plan_w * plan_rate + start_w * start_rate + light_w * light_rate) / HUNDRED
    return Objective(cents(plan_rate), cents(start_rate), cents(light_rate), cents(points))


# --- the evaluators' scores -------------------------------------------------------------------


def sheet_total(points: dict, weights: dict) -> Decimal:
    """A sheet's total: the sum of its points, each within its criterion's weight."""
    total = ZERO
    for key, weight in weights.items():
        value = Decimal(str(points.get(str(key), 0)))
        if value < 0 or value > weight:
            raise ValueError(f"{value} is outside 0–{weight}")
        total += value
    return total


@dataclass(frozen=True)
class Trimmed:
    mean: Decimal | None
    dropped: tuple[int, ...] = ()  # positions in the totals given: the highest and the lowest


def trimmed_mean(totals: list[Decimal], trim_from: int) -> Trimmed:
    """The mean of the evaluators' totals for one park; with ``trim_from`` or more evaluators the
    highest and the lowest are dropped (one each: of equal totals, the first given)."""
    if not totals:
        return Trimmed(None)
    if len(totals) < trim_from:
        return Trimmed(cents(sum(totals, ZERO) / len(totals)))
    high = max(range(len(totals)), key=lambda i: (totals[i], -i))
    low = min(range(len(totals)), key=lambda i: (totals[i], i))
    kept = [t for i, t in enumerate(totals) if i not in (high, low)]
    return Trimmed(cents(sum(kept, ZERO) / len(kept)), (high, low))


def merged(objective: Decimal, subjective: Decimal | None, subjective_weight: Decimal) -> Decimal:
    """综合得分 = 评委评分 × w + 客观分 × (1 − w), w in percent; without any score, the
    objective points alone."""
    if subjective is None:
        return cents(objective)
    w = subjective_weight / HUNDRED
    return cents(subjective * w + objective * (ONE - w))


def ranks(finals: list[Decimal]) -> list[int]:
    """Competition ranking (1, 1, 3): equal scores share a rank."""
    order = sorted(finals, reverse=True)
    return [order.index(f) + 1 for f in finals]
