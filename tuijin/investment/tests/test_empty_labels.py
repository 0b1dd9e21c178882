"""The lead, stage and planned-project forms ask in words ("请选择招商单位"), not with
Django's bare "---------"."""

import re

from django.urls import reverse

from tuijin.investment.forms import PlannedForm, StageForm
from tuijin.investment.models import LeadStage
from tuijin.investment.tests.factories import make_lead, user

DASHES = "---------"


def test_the_lead_form_asks_for_investor_park_unit_and_leader(org, leader):
    response = leader.get(reverse("investment:lead_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert DASHES not in html
    for label in ("请选择投资方企业", "请选择拟落地园区", "请选择招商单位", "请选择包保领导"):
        assert re.search(f'<option value=""( selected)?>{label}</option>', html)


def test_the_stage_form_asks_for_the_ledger_project(org):
    lead = make_lead()
    html = str(StageForm(user=user("admin"), lead=lead, moves=[LeadStage.STARTED]))
    assert DASHES not in html
    assert re.search('<option value=""( selected)?>请选择台账项目</option>', html)


def test_the_planned_form_asks_for_park_unit_and_contact_leader(org):
    html = str(PlannedForm(user=user("leader")))
    assert DASHES not in html
    for label in ("请选择所在园区", "请选择责任单位", "请选择联系领导"):
        assert re.search(f'<option value=""( selected)?>{label}</option>', html)
