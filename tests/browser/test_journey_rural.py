"""R15 rural linkage at 390 × 844: the village clerk of 挑水村 (杨春梅) records a chili delivery
under the purchase agreement with 品源现代农业 on her phone, then the enterprise's payment for it,
made after its due date; the town (淅河镇) is alerted in its bell, and so is the enterprise's
包保 leader."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.notify.models import Notification
from tuijin.rural.models import Agreement

pytestmark = pytest.mark.browser


def test_the_clerk_records_a_delivery_and_a_late_payment_and_the_town_is_told(
    demo, live_server, session
):
    agreement = Agreement.objects.get(title="挑水村红辣椒订单收购协议")
    before = Notification.objects.filter(recipient__username="xihe").count()
    today = timezone.localdate()
    delivered = today - dt.timedelta(days=20)  # due 15 days later: 5 days ago

    clerk = session("tiaoshui", phone=True)
    clerk.goto(f"{live_server.url}/rural/")
    clerk.locator(".agreement-row a", has_text="挑水村红辣椒").click()
    expect(clerk.locator("#gain-per-mu")).to_contain_text("3,000")
    clerk.locator("#add-delivery").click()
    clerk.fill("#id_delivered_on", delivered.isoformat())
    clerk.fill("#id_quantity", "5000")
    clerk.select_option("#id_grade", "1")
    clerk.locator("#save").click()
    expect(clerk.locator(".delivery-row").first).to_contain_text("5,000")

    # The payment for it: paid today, five days after its due date.
    row = clerk.locator(".payment-row").filter(has=clerk.locator(".pay-form")).last
    expect(row).to_contain_text("10,000")
    row.locator("input[name=paid_on]").fill(today.isoformat())
    row.locator("button[type=submit]").click()
    paid = clerk.locator(".payment-row", has_text="逾期5天支付")
    expect(paid).to_be_visible()
    expect(paid).to_contain_text("已于")  # the town and the 包保 leader were told
    shoot(clerk, path=str(OUTPUT / "rural-payment-phone.png"), full_page=True)

    payment = agreement.payments.get(delivery__quantity=5000)
    assert payment.paid_on == today and payment.days_late(today) == 5
    told = Notification.objects.filter(recipient__username="xihe", event="rural_payment_late")
    assert Notification.objects.filter(recipient__username="xihe").count() > before
    assert told.filter(title__contains="10,000").exists()
    assert Notification.objects.filter(
        recipient__username="zhaoshang", event="rural_payment_late", title__contains="10,000"
    ).exists()

    town = session("xihe", phone=True)
    town.goto(f"{live_server.url}/notify/")
    expect(town.locator("body")).to_contain_text(
        "逾期付款:品源现代农业(随州)有限公司应付挑水村10,000"
    )
