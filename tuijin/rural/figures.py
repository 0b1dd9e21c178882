"""Figures worked out from the records, never typed: an agreement's income and gain per 亩
(每亩多挣) from its deliveries (订单收购) or payments (the other kinds), what is paid, owed and
late; a village's income tier against the editable tiers.

Per 亩 in a year::

    income per 亩 = (Σ deliveries' amounts that year        for 订单收购,
                     Σ payments' amounts paid that year     otherwise) ÷ area (亩)
    gain per 亩   = income per 亩 − what a 亩 earned before (baseline_per_mu)
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from tuijin.rural.models import ZERO, Agreement, Delivery, IncomeTier, Payment

YUAN = Decimal("1")


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(YUAN, rounding=ROUND_HALF_UP)


@dataclass
class AgreementFigures:
    year: int
    delivered_quantity: Decimal = ZERO
    delivered_value: Decimal = ZERO  # 元
    due: Decimal = ZERO  # 元, payments due so far (any year)
    paid: Decimal = ZERO  # 元
    paid_in_year: Decimal = ZERO
    outstanding: Decimal = ZERO  # 元, due and not paid
    late: list = field(default_factory=list)  # the late payments
    income: Decimal = ZERO  # 元, that year (deliveries or payments)
    income_per_mu: Decimal = ZERO
    gain_per_mu: Decimal = ZERO
    baseline_per_mu: Decimal = ZERO
    area_mu: Decimal = ZERO

    @property
    def late_count(self) -> int:
        return len(self.late)


def season_year(agreement: Agreement, today: dt.date) -> int:
    """The year the figures speak of: this year, or the agreement's last year if it ended."""
    return min(today.year, agreement.ends_on.year)


def figures_for(agreements, today: dt.date, year: int | None = None) -> dict[int, AgreementFigures]:
    """Figures of many agreements in two queries (their deliveries' and payments' sums)."""
    agreements = list(agreements)
    ids = [a.pk for a in agreements]
    years = {a.pk: year or season_year(a, today) for a in agreements}
    delivered = defaultdict(lambda: [ZERO, ZERO])
    rows = (
        Delivery.objects.filter(agreement_id__in=ids)
        .annotate(y=ExtractYear("delivered_on"))
        .values("agreement_id", "y")
        .annotate(q=Sum("quantity"), v=Sum("amount"))
    )
    for row in rows:
        if row["y"] == years[row["agreement_id"]]:
            delivered[row["agreement_id"]] = [row["q"], row["v"]]
    payments = defaultdict(list)
    for payment in Payment.objects.filter(agreement_id__in=ids).order_by("due_on", "pk"):
        payments[payment.agreement_id].append(payment)
    result = {}
    for agreement in agreements:
        y = years[agreement.pk]
        f = AgreementFigures(
            year=y, baseline_per_mu=agreement.baseline_per_mu, area_mu=agreement.area_mu
        )
        f.delivered_quantity, f.delivered_value = delivered[agreement.pk]
        for p in payments[agreement.pk]:
            if p.due_on <= today:
                f.due += p.amount_due
                f.outstanding += p.outstanding
            f.paid += p.amount_paid
            if p.paid_on and p.paid_on.year == y:
                f.paid_in_year += p.amount_paid
            if p.is_late(today):
                f.late.append(p)
        if agreement.kind == Agreement.Kind.PURCHASE:
            f.income = f.delivered_value
        else:
            f.income = f.paid_in_year
        f.income_per_mu = _yuan(f.income / agreement.area_mu)
        f.gain_per_mu = f.income_per_mu - _yuan(agreement.baseline_per_mu)
        result[agreement.pk] = f
    return result


def agreement_figures(agreement: Agreement, today: dt.date, year=None) -> AgreementFigures:
    return figures_for([agreement], today, year)[agreement.pk]


@dataclass
class Tier:
    name: str = ""
    goal: IncomeTier | None = None
    gap: Decimal | None = None  # 万元 still short of the goal (None: reached or no goal)
    level: int = 0  # 0 the lowest tier, for the badge's colour


def tiers() -> list[IncomeTier]:
    return list(IncomeTier.objects.all())


def tier_of(income: Decimal, rows: list[IncomeTier]) -> Tier:
    """The highest (non-goal) tier whose lower bound ``income`` (万元) reaches, and the gap
    to the goal."""
    steps = [t for t in rows if not t.is_goal]
    goal = next((t for t in rows if t.is_goal), None)
    tier = Tier(goal=goal)
    for level, row in enumerate(sorted(steps, key=lambda t: t.min_income)):
        if income >= row.min_income:
            tier.name, tier.level = row.name, level
    if goal is not None and income < goal.min_income:
        tier.gap = goal.min_income - income
    return tier
