"""Pipeline pages: the list's query count does not grow with its rows, an edit from a stale
form is refused with the input kept (409), a liaison and an outsider are refused, a refused
stage move changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from tuijin.investment.models import Lead, LeadStage
from tuijin.investment.tests.factories import make_lead, user


def edit_data(lead, **changes):
    data = {
        "name": lead.name,
        "investor_name": lead.investor_name,
        "unit": lead.unit_id,
        "park": lead.park_id or "",
        "version": lead.version,
        "total_investment": "10000",
        "fixed_investment": "0",
        "contracted_funds": "0",
        "land_mu": "50",
        "energy_tce": "100",
        "electricity_10k_kwh": "0",
        "green_share": "0",
        "water_tons": "0",
        "output_value": "0",
        "tax": "0",
        "jobs": "0",
    }
    return data | changes


@pytest.mark.django_db
def test_list_query_count_does_not_grow(org, client, django_assert_max_num_queries):
    client.force_login(user("zhaoshang"))
    make_lead("列表项目一")
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("investment:lead_list")).status_code == 200
    for n in range(8):
        make_lead(f"列表批量项目{n}号厂房", received_on=dt.date(2026, 1, 1 + n))
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        assert client.get(reverse("investment:lead_list")).status_code == 200


@pytest.mark.django_db
def test_stale_edit_is_refused_with_the_input_kept(org, client):
    lead = make_lead("版本项目")
    client.force_login(user("zhaoshang"))
    url = reverse("investment:lead_edit", args=[lead.pk])
    first = client.post(url, edit_data(lead, name="版本项目(改一)"))
    assert first.status_code == 302
    second = client.post(url, edit_data(lead, name="版本项目(改二)"))
    assert second.status_code == 409
    assert "版本项目(改二)" in second.content.decode()
    assert Lead.objects.get(pk=lead.pk).name == "版本项目(改一)"


@pytest.mark.django_db
def test_negative_land_is_a_message_on_the_field(org, client):
    lead = make_lead("负数项目")
    client.force_login(user("zhaoshang"))
    response = client.post(
        reverse("investment:lead_edit", args=[lead.pk]), edit_data(lead, land_mu="-5")
    )
    assert response.status_code == 400
    assert "计划用地(亩)" in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).land_mu == 50


@pytest.mark.django_db
def test_refused_moves_change_nothing(org, client):
    lead = make_lead("拒绝项目", received_on=dt.date(2026, 10, 1))
    url = reverse("investment:lead_stage", args=[lead.pk])
    data = {"to_stage": "talks", "on": "2026-10-05", "version": lead.version}
    client.force_login(user("duban"))  # sees the pipeline, moves nothing
    assert client.post(url, data).status_code == 403
    client.force_login(user("jingfa"))  # another unit: does not see it
    assert client.post(url, data).status_code == 404
    client.force_login(user("qiye"))
    assert client.post(url, data).status_code == 404
    assert client.get(url).status_code in (404, 405)
    client.force_login(user("zhaoshang"))  # no evidence: the form says so
    response = client.post(url, data)
    assert response.status_code == 400 and "佐证材料" in response.content.decode()
    lead.refresh_from_db()
    assert lead.stage == LeadStage.LEAD and not lead.changes.exists()
