"""Monday morning, each on their own device: every role's first screen answers "what needs me
today", on the desktop and on a 390 px phone, and its menu holds only what the role can use."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot

pytestmark = pytest.mark.browser

# username: (the kind of home, what its first screen must show, menu entries it must not have)
HOMES = {
    "leader": ("leader", ["红灯项目", "督办超期", "本周到期", "待领导协调问题", "本周会议"], []),
    "duban": ("supervisor", ["待核查", "延期待审批", "超期待催办", "已安排现场核查"], []),
    "jingfa_staff": ("unit", ["未报进度", "督办待签收", "督办待反馈", "本单位周末日志"], []),
    "zhaoshang": ("cadre", ["我的周末日志", "写日志", "未走访的重点企业"], []),
    "qiye": (
        "liaison",
        ["我的项目", "我的诉求", "反映问题"],
        ["督办", "会议", "工作日志", "文本录入", "组织机构"],
    ),
}


def menu_labels(page) -> list[str]:
    return [
        " ".join(text.split())
        # The menu's entries, those folded into a group's dropdown too (hidden until opened).
        for text in page.locator(
            "#mainnav .navbar-nav .nav-link, #mainnav .navbar-nav .dropdown-item"
        ).all_text_contents()
    ]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_every_role_sees_its_own_first_screen(demo, live_server, session, phone):
    OUTPUT.mkdir(exist_ok=True)
    for username, (kind, shown, not_in_menu) in HOMES.items():
        page = session(username, phone=phone)
        home = page.locator("#home")
        expect(home).to_have_attribute("data-home", kind)
        main = page.locator("main")
        for text in shown:
            expect(main).to_contain_text(text)
        if phone:
            page.click(".navbar-toggler")
            expect(page.locator("#mainnav")).to_be_visible()
        labels = menu_labels(page)
        assert "首页" in labels
        for label in not_in_menu:
            assert label not in labels, f"{username} sees {label}"
        # Nothing is wider than the screen on the phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{username}: {width}px wide"
        size = "390" if phone else "1366"
        shoot(page, path=str(OUTPUT / f"home-{username}-{size}.png"), full_page=True)
        page.context.close()


def test_the_leader_taps_a_number_and_sees_that_many_rows(demo, live_server, session):
    page = session("leader", phone=True)
    overdue = page.locator("#overdue-count").inner_text()
    page.click("[data-stat=overdue]")
    expect(page.locator("#result-count")).to_contain_text(f"共 {overdue} 项")
    assert page.locator("#item-table tbody tr[data-item]").count() == int(overdue)
    page.go_back()
    escalated = page.locator("#escalated-count").inner_text()
    page.click("[data-stat=escalated]")
    expect(page.locator("#result-count")).to_contain_text(f"共 {escalated} 个")


def test_the_cadre_writes_the_weekend_log_from_home(demo, live_server, session):
    page = session("zhaoshang", phone=True)
    page.click("#write-log")
    expect(page).to_have_url(f"{live_server.url}/worklogs/new/")
