"""Sample rural records of a unit for the URL walk (tests/test_every_url.py): a company, an
enclave park, an agreement (with an enterprise that has no 包保 leader, so only the unit's
people and the zone-wide roles see it) and an unpaid payment, all owned by ``unit``."""

import datetime as dt
from decimal import Decimal

from tuijin.projects.models import Enterprise
from tuijin.rural.models import (
    Agreement,
    Company,
    EnclavePark,
    EnclaveShare,
    EnclaveTenant,
    Household,
    Payment,
    Shareholder,
)

# Who may not write rural records at all (permissions.can_record): 督查室, inspectors, liaisons.
NOT_RECORDERS = {"duban", "jijian", "qiye"}
ADD_VERBS = {
    "company": ("shareholder", "household"),
    "park": ("tenant", "share"),
    "agreement": ("delivery", "payment"),
}


def cases(reads, writes) -> dict:
    """The walk's classification of every rural URL (``CASES`` in tests/test_every_url.py)."""
    owner = {"edit_by_owner": True}
    return {
        "rural:index": reads(),
        "rural:company_create": writes(refused=NOT_RECORDERS),
        "rural:company_detail": reads("rural_company"),
        "rural:company_add": writes(
            "rural_company", verbs=ADD_VERBS["company"], post_only=True, **owner
        ),
        "rural:company_edit": writes("rural_company", **owner),
        "rural:company_shareholder_edit": writes("rural_shareholder", **owner),
        "rural:company_household_edit": writes("rural_household", **owner),
        "rural:park_create": writes(refused=NOT_RECORDERS),
        "rural:park_detail": reads("rural_park"),
        "rural:park_add": writes("rural_park", verbs=ADD_VERBS["park"], post_only=True, **owner),
        "rural:park_edit": writes("rural_park", **owner),
        "rural:park_tenant_edit": writes("rural_tenant", **owner),
        "rural:park_share_edit": writes("rural_share", **owner),
        "rural:agreement_create": writes(refused=NOT_RECORDERS),
        "rural:agreement_detail": reads("rural_agreement"),
        "rural:agreement_edit": writes("rural_agreement", **owner),
        "rural:agreement_add": writes(
            "rural_agreement", verbs=ADD_VERBS["agreement"], post_only=True, **owner
        ),
        "rural:payment_pay": writes("rural_payment", post_only=True, **owner),
        "rural:income": reads(),
        "rural:income_xlsx": reads(),
        "rural:income_edit": writes(refused=NOT_RECORDERS),
    }


GET_RECORDS = {"rural_company", "rural_park", "rural_agreement"}


def walk_records(unit) -> dict:
    company = Company.objects.create(
        unit=unit, name=f"{unit.name}联农公司", kind=Company.Kind.VILLAGE
    )
    park = EnclavePark.objects.create(unit=unit, name=f"{unit.name}飞地园区", company=company)
    enterprise = Enterprise.objects.create(name=f"{unit.name}收购企业", unit=unit)
    agreement = Agreement.objects.create(
        unit=unit,
        company=company,
        enterprise=enterprise,
        kind=Agreement.Kind.PURCHASE,
        title=f"{unit.name}订单收购协议",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2027, 12, 31),
        area_mu=Decimal(10),
        guaranteed_price=Decimal(2),
    )
    payment = Payment.objects.create(
        agreement=agreement, due_on=dt.date(2026, 11, 1), amount_due=Decimal(100)
    )
    shareholder = Shareholder.objects.create(
        company=company, name=f"{unit.name}村集体", kind=Shareholder.Kind.COLLECTIVE, share=60
    )
    household = Household.objects.create(company=company, head=f"{unit.name}农户")
    tenant = EnclaveTenant.objects.create(
        park=park, name=f"{unit.name}入驻企业", status=EnclaveTenant.Status.COMMITTED
    )
    share = EnclaveShare.objects.create(park=park, village=unit, year=2026, amount=Decimal(1))
    return {
        "rural_shareholder": (company, shareholder),
        "rural_household": (company, household),
        "rural_tenant": (park, tenant),
        "rural_share": (park, share),
        "rural_company": company,
        "rural_park": park,
        "rural_agreement": agreement,
        "rural_payment": payment,
    }
