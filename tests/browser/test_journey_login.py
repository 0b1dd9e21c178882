"""F1 journey: the zone leader logs in, sees the zone home with its four parks,
switches the language, and logs out."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, log_in, shoot

pytestmark = pytest.mark.browser


def test_leader_logs_in_sees_parks_switches_language_and_logs_out(org, live_server, page):
    log_in(page, live_server, "leader")

    expect(page.locator("h1")).to_contain_text("随州高新区")
    parks = page.locator("#parks .card")
    expect(parks).to_have_count(4)
    for name in ["青春化工园", "城东产业园", "铁北产业园", "府南产业园"]:
        expect(page.locator("#parks")).to_contain_text(name)
    expect(page.locator("nav")).to_contain_text("组织机构")
    OUTPUT.mkdir(exist_ok=True)
    shoot(page, path=str(OUTPUT / "home-desktop.png"), full_page=True)

    page.select_option("#language-form select", "en")
    expect(page.locator("nav")).to_contain_text("Organisation")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#language-form select", "zh-hans")
    expect(page.locator("nav")).to_contain_text("组织机构")

    page.click("#user-menu")
    page.click("#logout")
    expect(page.locator("#login-submit")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.locator("#login-required")).to_be_visible()


def test_leader_home_on_a_phone_collapses_the_menu(org, live_server, phone):
    log_in(phone, live_server, "leader")
    expect(phone.locator("#parks .card")).to_have_count(4)
    expect(phone.locator(".navbar-toggler")).to_be_visible()
    shoot(phone, path=str(OUTPUT / "home-phone.png"), full_page=True)
    phone.click(".navbar-toggler")
    expect(phone.locator("#mainnav")).to_contain_text("组织机构")


def test_wrong_password_shows_a_chinese_message(org, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", "wrong-password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_contain_text("用户名或密码不正确")
    expect(page.locator("#id_username")).to_have_value("leader")
