"""I7 journey: the zone leader pastes the source report, sees the repairs marked, ticks three
proposed projects, confirms, and finds them in the ledger; the same page on a phone.

The demo ledger already holds all 21 projects of the report (it was built from it). So that the
report has something new to propose, three of them are removed from the ledger first, as if the
report had arrived before anyone entered them; the other 18 must show up as already there.
"""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.db.models import ProtectedError
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.projects.models import Project

pytestmark = pytest.mark.browser

# The stored copy of the source report, kept in the repository with the evaluation texts.
SEED = Path(__file__).resolve().parents[2] / "eval" / "intake" / "texts" / "00-suizhou-2022.txt"
NEW = ["文帝学校", "城东水厂", "南外环"]


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def paste_report(page, live_server):
    page.goto(f"{live_server.url}/intake/")
    page.fill("#id_text", SEED.read_text(encoding="utf-8"))
    page.fill("#id_reference_date", "2022-11-16")
    page.click("#intake-submit")
    expect(page.locator("#confirm-form")).to_be_visible()


def forget_projects(names: list[str]) -> None:
    """Remove the demo's projects of these names, and what protects them (a park review's
    stops), so that the report proposes them as new."""
    for project in Project.objects.filter(name__in=names):
        try:
            project.delete()
        except ProtectedError as error:
            for protecting in error.protected_objects:
                protecting.delete()
            project.delete()


def test_leader_imports_three_projects_from_the_report(demo, live_server, session):
    forget_projects(NEW)
    page = session("leader")
    page.goto(f"{live_server.url}/intake/")
    shoot(page, path=str(OUTPUT / "intake-start-desktop.png"), full_page=True)
    paste_report(page, live_server)

    # The repairs are marked, with what stood there before.
    text = page.locator("#repaired-text")
    expect(text).to_contain_text("随州高新区党工委书记")
    expect(text).not_to_contain_text("(qū)")
    expect(text.locator("mark.tj-mark-traditional").first).to_have_attribute(
        "title", "原为“萬達廣場”· 繁转简"
    )
    expect(text.locator("mark.tj-mark-pinyin").first).to_have_attribute(
        "title", "删除了“(qū)”· 删除拼音注音"
    )
    mojibake = text.locator("mark.tj-mark-mojibake").first
    expect(mojibake).to_have_text("。”郭晓东")
    expect(mojibake).to_have_attribute("title", "原为“?!惫鶗詵|”· 乱码还原")
    expect(page.locator("#repair-legend")).to_contain_text("繁转简")
    expect(page.locator("#repair-legend [data-kind=mojibake]")).to_be_visible()

    # 21 projects in four parks: the three removed ones are new, the others already there.
    parks = page.locator("#proposed-parks")
    expect(parks.locator("li a")).to_have_count(4)  # other places named are not parks
    for park in ["青春化工园", "城东产业园", "铁北产业园", "府南产业园"]:
        expect(parks.get_by_role("link", name=park, exact=True)).to_be_visible()
    rows = page.locator("[data-project-row]")
    expect(rows).to_have_count(21)
    expect(page.locator("[data-project-row][data-action=create]")).to_have_count(3)
    apartments = page.locator('[data-project-row][data-name="人才公寓"]')
    expect(apartments).to_contain_text("匹配:人才公寓(100%)")
    expect(apartments).to_contain_text("已在台账中")
    expect(page.locator("#proposed-people")).to_contain_text("郭晓东")
    # The on-site problem defaults to the project named just before it, and a category.
    violation = page.locator('[data-problem-row][data-text="两处违章建筑物在使用"]')
    expect(violation.locator("select").first.locator("option:checked")).to_have_text(
        "人才公寓(已有)"
    )
    expect(violation.locator("select").nth(1).locator("option:checked")).to_have_text("征迁与违建")
    # Nothing is ticked until the leader ticks it.
    expect(page.locator("#confirm-form input[type=checkbox]:checked")).to_have_count(0)

    for name in NEW:
        row = page.locator(f'[data-project-row][data-name="{name}"]')
        expect(row).to_have_attribute("data-action", "create")
        expect(row).to_contain_text("新建")
        row.locator("input[type=checkbox]").check()
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, path=str(OUTPUT / "intake-preview-desktop.png"), full_page=True)
    page.emulate_media(media="print")
    shoot(page, path=str(OUTPUT / "intake-preview-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.click("#confirm-intake")

    expect(page.locator("[role=alert].alert-success")).to_contain_text("新建项目3个")
    results = page.locator("#intake-results")
    for name in NEW:
        expect(results).to_contain_text(name)
    shoot(page, path=str(OUTPUT / "intake-result-desktop.png"), full_page=True)

    for name in NEW:
        page.goto(f"{live_server.url}/projects/?q={quote(name)}")
        link = page.locator("#ledger-table tbody").get_by_role("link", name=name, exact=True)
        expect(link).to_have_count(1)
    assert Project.objects.filter(name__in=NEW).count() == 3

    # The same report again: now all 21 are in the ledger and nothing is proposed as new.
    paste_report(page, live_server)
    expect(page.locator("[data-project-row][data-action=create]")).to_have_count(0)


def test_intake_on_a_phone(demo, live_server, session):
    phone = session("leader", phone=True)
    phone.goto(f"{live_server.url}/intake/")
    assert no_horizontal_overflow(phone)
    shoot(phone, path=str(OUTPUT / "intake-start-phone.png"), full_page=True)
    paste_report(phone, live_server)
    expect(phone.locator("#repaired-text mark").first).to_be_visible()
    assert no_horizontal_overflow(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    shoot(phone, path=str(OUTPUT / "intake-preview-phone.png"), full_page=True)
    # Confirming with nothing ticked explains what to do and keeps the preview.
    phone.click("#confirm-intake")
    expect(phone.locator("#intake-errors")).to_contain_text("请至少勾选一条要导入的记录")
    expect(phone.locator("[data-project-row]")).to_have_count(21)
