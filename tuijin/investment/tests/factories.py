"""Leads for the tests, through the services."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from tuijin.investment import services
from tuijin.org.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def user(name: str):
    return get_user_model().objects.get(username=name)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def evidence(name="投资合同.pdf"):
    return ContentFile(PDF, name=name)


def make_lead(
    name="测试新材料项目", *, by="admin", unit_name="招商局", park="府南产业园", **values
):
    defaults = {
        "name": name,
        "investor_name": "测试投资有限公司",
        "unit": unit(unit_name),
        "park": unit(park) if park else None,
        "total_investment": Decimal(10000),
        "land_mu": Decimal(50),
        "energy_tce": Decimal(100),
    }
    return services.create_lead(user(by), force=True, **(defaults | values))


def move(lead, stage, on: dt.date, by="admin", **extra):
    lead.refresh_from_db()
    return services.move_stage(
        user(by), lead.pk, lead.version, to_stage=stage, on=on, evidence=evidence(), **extra
    )
