"""Wednesday: the supervisor's board. Items by unit with lights, two overdue items urged,
an extension approved with a new date while the original deadline stays visible."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, log_in, open_form, shoot
from tuijin.supervision.models import ExtensionRequest, SupervisionItem

pytestmark = pytest.mark.browser


def test_supervisor_urges_overdue_items_and_approves_an_extension(demo, live_server, page):
    log_in(page, live_server, "duban")
    page.goto(f"{live_server.url}/supervision/units/")
    expect(page.locator("table")).to_contain_text("自然资源和规划分局")
    shoot(page, path=str(OUTPUT / "board-units.png"), full_page=True)

    page.goto(f"{live_server.url}/supervision/?view=overdue")
    rows = page.locator("#item-table tbody tr")
    expect(rows.first).to_contain_text("超期")
    shoot(page, path=str(OUTPUT / "board-overdue.png"), full_page=True)
    overdue = [rows.nth(i).locator("a").first.get_attribute("href") for i in range(2)]
    for href in overdue:
        page.goto(f"{live_server.url}{href}")
        before = SupervisionItem.objects.get(pk=int(href.rstrip("/").split("/")[-1])).urge_count
        open_form(page, "urge")
        page.fill("#id_urge-note", "请今天下班前报告进展")
        page.click("#submit-urge")
        expect(page.locator("[role=alert].alert-success")).to_contain_text("已催办")
        expect(page.locator("#activities")).to_contain_text("请今天下班前报告进展")
        pk = int(href.rstrip("/").split("/")[-1])
        assert SupervisionItem.objects.get(pk=pk).urge_count == before + 1

    pending = ExtensionRequest.objects.select_related("item__assigner__user").get(status="pending")
    item = pending.item
    assigner = item.assigner.user.username
    if assigner != "duban":
        page.context.clear_cookies()
        log_in(page, live_server, assigner)
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    open_form(page, "decide_extension")
    page.check("#form-decide_extension input[value='1']")
    page.fill("#id_decide_extension-note", "同意,不得再延")
    page.click("#submit-decide_extension")
    expect(page.locator("#deadline")).to_contain_text("原定期限")
    expect(page.locator("#deadline del")).to_contain_text(
        f"{item.original_deadline.year}年{item.original_deadline.month}月{item.original_deadline.day}日"
    )
    expect(page.locator("#extensions")).to_contain_text("已同意")
    shoot(page, path=str(OUTPUT / "item-extended.png"), full_page=True)


def test_a_filter_on_a_phone_swaps_the_table_only(demo, live_server, phone):
    # B12: the filter form asks for the table (htmx); the page stays, the address and the
    # export button follow, and back shows the unfiltered board again.
    log_in(phone, live_server, "duban")
    phone.goto(f"{live_server.url}/supervision/")
    everything = phone.locator("#result-count").inner_text()
    phone.evaluate("window.notReloaded = true")
    phone.click("#toggle-filters")
    phone.locator("#board-filters.collapse.show").wait_for()
    phone.select_option("#id_state", value="assigned")
    phone.click("#apply-filters")
    phone.wait_for_url("**state=assigned**")
    expect(phone.locator("#result-count")).not_to_have_text(everything)
    shown = phone.locator("#item-table tbody tr[data-item]")
    ids = [int(shown.nth(i).get_attribute("data-item")) for i in range(shown.count())]
    assert ids and set(
        SupervisionItem.objects.filter(pk__in=ids).values_list("state", flat=True)
    ) == {"assigned"}
    expect(phone.locator("#export")).to_have_attribute(
        "href", re.compile(r"^/supervision/export\.xlsx\?.*\bstate=assigned\b")
    )
    assert phone.evaluate("window.notReloaded") is True
    shoot(phone, path=str(OUTPUT / "board-filtered-phone.png"), full_page=True)

    # A 包保 leader too: the table alone checks the chosen one (it lists none, B12).
    leader = phone.locator("#id_leader option:not([value=''])").first.get_attribute("value")
    phone.select_option("#id_state", value="")
    phone.select_option("#id_leader", value=leader)
    phone.click("#apply-filters")
    phone.wait_for_url(f"**leader={leader}**")
    expect(phone.locator("#item-table tbody tr[data-item]").first).to_be_visible()
    ids = [int(row.get_attribute("data-item")) for row in shown.all()]
    led = SupervisionItem.objects.filter(pk__in=ids, project__leaders=leader)
    assert ids and led.count() == len(ids)
    assert phone.evaluate("window.notReloaded") is True
    phone.go_back()
    phone.go_back()
    expect(phone.locator("#result-count")).to_have_text(everything)
