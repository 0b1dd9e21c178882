"""The lead pages end to end: entering a lead (duplicates, field errors), the list's filters
(a bad query parameter is dropped, not a 500), stage moves, follow-ups, funds, the start
notice, an overdue clock turned into a 督办 item, and the pipeline's .xlsx read back."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.investment import services
from tuijin.investment.models import ClockAlert, FollowUp, Lead, LeadStage, SigningKind
from tuijin.investment.tests.factories import PDF, make_lead, move, unit, user
from tuijin.investment.tests.test_views import edit_data


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def create_data(name, **changes):
    data = {
        "name": name,
        "investor_name": "页面投资有限公司",
        "unit": unit("招商局").pk,
        "park": unit("府南产业园").pk,
        "total_investment": "20000",
        "fixed_investment": "0",
        "contracted_funds": "0",
        "land_mu": "30",
        "energy_tce": "10",
        "electricity_10k_kwh": "0",
        "green_share": "0",
        "water_tons": "0",
        "output_value": "0",
        "tax": "0",
        "jobs": "0",
    }
    return data | changes


@pytest.mark.django_db
def test_entering_a_lead_warns_of_a_duplicate_until_confirmed(org, client):
    client.force_login(user("zhaoshang"))
    url = reverse("investment:lead_create")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["unit"] == unit("招商局")  # the user's own unit

    created = client.post(url, create_data("年产五万吨电池隔膜项目"))
    lead = Lead.objects.get(name="年产五万吨电池隔膜项目")
    assert created.status_code == 302 and created["Location"] == lead.get_absolute_url()

    again = client.post(url, create_data("年产五万吨电池隔膜项目"))
    assert again.status_code == 400
    assert "疑似重复线索" in again.content.decode()
    assert again.context["duplicates"] == [lead]
    assert Lead.objects.filter(name="年产五万吨电池隔膜项目").count() == 1

    forced = client.post(url, create_data("年产五万吨电池隔膜项目", force="on"))
    assert forced.status_code == 302
    assert Lead.objects.filter(name="年产五万吨电池隔膜项目").count() == 2


@pytest.mark.django_db
def test_entering_a_lead_refused_for_a_liaison_and_bad_numbers_name_the_field(org, client):
    client.force_login(user("qiye"))
    url = reverse("investment:lead_create")
    assert client.get(url).status_code == 403
    assert client.post(url, create_data("联络人的线索")).status_code == 403
    assert not Lead.objects.filter(name="联络人的线索").exists()

    client.force_login(user("zhaoshang"))
    response = client.post(url, create_data("负能耗项目", energy_tce="-1"))
    assert response.status_code == 400
    assert "energy_tce" in response.context["form"].errors
    assert "综合能耗" in response.content.decode()
    assert not Lead.objects.filter(name="负能耗项目").exists()


@pytest.mark.django_db
def test_the_list_filters_and_drops_bad_parameters(org, client):
    received = dt.date(2026, 11, 2)
    a = make_lead("筛选锂电项目", received_on=received, industry_chain="新能源")
    b = make_lead("筛选食品项目", unit_name="经济发展局", park="城东产业园", received_on=received)
    move(b, LeadStage.TALKS, dt.date(2026, 11, 3))
    client.force_login(user("zhaoshang"))
    url = reverse("investment:lead_list")

    def names(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {lead.name for lead in response.context["leads"]} & {a.name, b.name}

    assert names() == {a.name, b.name}
    assert names(q="锂电") == {a.name}
    assert names(stage=LeadStage.TALKS) == {b.name}
    assert names(park=unit("城东产业园").pk) == {b.name}
    assert names(unit=unit("经济发展局").pk) == {b.name}
    assert names(chain="新能源") == {a.name}
    # Never answered, received weeks ago: both are overdue on the respond clock.
    assert names(overdue="on") == {a.name, b.name}
    # A stage that does not exist, a unit id that is not a number: ignored, the whole list.
    assert names(stage="nonsense", unit="abc", page="zz") == {a.name, b.name}


@pytest.mark.django_db
def test_stage_move_through_the_page(org, client):
    lead = make_lead("页面签约项目", received_on=dt.date(2026, 11, 2))
    client.force_login(user("zhaoshang"))
    url = reverse("investment:lead_stage", args=[lead.pk])
    detail = client.get(lead.get_absolute_url())
    assert detail.status_code == 200
    assert detail.context["stage_form"] is not None  # the handler may move it
    assert detail.context["funds_form"] is None  # not signed yet

    def post(**data):
        files = {"evidence": SimpleUploadedFile("合同.pdf", PDF, "application/pdf")}
        return client.post(url, {"version": Lead.objects.get(pk=lead.pk).version} | data | files)

    # Signing without saying how: refused, the message on the field, nothing moved.
    refused = post(to_stage=LeadStage.SIGNED, on="2026-11-20")
    assert refused.status_code == 400
    assert "请选择签约形式" in refused.content.decode()
    assert Lead.objects.get(pk=lead.pk).stage == LeadStage.LEAD
    # A future day is refused by the form's date check.
    future = post(to_stage=LeadStage.SIGNED, on="2099-01-01", signing_kind=SigningKind.CONTRACT)
    assert future.status_code == 400
    assert Lead.objects.get(pk=lead.pk).stage == LeadStage.LEAD

    done = post(to_stage=LeadStage.SIGNED, on="2026-11-20", signing_kind=SigningKind.CONTRACT)
    assert done.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == LeadStage.SIGNED and lead.signed_on == dt.date(2026, 11, 20)
    assert "阶段已变更。" in flashed(done)

    # A stale version: a message, not an error page, and nothing changed.
    stale = client.post(
        url,
        {
            "version": lead.version - 1,
            "to_stage": LeadStage.REGISTERED,
            "on": "2026-11-21",
            "evidence": SimpleUploadedFile("执照.pdf", PDF, "application/pdf"),
        },
    )
    assert stale.status_code == 302
    assert Lead.objects.get(pk=lead.pk).stage == LeadStage.SIGNED

    timeline = client.get(lead.get_absolute_url()).context["timeline"]
    signed = next(step for step in timeline if step["stage"] == LeadStage.SIGNED)
    assert signed["on"] == dt.date(2026, 11, 20) and signed["done"] and signed["current"]


@pytest.mark.django_db
def test_follow_up_funds_and_notice_pages(org, client):
    lead = make_lead(
        "页面资金项目", received_on=dt.date(2026, 11, 2), contracted_funds=Decimal(1000)
    )
    move(lead, LeadStage.SIGNED, dt.date(2026, 11, 10), signing_kind=SigningKind.CONTRACT)
    lead.refresh_from_db()
    client.force_login(user("zhaoshang"))

    follow = reverse("investment:lead_follow_up", args=[lead.pk])
    early = client.post(follow, {"kind": "progress", "on": "2026-10-01", "text": "太早"})
    assert early.status_code == 400
    assert "日期不能早于线索登记日期。" in early.content.decode()
    missing = client.post(follow, {"kind": "progress", "on": "2026-11-12"})
    assert missing.status_code == 400 and "text" in missing.context["follow_form"].errors
    assert not FollowUp.objects.filter(lead=lead).exists()
    ok = client.post(follow, {"kind": "assessment", "on": "2026-11-12", "text": "实地考察"})
    assert ok.status_code == 302
    lead.refresh_from_db()
    assert lead.responded_on == lead.assessed_on == dt.date(2026, 11, 12)

    funds = reverse("investment:lead_funds", args=[lead.pk])
    before = client.post(funds, {"arrived": "300", "on": "2026-11-01", "version": lead.version})
    assert before.status_code == 400
    assert "到位日期不能早于签约日期。" in before.content.decode()
    negative = client.post(funds, {"arrived": "-3", "on": "2026-11-15", "version": lead.version})
    assert negative.status_code == 400 and "arrived" in negative.context["funds_form"].errors
    stale = client.post(funds, {"arrived": "300", "on": "2026-11-15", "version": 0})
    assert stale.status_code == 302
    assert Lead.objects.get(pk=lead.pk).funds_arrived == 0
    ok = client.post(funds, {"arrived": "300", "on": "2026-11-15", "version": lead.version})
    assert ok.status_code == 302
    lead.refresh_from_db()
    assert lead.funds_arrived == 300 and lead.funds_quarter_on == dt.date(2026, 11, 15)

    notice = reverse("investment:lead_notice", args=[lead.pk])
    blank = client.post(notice, {"version": lead.version})
    assert "请填写通知日期。" in flashed(blank)
    early = client.post(notice, {"on": "2026-11-01", "version": lead.version})
    assert "通知日期应在签约日期与今天之间。" in flashed(early)
    assert Lead.objects.get(pk=lead.pk).start_notice_on is None
    ok = client.post(notice, {"on": "2026-11-20", "version": lead.version})
    assert "已登记限期开工通知。" in flashed(ok)
    assert Lead.objects.get(pk=lead.pk).start_notice_on == dt.date(2026, 11, 20)

    client.force_login(user("duban"))  # sees the pipeline, writes nothing in it
    assert client.post(notice, {"on": "2026-11-21", "version": lead.version + 1}).status_code == 403
    assert Lead.objects.get(pk=lead.pk).start_notice_on == dt.date(2026, 11, 20)


@pytest.mark.django_db
def test_overdue_clock_to_item_through_the_page(org, client):
    lead = make_lead("页面超时项目", received_on=dt.date(2026, 11, 2))
    services.check_clocks(dt.date(2026, 12, 1))
    alert = ClockAlert.objects.get(lead=lead, clock="respond")
    url = reverse("investment:alert_item", args=[alert.pk])

    client.force_login(user("zhaoshang"))  # handles the lead, may not assign 督办 items
    assert client.post(url, {"deadline_days": 5}).status_code == 403
    client.force_login(user("duban"))
    bad = client.post(url, {"deadline_days": 99})
    assert bad["Location"] == lead.get_absolute_url()
    assert "办理期限应为1至60个工作日。" in flashed(bad)
    alert.refresh_from_db()
    assert alert.item is None
    ok = client.post(url, {"deadline_days": 3, "requirement": "三日内答复投资方"})
    alert.refresh_from_db()
    assert alert.item is not None and ok["Location"] == alert.item.get_absolute_url()
    twice = client.post(url, {"deadline_days": 3})
    assert twice["Location"] == lead.get_absolute_url() and flashed(twice)


@pytest.mark.django_db
def test_pipeline_xlsx_reads_back_without_contacts(org, client):
    lead = make_lead(
        "导出项目",
        received_on=dt.date(2026, 11, 2),
        contact_phone="13812345678",
        industry_chain="装备制造",
    )
    client.force_login(user("qiye"))
    assert client.get(reverse("investment:leads_xlsx")).status_code == 403
    client.force_login(user("leader"))
    response = client.get(reverse("investment:leads_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if row and row[0] == "项目名称")
    mine = next(row for row in rows if row and row[0] == lead.name)
    record = dict(zip(header, mine, strict=False))
    assert record["投资方"] == "测试投资有限公司"
    assert record["阶段"] == "线索"
    assert record["产业链"] == "装备制造"
    assert record["招商单位"] == "招商局" and record["拟落地园区"] == "府南产业园"
    assert record["总投资(万元)"] == 10000 and record["用地(亩)"] == 50
    assert "13812345678" not in str(rows)


@pytest.mark.django_db
def test_edit_page_refuses_a_signing_day_later_than_the_start(org, client):
    lead = make_lead("开工早于签约项目", received_on=dt.date(2026, 11, 2))
    move(lead, LeadStage.SIGNED, dt.date(2026, 11, 10), signing_kind=SigningKind.CONTRACT)
    lead.refresh_from_db()
    client.force_login(user("zhaoshang"))
    response = client.post(
        reverse("investment:lead_edit", args=[lead.pk]),
        edit_data(lead, expected_start="2026-11-01"),
    )
    assert response.status_code == 400
    assert "预计开工日期不能早于签约日期。" in response.content.decode()
    assert Lead.objects.get(pk=lead.pk).expected_start is None
    assert not AuditEvent.objects.filter(action="update_lead", object_id=str(lead.pk)).exists()


@pytest.mark.django_db
def test_fixed_investment_above_the_total_is_named_on_the_form(org, client):
    client.force_login(user("zhaoshang"))
    created = client.post(
        reverse("investment:lead_create"),
        create_data("固定资产过大项目", total_investment="100", fixed_investment="500"),
    )
    assert created.status_code == 400
    assert created.context["form"].errors["fixed_investment"] == [
        "固定资产投资(万元)不能大于总投资(万元)。"
    ]
    assert not Lead.objects.filter(name="固定资产过大项目").exists()

    lead = make_lead("固定资产编辑项目")
    edited = client.post(
        reverse("investment:lead_edit", args=[lead.pk]),
        edit_data(lead, total_investment="100", fixed_investment="500"),
    )
    assert edited.status_code == 400
    assert "固定资产投资(万元)不能大于总投资(万元)。" in edited.content.decode()
    lead.refresh_from_db()
    assert lead.total_investment == 10000 and lead.fixed_investment == 0
