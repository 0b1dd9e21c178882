"""The assessment's forms ask in words ("请选择单位"), not with Django's bare "---------"."""

import re

from django.contrib.auth import get_user_model

from tuijin.assessment.forms import AdjustmentForm, InstructionForm, VetoForm
from tuijin.org.models import Unit, UnitKind


def asks(html: str, *labels: str) -> None:
    assert "---------" not in html
    for label in labels:
        assert re.search(f'<option value=""( selected)?>{label}</option>', html), label


def test_adjustment_and_veto_forms_ask_for_the_unit(org):
    units = Unit.objects.all()
    asks(str(AdjustmentForm(units=units)), "请选择单位")
    asks(str(VetoForm(units=units)), "请选择单位")


def test_the_instruction_form_asks_for_unit_leader_and_item(org):
    user = get_user_model().objects.get(username="duban")
    zone = Unit.objects.filter(kind=UnitKind.ZONE).first()
    form = InstructionForm(user=user, units=Unit.objects.all(), zone=zone)
    asks(str(form), "请选择单位", "请选择批示领导", "请选择督办事项")
