"""The funnel and its conversion rates (招商漏斗).

Counting rule: each project is counted once, by its first signing. Leads linked to the same
ledger project are one project; its signing year is the earliest ``signed_on`` among them and
its figures are those of that first-signed lead. ``Lead.signed_on`` itself is the lead's first
signing (a formal contract after a framework agreement does not move it).

For the projects first signed in a year (the cohort):
- 签约转化率: the cohort ÷ the leads entered that year;
- 履约率: started within the start term (签约后 N 个月) ÷ those whose term has passed or
  that started;
- 资金到位率: funds arrived ÷ funds contracted (万元);
- 开工率: started ÷ the cohort; 投产率: in production ÷ the cohort.

One query over the visible leads (their unit's and park's names joined), whatever their
number: the figures are summed in Python.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tuijin.investment.clocks import add_months
from tuijin.investment.models import STAGE_ORDER, LeadStage

ZERO = Decimal(0)
GROUPS = {"unit": _("招商单位"), "chain": _("产业链"), "park": _("园区")}
COLUMNS = (
    "pk",
    "project_id",
    "stage",
    "received_on",
    "signed_on",
    "started_on",
    "producing_on",
    "total_investment",
    "contracted_funds",
    "funds_arrived",
    "land_mu",
    "energy_tce",
    "industry_chain",
    "unit__name",
    "park__name",
)


@dataclass
class StageRow:
    stage: str
    label: str
    count: int = 0
    investment: Decimal = ZERO
    land: Decimal = ZERO
    energy: Decimal = ZERO


@dataclass
class Cohort:
    """The projects first signed in a year (or a group of them)."""

    label: str
    entered: int = 0  # leads entered in the year (the group's)
    signed: int = 0
    investment: Decimal = ZERO
    contracted: Decimal = ZERO
    arrived: Decimal = ZERO
    due: int = 0  # start term passed or started
    on_time: int = 0
    started: int = 0
    producing: int = 0
    names: list = field(default_factory=list)

    @staticmethod
    def _rate(part, whole):
        return (
            None if not whole else (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
        )

    @property
    def sign_rate(self):
        return self._rate(self.signed, self.entered)

    @property
    def keep_rate(self):
        return self._rate(self.on_time, self.due)

    @property
    def funds_rate(self):
        return self._rate(self.arrived, self.contracted)

    @property
    def start_rate(self):
        return self._rate(self.started, self.signed)

    @property
    def produce_rate(self):
        return self._rate(self.producing, self.signed)


def _projects(rows):
    """Rows grouped into projects: (the first-signed row, every row) per project."""
    groups = defaultdict(list)
    for row in rows:
        key = ("p", row["project_id"]) if row["project_id"] else ("l", row["pk"])
        groups[key].append(row)
    projects = []
    for members in groups.values():
        signed = [r for r in members if r["signed_on"]]
        first = min(signed, key=lambda r: (r["signed_on"], r["pk"])) if signed else members[0]
        projects.append((first, members))
    return projects


def _group_of(row, by: str) -> str:
    if by == "unit":
        return row["unit__name"] or "—"
    if by == "park":
        return row["park__name"] or str(_("未定园区"))
    return row["industry_chain"] or str(_("未填产业链"))


def funnel(leads, *, year: int | None, by: str = "unit", today: dt.date, start_months: int = 6):
    """(stage rows, the year's cohort, cohorts by group, signing years present)."""
    rows = list(leads.order_by().values(*COLUMNS))
    stages = {s: StageRow(s, LeadStage(s).label) for s in [*STAGE_ORDER, LeadStage.ENDED]}
    for row in rows:
        line = stages[row["stage"]]
        line.count += 1
        line.investment += row["total_investment"]
        line.land += row["land_mu"]
        line.energy += row["energy_tce"]
    projects = _projects(rows)
    years = sorted(
        {first["signed_on"].year for first, _m in projects if first["signed_on"]}, reverse=True
    )
    total = Cohort(str(year) if year else str(_("全部年度")))
    groups: dict[str, Cohort] = {}

    def cohort_of(row):
        name = _group_of(row, by)
        return groups.setdefault(name, Cohort(name))

    for row in rows:
        if year is None or row["received_on"].year == year:
            total.entered += 1
            cohort_of(row).entered += 1
    for first, members in projects:
        signed_on = first["signed_on"]
        if signed_on is None or (year is not None and signed_on.year != year):
            continue
        started = min((r["started_on"] for r in members if r["started_on"]), default=None)
        producing = any(r["producing_on"] for r in members)
        term = add_months(signed_on, start_months)
        for cohort in (total, cohort_of(first)):
            cohort.signed += 1
            cohort.investment += first["total_investment"]
            cohort.contracted += first["contracted_funds"]
            cohort.arrived += first["funds_arrived"]
            if started or term < today:
                cohort.due += 1
                if started and started <= term:
                    cohort.on_time += 1
            cohort.started += bool(started)
            cohort.producing += producing
    ordered = sorted(groups.values(), key=lambda c: (-c.signed, -c.entered, c.label))
    return list(stages.values()), total, ordered, years
