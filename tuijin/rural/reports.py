"""The report by town and village (R15 item 5): for a year, each village's (community's)
collective income and tier, dividends per household, enclave shares received, its agreements'
income and gain per 亩 (computed), its linked households with 脱贫/监测 flags; a line per town.
Read through the scoping functions only, so a town's staff get their villages, a village
clerk their village, zone-wide roles the zone."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tuijin.org.access import visible_units
from tuijin.org.models import Unit, UnitKind
from tuijin.rural import figures
from tuijin.rural.models import ZERO, Agreement, EnclaveShare, Household, VillageIncome

VILLAGES = (UnitKind.VILLAGE, UnitKind.COMMUNITY)


@dataclass
class Row:
    unit: Unit
    town: Unit | None
    income: VillageIncome | None = None
    tier: figures.Tier | None = None
    shares: Decimal = ZERO  # 万元 from enclave parks
    agreements: list = field(default_factory=list)
    area_mu: Decimal = ZERO
    agreement_income: Decimal = ZERO  # 元
    gain_per_mu: Decimal | None = None  # 元, area-weighted over the village's agreements
    households: int = 0
    lifted: int = 0
    monitored: int = 0
    late: int = 0


@dataclass
class TownTotal:
    town: Unit | None
    rows: list = field(default_factory=list)

    @property
    def operating_income(self) -> Decimal:
        return sum((r.income.operating_income for r in self.rows if r.income), ZERO)

    @property
    def tiers(self) -> dict:
        counts = defaultdict(int)
        for r in self.rows:
            if r.tier and r.tier.name:
                counts[r.tier.name] += 1
        return dict(counts)


@dataclass
class Report:
    year: int
    towns: list
    tiers: list

    @property
    def rows(self) -> list:
        return [r for t in self.towns for r in t.rows]


def income_report(user, year: int, within: Unit | None = None, today: dt.date | None = None):
    today = today or timezone.localdate()
    units = visible_units(user).filter(kind__in=VILLAGES)
    if within is not None:
        units = units.filter(path__startswith=within.path)
    units = list(units.order_by("path"))
    ids = [u.pk for u in units]
    towns = {
        t.path: t
        for t in Unit.objects.filter(kind=UnitKind.TOWN)
        if any(u.path.startswith(t.path) for u in units)
    }
    rows = {}
    for unit in units:
        town = next((t for p, t in towns.items() if unit.path.startswith(p)), None)
        rows[unit.pk] = Row(unit=unit, town=town)
    rules = figures.tiers()
    for income in VillageIncome.objects.visible_to(user).filter(unit_id__in=ids, year=year):
        rows[income.unit_id].income = income
    for row in rows.values():
        value = row.income.operating_income if row.income else ZERO
        row.tier = figures.tier_of(value, rules)
    shares = (
        EnclaveShare.objects.filter(village_id__in=ids, year=year)
        .values("village_id")
        .annotate(total=Sum("amount"))
    )
    for share in shares:
        rows[share["village_id"]].shares = share["total"]
    agreements = list(
        Agreement.objects.visible_to(user)
        .filter(unit_id__in=ids, starts_on__year__lte=year, ends_on__year__gte=year)
        .select_related("enterprise", "company")
    )
    numbers = figures.figures_for(agreements, today, year)
    for agreement in agreements:
        row = rows[agreement.unit_id]
        f = agreement.figures = numbers[agreement.pk]
        row.agreements.append(agreement)
        row.area_mu += agreement.area_mu
        row.agreement_income += f.income
        row.late += f.late_count
    for row in rows.values():
        if row.area_mu:
            gain = sum((a.figures.gain_per_mu * a.area_mu for a in row.agreements), ZERO)
            row.gain_per_mu = (gain / row.area_mu).quantize(Decimal("1"))
    counts = (
        Household.objects.filter(company__unit_id__in=ids)
        .values("company__unit_id")
        .annotate(
            n=Count("pk"),
            lifted=Count("pk", filter=Q(status=Household.Status.LIFTED)),
            monitored=Count("pk", filter=Q(status=Household.Status.MONITORED)),
        )
    )
    for c in counts:
        row = rows[c["company__unit_id"]]
        row.households, row.lifted, row.monitored = c["n"], c["lifted"], c["monitored"]
    grouped = {}
    for row in rows.values():
        key = row.town.pk if row.town else None
        grouped.setdefault(key, TownTotal(town=row.town)).rows.append(row)
    return Report(year=year, towns=list(grouped.values()), tiers=rules)
