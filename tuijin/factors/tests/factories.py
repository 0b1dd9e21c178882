"""Small builders for the factors tests (the demo zone's org from the ``org`` fixture)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from tuijin.factors import services
from tuijin.factors.models import FactorNeed
from tuijin.org.models import Unit
from tuijin.projects.models import Enterprise, Project, Stage


def user(name: str):
    return get_user_model().objects.get(username=name)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def project(name: str, park: str = "府南产业园", *, land=0, energy=0, power=0, green=0,
            start=None, stage=Stage.PREPARING) -> Project:  # fmt: skip
    """A ledger project with its factor needs (``FactorNeed``)."""
    p = Project.objects.create(
        code=f"T-{Project.objects.count() + 1}-{name[:4]}",
        name=name,
        park=unit(park),
        unit=unit(park),
        stage=stage,
        planned_start=start,
    )
    FactorNeed.objects.create(
        project=p,
        land_mu=Decimal(land),
        energy_tce=Decimal(energy),
        electricity_10k_kwh=Decimal(power),
        green_share=Decimal(green),
        expected_start=start,
    )
    return p


def supply(park: str, year: int, source: str, quantity, who: str = "leader"):
    return services.add_supply(
        user(who),
        park=unit(park),
        year=year,
        source=source,
        quantity=Decimal(quantity),
        document_title="随州市自然资源和规划局关于下达年度用地计划指标的通知",
        document_number="随自然资发〔2026〕12号",
    )


def enterprise(name: str, park: str = "城东产业园", code: str = "") -> Enterprise:
    return Enterprise.objects.create(name=name, park=unit(park), unit=unit(park), credit_code=code)


def day(year, month, d=1) -> dt.date:
    return dt.date(year, month, d)
