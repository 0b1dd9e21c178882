"""压力传导: the supervisor urges an item; the unit head sees it on the bell (phone), opens it,
and the count goes down."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, log_in, shoot
from tuijin.notify.models import Rule
from tuijin.supervision.tests.factories import make_item

pytestmark = pytest.mark.browser


def test_an_urge_rings_the_unit_heads_bell(org, live_server, page, phone):
    Rule.ensure_defaults()
    today = timezone.localdate()
    item = make_item(
        lead="经济发展局",
        title="能耗指标申报材料报送",
        assigned_on=today,
        deadline=today - dt.timedelta(days=2),
        state="accepted",
    )
    log_in(page, live_server, "duban")
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.eval_on_selector("#form-urge", "form => { form.closest('details').open = true; }")
    page.fill("#id_urge-note", "请今天报送")
    page.click("#submit-urge")
    expect(page.locator("[role=alert].alert-success")).to_contain_text("已催办")

    log_in(phone, live_server, "jingfa")
    expect(phone.locator("#bell-count")).to_have_text("1")
    shoot(phone, path=str(OUTPUT / "bell-phone.png"))
    phone.click("#bell")
    expect(phone.locator("main")).to_contain_text("催办:能耗指标申报材料报送")
    shoot(phone, path=str(OUTPUT / "notifications-phone.png"), full_page=True)
    phone.get_by_role("link", name="催办:能耗指标申报材料报送").click()
    expect(phone.locator("#item-state")).to_have_text("签收")
    expect(phone.locator("#bell-count")).to_have_count(0)
