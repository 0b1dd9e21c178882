"""Sample factor records of a unit for the URL walk (tests/test_every_url.py): in the park of
the unit's sample project, a supply entry, a reservation for that project (with its needs),
a low-efficiency plot, and the zone's 亩均 year."""

from decimal import Decimal

from django.utils import timezone

from tuijin.factors.models import (
    Allocation,
    Evaluation,
    Factor,
    FactorNeed,
    LandFlag,
    LandFlagKind,
    Source,
    SupplyEntry,
)


def walk_records(unit, project) -> dict:
    park = project.park
    year = timezone.localdate().year
    supply = SupplyEntry.objects.create(
        park=park,
        year=year,
        factor=Factor.LAND,
        source=Source.NEW_LAND,
        quantity=Decimal(100),
        document_title="年度用地计划指标",
    )
    FactorNeed.objects.get_or_create(
        project=project, defaults={"land_mu": Decimal(50), "expected_start": None}
    )
    allocation = Allocation.objects.create(
        park=park,
        year=year,
        factor=Factor.LAND,
        quantity=Decimal(10),
        project=project,
        subject_name=project.name,
        created_at=timezone.now(),
    )
    flag = LandFlag.objects.create(
        park=park, year=year, kind=LandFlagKind.SUPPLIED_NOT_USED, area_mu=Decimal(20)
    )
    evaluation, _ = Evaluation.objects.get_or_create(zone=unit.zone, year=year - 1)
    return {
        "factors_park": park,
        "factors_supply": supply,
        "factors_allocation": allocation,
        "factors_flag": flag,
        "factors_evaluation": evaluation,
    }
