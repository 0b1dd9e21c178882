"""D16 journey: Monday morning the leader opens the cockpit on the phone, taps the red bar of
青春化工园 and lands on the ledger filtered to that park and red; on the wall screen of the
dispatch meeting the figures change after a report is filed, without the page reloading."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot

pytestmark = pytest.mark.browser

PARK = "青春化工园"
PROJECT = "犇星二期年产3万吨新能源电解液"  # red: behind 序时进度 (demo)


def tap_bar(page, chart: str, series: int, category: str):
    """Tap the middle of a bar of a horizontal bar chart (the charts are SVG drawn by ECharts:
    the bar's place comes from the chart itself)."""
    box = page.locator(f'[data-cockpit-chart="{chart}"]')
    box.scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([chart, series, category]) => {
            const c = window.tuijinCockpit.charts[chart];
            const option = c.getOption();
            const index = option.yAxis[0].data.indexOf(category);
            const value = option.series[series].data[index].value;
            return c.convertToPixel({ seriesIndex: series }, [value / 2, index]);
        }""",
        [chart, series, category],
    )
    bounds = box.bounding_box()
    page.touchscreen.tap(bounds["x"] + x, bounds["y"] + y)


def test_the_leader_taps_a_red_bar_and_lands_on_the_filtered_ledger(demo, live_server, session):
    OUTPUT.mkdir(exist_ok=True)
    phone = session("leader", phone=True)
    phone.goto(f"{live_server.url}/cockpit/")
    expect(phone.locator('[data-cockpit-chart="parks"] svg')).to_have_count(1)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{width}px wide"
    shoot(phone, path=str(OUTPUT / "cockpit-390.png"), full_page=True)
    park = phone.evaluate(
        "(name) => window.tuijinCockpit.data().parks.find((p) => p.name === name)", PARK
    )
    assert park["red"] > 0
    tap_bar(phone, "parks", 0, PARK)  # series 0: red
    phone.wait_for_url(f"**/projects/?park={park['park']}&light=red")
    expect(phone.locator("#result-count")).to_contain_text(str(park["red"]))
    rows = phone.locator("#ledger-table tbody tr")
    expect(rows).to_have_count(park["red"])
    for i in range(rows.count()):
        expect(rows.nth(i)).to_have_attribute("data-light", "red")


def test_the_big_screen_refreshes_after_a_report_without_reloading(
    demo, live_server, session, browser, settings
):
    settings.COCKPIT_SCREEN_REFRESH_SECONDS = 1
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1920, "height": 1080}
    )
    try:
        screen = context.new_page()
        screen.goto(f"{live_server.url}/accounts/login/")
        screen.fill("#id_username", "leader")
        screen.fill("#id_password", "tuijin2026")
        screen.click("#login-submit")
        screen.wait_for_url(f"{live_server.url}/")  # logged in: a goto now would cancel the login
        screen.goto(f"{live_server.url}/cockpit/screen/")
        expect(screen.locator('[data-cockpit-chart="parks"] svg')).to_have_count(1)
        expect(screen.locator("[data-park-name]")).not_to_be_empty()
        shoot(screen, path=str(OUTPUT / "cockpit-screen-1920.png"))
        red = int(screen.locator("#screen-red").inner_text())
        screen.evaluate("window.notReloaded = true")

        # Someone files the report that brings the red project back on schedule.
        clerk = session("leader")
        clerk.goto(f"{live_server.url}/projects/?light=red")
        clerk.get_by_role("link", name=PROJECT).click()
        clerk.click("#add-report")
        clerk.fill("#id_narrative", "电解液二期主体设备安装完成,开始单机调试")
        clerk.fill("#id_progress", "75")
        clerk.fill("#id_investment", "9000")
        clerk.click("#submit-report")
        expect(clerk.locator("[role=alert].alert-success")).to_contain_text("进度已填报")

        expect(screen.locator("#screen-red")).to_have_text(str(red - 1), timeout=20_000)
        assert screen.evaluate("window.notReloaded === true")  # the same page, updated
        assert screen.evaluate("window.tuijinCockpit.refreshes") >= 1
    finally:
        context.close()
