"""E14 investment pipeline at 390 × 844: the 招商局 clerk (陈晨) finds the 300-亩 lithium
project in 府南产业园 needing 20,000 吨标准煤 (in talks in the demo) on her phone, signs it with
the contract as evidence, and sees it signed, its after-signing clocks running, and the funnel
counting it in this year's signings. (The factor sheet's part of the story is
tests/browser/test_journey_factors.py.)"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.investment.models import Lead, LeadStage

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_the_bureau_signs_the_lithium_lead_on_a_phone(demo, live_server, session):
    lead = Lead.objects.get(park__name="府南产业园", land_mu=300)
    assert lead.stage == LeadStage.TALKS and lead.energy_tce == 20000
    today = timezone.localdate()

    page = session("zhaoshang", phone=True)
    page.goto(f"{live_server.url}/investment/")
    page.select_option("#id_park", label="府南产业园")
    page.locator("#lead-filter button[type=submit]").click()
    # The filtered list, not the unfiltered one the click is replacing (it lists the lead too).
    page.wait_for_url(f"**park={lead.park_id}**")
    row = page.locator(".lead-row", has_text=lead.name)
    expect(row).to_be_visible()
    row.locator("a").first.click()
    expect(page.locator("#lead-name")).to_have_text(lead.name)
    expect(page.locator("#lead-needs")).to_contain_text("300 亩")
    expect(page.locator("#lead-needs")).to_contain_text("20,000 吨标准煤/年")

    # Signing without the contract is refused, naming the field; nothing changes.
    form = page.locator("#stage-form")
    form.locator("#id_to_stage").select_option("signed")
    form.locator("#id_on").fill(today.isoformat())
    form.locator("#id_signing_kind").select_option("contract")
    form.locator("#move-stage").click()
    # The refused form's error line: the field's label alone is on the form before it is sent.
    expect(page.locator("#stage-form .text-danger.small").first).to_be_visible()
    expect(page.locator("#stage-form")).to_contain_text("佐证材料")
    assert Lead.objects.get(pk=lead.pk).stage == LeadStage.TALKS

    form = page.locator("#stage-form")
    form.locator("#id_to_stage").select_option("signed")
    form.locator("#id_on").fill(today.isoformat())
    form.locator("#id_signing_kind").select_option("contract")
    form.locator("#id_evidence").set_input_files(
        {"name": "投资合同.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("#move-stage").click()
    expect(page.locator(".alert-success")).to_contain_text("阶段已变更")
    expect(page.locator("#lead-stage")).to_have_text("签约")
    expect(page.locator("#changes")).to_contain_text("投资合同.pdf")
    expect(page.locator("#clocks")).to_contain_text("公司注册")
    expect(page.locator("#clocks")).to_contain_text("按期开工")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the lead page scrolls sideways at 390 px ({width} px)"
    shoot(page, path=str(OUTPUT / "investment-signed-390.png"), full_page=True)

    signed = Lead.objects.get(pk=lead.pk)
    assert signed.stage == LeadStage.SIGNED and signed.signed_on == today
    assert signed.changes.get(to_stage=LeadStage.SIGNED).original_name == "投资合同.pdf"

    page.goto(f"{live_server.url}/investment/funnel/?year={today.year}&by=park")
    row = page.locator("#cohort-table tbody tr", has_text="府南产业园")
    expect(row).to_be_visible()
    assert int(row.locator("td").nth(2).inner_text()) >= 1
