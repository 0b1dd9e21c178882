"""How each rural record is made, for tests/test_every_record_visible.py (``MAKERS``): through
its service, as each role that may (of the personas, the zone leader and admins: the others
own no village, community or town), and the page that shows it."""

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse

from conftest import login_as
from tuijin.org.models import Unit
from tuijin.rural import services
from tuijin.rural.models import Company, EnclavePark, IncomeTier, Payment
from tuijin.rural.tests.factories import make_agreement, setup_people

ROLES = ("leader", "admin")
_n = itertools.count(1)


def user(name: str):
    return get_user_model().objects.get(username=name)


def text(what: str) -> str:
    return f"{what}{next(_n)}号"


def company_as(name: str) -> Company:
    setup_people()
    return services.create_company(
        user(name), unit=Unit.objects.get(name="碑岗村"), name=text("碑岗村合作公司"),
        kind=Company.Kind.VILLAGE,
    )  # fmt: skip


def park_as(name: str) -> EnclavePark:
    return services.create_park(
        user(name), unit=Unit.objects.get(name="碑岗村"), name=text("丰碑产业园")
    )


def agreement_as(name: str):
    setup_people()
    return make_agreement(user(name), title=text("辣椒收购协议"))


def delivery_as(name: str):
    return services.record_delivery(
        user(name), agreement_as(name), delivered_on=dt.date(2026, 11, 1),
        quantity=Decimal(next(_n) + 1000), payment_due=False,
    )  # fmt: skip


def payment_as(name: str) -> Payment:
    return services.add_payment(
        user(name), agreement_as(name), due_on=dt.date(2026, 11, 1),
        amount_due=Decimal(next(_n) + 500), note=text("保底分红"),
    )  # fmt: skip


def income_as(name: str):
    setup_people()
    return services.save_income(
        user(name), unit=Unit.objects.get(name="挑水村"), year=2000 + next(_n), version=None,
        operating_income=Decimal("16.8"), dividends=Decimal(1), dividend_households=10,
    )  # fmt: skip


def tier_as(name: str) -> IncomeTier:
    label = text("示范村")
    client = login_as(name)
    client.post(
        reverse("admin:rural_incometier_add"),
        {"name": label, "min_income": "80", "sort_order": "90"},
    )
    return IncomeTier.objects.get(name=label)


def page(record) -> str:
    return record.get_absolute_url().split("#")[0]


def makers(made) -> dict:
    return {
        "rural.incometier": [
            made(("admin",), tier_as, lambda t: reverse("rural:income"), lambda t: t.name)
        ],
        "rural.company": [made(ROLES, company_as, page, lambda c: c.name)],
        "rural.shareholder": [
            made(
                ROLES,
                lambda name: services.add_shareholder(
                    user(name),
                    company_as(name),
                    name=text("村集体"),
                    kind="collective",
                    share=Decimal(40),
                ),
                page,
                lambda s: s.name,
            )
        ],
        "rural.household": [
            made(
                ROLES,
                lambda name: services.add_household(
                    user(name), company_as(name), head=text("农户"), status="lifted"
                ),
                page,
                lambda h: h.head,
            )
        ],
        "rural.enclavepark": [made(ROLES, park_as, page, lambda p: p.name)],
        "rural.enclavetenant": [
            made(
                ROLES,
                lambda name: services.add_tenant(
                    user(name), park_as(name), name=text("入驻企业"), status="committed"
                ),
                page,
                lambda t: t.name,
            )
        ],
        "rural.enclaveshare": [
            made(
                ROLES,
                lambda name: services.add_share(
                    user(name),
                    park_as(name),
                    village=Unit.objects.get(name="碑岗村"),
                    year=2026,
                    amount=Decimal("8.5"),
                ),
                page,
                lambda s: "8.5",
            )
        ],
        "rural.agreement": [made(ROLES, agreement_as, page, lambda a: a.title)],
        "rural.delivery": [made(ROLES, delivery_as, page, lambda d: f"{d.quantity:,.0f}")],
        "rural.payment": [made(ROLES, payment_as, page, lambda p: f"{p.amount_due:,.0f}")],
        "rural.villageincome": [
            made(
                ROLES,
                income_as,
                lambda i: reverse("rural:income") + f"?year={i.year}",
                lambda i: "16.8",
            )
        ],
    }
