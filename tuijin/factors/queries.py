"""The factor balance sheet (要素平衡表), read in a constant number of queries whatever the
number of parks, leads and projects.

For each park the user sees and each factor, in the year asked for:

- supply: the year's supply entries;
- committed: what is reserved or committed (``Allocation``) in the year;
- demand: what the pipeline still needs (its need less what is already reserved or committed
  for it), by the quarter of its expected start: leads from 签约 until they start
  (签约, 注册; a lead already 开工 has its land and quota) and projects under way that are not
  leads (``FactorNeed`` of a project not yet in operation). A demand whose start was due in an
  earlier year and has not come is counted in the first quarter; one without a date or
  starting in a later year is shown but not counted;
- gap: supply − committed − demand (negative: short).

Energy is net of green power when the zone's rule says so (the default, as national rules do
since 2024): energy need − electricity × green share × the conversion factor.

Predicted to stall: the demands of the year taken in order of expected start (then signing),
each covered from what is left of the supply; one that is not covered by its start is listed
with each factor that blocks it and by how much.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuijin.factors.access import factor_access
from tuijin.factors.models import (
    ACTIVE_STATES,
    UNIT,
    ZERO,
    Allocation,
    AllocationState,
    Factor,
    FactorNeed,
    FactorRules,
    SupplyEntry,
    lead_model,
)
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Stage

FACTORS = list(Factor)
# Lead stages whose needs are pipeline demand (from 签约 until the project has started).
DEMAND_STAGES = ("signed", "registered")
# Ledger stages of a project whose needs are still demand (not yet built and operating).
PROJECT_DEMAND_STAGES = (Stage.PLANNING, Stage.SIGNED, Stage.PREPARING, Stage.CONSTRUCTION)


def net_energy(energy_tce, electricity_10k_kwh, green_share, rules) -> Decimal:
    """吨标准煤 counted against the energy quota: with ``rules.exclude_green`` the green part of
    the electricity (万千瓦时 × share × tce per 万千瓦时) is left out, never below zero."""
    energy = Decimal(energy_tce or 0)
    if not rules.exclude_green:
        return energy
    green = (
        Decimal(electricity_10k_kwh or 0)
        * Decimal(green_share or 0)
        / 100
        * rules.green_tce_per_10k_kwh
    )
    return max(energy - green, ZERO).quantize(Decimal("0.01"))


def quarter_of(day: dt.date | None, year: int) -> int | None:
    """1–4 in the year; an earlier day counts in the first quarter; None: later or no date."""
    if day is None or day.year > year:
        return None
    if day.year < year:
        return 1
    return (day.month - 1) // 3 + 1


QUARTERS = [_("第一季度"), _("第二季度"), _("第三季度"), _("第四季度")]


def quarter_label(day: dt.date | None) -> str:
    """2027年第二季度 (Q2 2027 in English)."""
    if day is None:
        return str(_("未定"))
    return str(_("%(year)s年%(quarter)s")) % {
        "year": day.year,
        "quarter": QUARTERS[(day.month - 1) // 3],
    }


@dataclass
class Block:
    factor: str
    need: Decimal
    available: Decimal
    shortfall: Decimal

    @property
    def unit(self):
        return UNIT[self.factor]

    @property
    def label(self):
        return Factor(self.factor).label


@dataclass
class Demand:
    """A lead or project's outstanding needs."""

    kind: str  # "lead" or "project"
    pk: int
    name: str
    park_id: int
    url: str
    stage: str
    start: dt.date | None
    signed_on: dt.date | None
    need: dict  # factor -> total need
    outstanding: dict  # factor -> need less what is reserved or committed for it
    project: object = None
    lead: object = None
    gross_energy: Decimal = ZERO
    blocks: dict = field(default_factory=dict)  # factor -> Block, when predicted to stall

    @property
    def start_label(self) -> str:
        return quarter_label(self.start)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def block_list(self) -> list[Block]:
        return list(self.blocks.values())


@dataclass
class Row:
    park: Unit
    factor: str
    supply: Decimal = ZERO
    reserved: Decimal = ZERO
    committed: Decimal = ZERO
    quarters: list = field(default_factory=lambda: [ZERO] * 4)
    later: Decimal = ZERO

    @property
    def unit(self):
        return UNIT[self.factor]

    @property
    def label(self):
        return Factor(self.factor).label

    @property
    def taken(self) -> Decimal:
        return self.reserved + self.committed

    @property
    def demand(self) -> Decimal:
        return sum(self.quarters, ZERO)

    @property
    def gap(self) -> Decimal:
        return self.supply - self.taken - self.demand

    @property
    def short(self) -> bool:
        return self.gap < 0


@dataclass
class Sheet:
    year: int
    parks: list
    rows: list  # Row, park by park, factor by factor
    demands: list  # Demand, every one in the parks
    rules: object

    @property
    def stalled(self) -> list[Demand]:
        return [d for d in self.demands if d.blocks]

    def rows_of(self, park_id: int) -> list[Row]:
        return [r for r in self.rows if r.park.pk == park_id]

    def demands_of(self, park_id: int) -> list[Demand]:
        return [d for d in self.demands if d.park_id == park_id]

    def chart(self, park_id: int) -> dict:
        """Per factor: supply, committed, demand by quarter, the gap (ECharts' data)."""
        out = {}
        for row in self.rows_of(park_id):
            out[row.factor] = {
                "label": str(row.label),
                "unit": str(row.unit),
                "supply": float(row.supply),
                "taken": float(row.taken),
                "quarters": [float(q) for q in row.quarters],
                "gap": float(row.gap),
            }
        return out


def rules_of(user, parks) -> FactorRules:
    """The rules of the parks' zone (the first zone's for an admin seeing several)."""
    zone_ids = factor_access(user).zones
    rules = None
    if zone_ids:
        rules = FactorRules.objects.filter(zone_id=zone_ids[0]).first()
    elif parks:
        rules = FactorRules.objects.filter(zone__path=parks[0].path[: parks[0].steplen]).first()
    return rules or FactorRules()


def balance_sheet(user, year: int, park_ids=None) -> Sheet:
    """The sheet for the parks the user sees (``park_ids`` narrows it)."""
    acc = factor_access(user)
    parks_qs = Unit.objects.filter(kind=UnitKind.PARK)
    if not acc.everything:
        parks_qs = parks_qs.filter(pk__in=acc.parks)
    if park_ids is not None:
        parks_qs = parks_qs.filter(pk__in=list(park_ids))
    parks = list(parks_qs.order_by("path"))
    ids = [p.pk for p in parks]
    rules = rules_of(user, parks)

    rows = {(p.pk, f): Row(p, f) for p in parks for f in FACTORS}
    for r in (
        SupplyEntry.objects.filter(year=year, park__in=ids)
        .values("park", "factor")
        .annotate(total=Sum("quantity"))
    ):
        rows[(r["park"], r["factor"])].supply = r["total"]
    for r in (
        Allocation.objects.filter(year=year, park__in=ids, state__in=ACTIVE_STATES)
        .values("park", "factor", "state")
        .annotate(total=Sum("quantity"))
    ):
        row = rows[(r["park"], r["factor"])]
        if r["state"] == AllocationState.RESERVED:
            row.reserved = r["total"]
        else:
            row.committed = r["total"]

    demands = _demands(ids, rules)
    for d in demands:
        q = quarter_of(d.start, year)
        for f in FACTORS:
            amount = d.outstanding[f]
            if not amount:
                continue
            row = rows[(d.park_id, f)]
            if q is None:
                row.later += amount
            else:
                row.quarters[q - 1] += amount
    _predict_stalls(rows, demands, year)
    return Sheet(year, parks, list(rows.values()), demands, rules)


def _demands(park_ids, rules) -> list[Demand]:
    """Leads from 签约 until started, and projects with needs that are not leads; each with what
    is already reserved or committed for it taken off. Four queries."""
    taken = defaultdict(lambda: ZERO)
    lead_field = "lead"
    values = ["project", "factor", "lead"]
    for r in (
        Allocation.objects.filter(park__in=park_ids, state__in=ACTIVE_STATES)
        .values(*values)
        .annotate(total=Sum("quantity"))
    ):
        if r[lead_field]:
            taken[("lead", r[lead_field], r["factor"])] += r["total"]
        elif r["project"]:
            taken[("project", r["project"], r["factor"])] += r["total"]

    out = []
    lead_projects = set()
    Lead = lead_model()
    if Lead is not None:
        leads = (
            Lead.objects.filter(park__in=park_ids, stage__in=DEMAND_STAGES)
            .select_related("project", "investor")
            .order_by("expected_start", "signed_on", "pk")
        )
        for lead in leads:
            if lead.project_id:
                lead_projects.add(lead.project_id)
            need = {
                Factor.LAND: lead.land_mu,
                Factor.ENERGY: net_energy(
                    lead.energy_tce, lead.electricity_10k_kwh, lead.green_share, rules
                ),
                Factor.GREEN: (lead.electricity_10k_kwh * lead.green_share / 100).quantize(
                    Decimal("0.01")
                ),
            }
            out.append(
                Demand(
                    kind="lead",
                    pk=lead.pk,
                    name=lead.name,
                    park_id=lead.park_id,
                    url=lead.get_absolute_url(),
                    stage=lead.get_stage_display(),
                    start=lead.expected_start,
                    signed_on=lead.signed_on,
                    need=need,
                    outstanding=_outstanding(need, taken, "lead", lead.pk, lead.project_id),
                    project=lead.project,
                    lead=lead,
                    gross_energy=lead.energy_tce,
                )
            )
        # Leads already started or beyond: their projects' needs are theirs, not demand.
        lead_projects |= set(
            Lead.objects.filter(park__in=park_ids, project__isnull=False)
            .exclude(stage__in=DEMAND_STAGES)
            .values_list("project_id", flat=True)
        )
    for need_row in FactorNeed.objects.filter(
        project__park__in=park_ids, project__stage__in=PROJECT_DEMAND_STAGES
    ).select_related("project"):
        project = need_row.project
        if project.pk in lead_projects:
            continue
        need = {
            Factor.LAND: need_row.land_mu,
            Factor.ENERGY: net_energy(
                need_row.energy_tce, need_row.electricity_10k_kwh, need_row.green_share, rules
            ),
            Factor.GREEN: (need_row.electricity_10k_kwh * need_row.green_share / 100).quantize(
                Decimal("0.01")
            ),
        }
        out.append(
            Demand(
                kind="project",
                pk=project.pk,
                name=project.name,
                park_id=project.park_id,
                url=reverse("projects:project_detail", args=[project.pk]),
                stage=project.get_stage_display(),
                start=need_row.expected_start or project.planned_start,
                signed_on=None,
                need=need,
                outstanding=_outstanding(need, taken, "project", project.pk, None),
                project=project,
                gross_energy=need_row.energy_tce,
            )
        )
    out.sort(key=lambda d: (d.start or dt.date.max, d.signed_on or dt.date.max, d.name))
    return out


def _outstanding(need, taken, kind, pk, project_id) -> dict:
    result = {}
    for f in FACTORS:
        got = taken[(kind, pk, f)]
        if kind == "lead" and project_id:
            got += taken[("project", project_id, f)]
        result[f] = max(need[f] - got, ZERO)
    return result


def _predict_stalls(rows, demands, year) -> None:
    """First come (by expected start), first served from what is left of each park's supply."""
    left = {key: row.supply - row.taken for key, row in rows.items()}
    for d in demands:
        if quarter_of(d.start, year) is None:
            continue
        for f in FACTORS:
            need = d.outstanding[f]
            if not need:
                continue
            key = (d.park_id, f)
            have = max(left[key], ZERO)
            if need <= have:
                left[key] -= need
            else:
                d.blocks[f] = Block(f, need, have, need - have)
