"""The factor forms ask in words ("请选择来源"), not with Django's bare "---------"."""

import re
from decimal import Decimal

from django.urls import reverse

from conftest import unit
from tuijin.factors.forms import FlagForm
from tuijin.factors.models import Factor, Source, SupplyEntry
from tuijin.projects.models import Enterprise


def asks(html: str, *labels: str) -> None:
    assert "---------" not in html
    for label in labels:
        assert re.search(f'<option value=""( selected)?>{label}</option>', html), label


def test_the_supply_correction_asks_for_the_source(org, leader):
    entry = SupplyEntry.objects.create(
        park=unit("府南产业园"),
        year=2026,
        factor=Factor.LAND,
        source=Source.NEW_LAND,
        quantity=Decimal(100),
        document_title="年度用地计划指标",
    )
    response = leader.get(reverse("factors:supply_edit", args=[entry.pk]))
    assert response.status_code == 200
    asks(response.content.decode(), "请选择来源")


def test_the_land_flag_form_asks_for_the_enterprise(org):
    asks(str(FlagForm(enterprises=Enterprise.objects.all())), "请选择企业")
