"""P2 journey: a leader filters the ledger to 青春化工园 + red, reads why a project is red,
files a progress report with a photo from a phone, and sees the light change."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, log_in, shoot

pytestmark = pytest.mark.browser


def photo(tmp_path):
    path = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_leader_reads_why_red_and_a_report_changes_the_light(demo, live_server, phone, tmp_path):
    log_in(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/projects/")
    phone.click("#toggle-filters")  # filters fold away on a phone
    # Wait for the unfolding to end: a click while the panel still grows can miss the button
    # (seen under load in CI: the filters chosen, the form never sent).
    phone.locator("#ledger-filters.collapse.show").wait_for()
    phone.select_option("#id_park", label="青春化工园")
    phone.select_option("#id_light", label="红")
    phone.click("#apply-filters")
    phone.wait_for_url("**light=red**")  # the filtered page, not the one before it
    expect(phone.locator("#result-count")).to_contain_text("共")
    rows = phone.locator("#ledger-table tbody tr")
    for i in range(rows.count()):
        expect(rows.nth(i)).to_have_attribute("data-light", "red")
    shoot(phone, path=str(OUTPUT / "ledger-phone.png"), full_page=True)

    phone.get_by_role("link", name="犇星二期年产3万吨新能源电解液").click()
    reasons = phone.locator("#light-reasons")
    expect(reasons).to_contain_text("红")
    expect(reasons).to_contain_text("落后")
    expect(reasons).to_contain_text("序时进度")
    shoot(phone, path=str(OUTPUT / "project-red-phone.png"), full_page=True)

    phone.click("#add-report")
    phone.fill("#id_narrative", "电解液二期主体设备安装完成,开始单机调试")
    phone.fill("#id_progress", "75")
    phone.fill("#id_investment", "9000")
    phone.set_input_files("#id_photos", str(photo(tmp_path)))
    shoot(phone, path=str(OUTPUT / "report-form-phone.png"), full_page=True)
    phone.click("#submit-report")

    expect(phone.locator("[role=alert].alert-success")).to_contain_text("进度已填报")
    expect(phone.locator("#light-reasons")).not_to_contain_text("落后")
    expect(phone.locator("h1 + .tj-light")).not_to_have_class("tj-light tj-light-red")
    phone.click("#tab-reports-button")
    expect(phone.locator("#report-timeline")).to_contain_text("开始单机调试")
    # The new report's photo (the demo's latest reports carry photos of their own).
    new_report = phone.locator("#report-timeline li", has_text="开始单机调试")
    expect(new_report.locator("img")).to_have_count(1)
    shoot(phone, path=str(OUTPUT / "project-after-report-phone.png"), full_page=True)


def test_ledger_and_detail_on_desktop(demo, live_server, page):
    log_in(page, live_server, "leader")
    expect(page.locator("#parks .card")).to_have_count(4)
    shoot(page, path=str(OUTPUT / "home-with-projects.png"), full_page=True)
    page.goto(f"{live_server.url}/projects/")
    expect(page.locator("#result-count")).to_contain_text("共 21 个项目")
    shoot(page, path=str(OUTPUT / "ledger-desktop.png"), full_page=True)
    page.evaluate("window.notReloaded = true")
    page.fill("#id_q", "rcgy")
    page.click("#apply-filters")
    expect(page.locator("#ledger-table tbody tr")).to_have_count(1)
    # Only the table was swapped (htmx): the page stayed, the address and the export follow.
    assert page.evaluate("window.notReloaded") is True
    page.wait_for_url("**q=rcgy**")
    expect(page.locator("#export")).to_have_attribute("href", re.compile(r"q=rcgy"))
    expect(page.locator("#export")).to_have_count(1)
    page.get_by_role("link", name="人才公寓").click()
    expect(page.locator("#light-reasons")).to_contain_text("未开工")
    expect(page.locator("#investment-chart svg")).to_have_count(1)
    shoot(page, path=str(OUTPUT / "project-desktop.png"), full_page=True)


def test_clerk_report_form_proposes_the_missing_month_on_desktop(demo, live_server, page):
    clerk_files_the_missing_month(live_server, page, "page")


def test_clerk_report_form_proposes_the_missing_month_on_a_phone(demo, live_server, phone):
    clerk_files_the_missing_month(live_server, phone, "phone")


def clerk_files_the_missing_month(live_server, tab, device):
    """L11 part 6: 团结激光产业园 (经济发展局) has missed its last two monthly reports. The clerk's
    form proposes the earlier one; a lower 形象进度 asks for a reason; after filing it the
    later month is still 缺报 on the project page and the form proposes it next.

    (The browser fixtures are named in the tests' signatures, not fetched later: the session's
    browser must start before ``demo`` keeps its copy of the database.)"""
    from django.utils import timezone

    from tuijin.projects.lights import Thresholds
    from tuijin.projects.models import Project
    from tuijin.projects.periods import periods_due_before

    t = Thresholds.current()
    later, earlier = periods_due_before(timezone.localdate(), t.period_kind, t.due_days, 2)
    project = Project.objects.get(code="CD-003")
    log_in(tab, live_server, "jingfa_staff")
    tab.goto(f"{live_server.url}{project.get_absolute_url()}")
    tab.click("#tab-reports-button")
    for period in (earlier, later):
        expect(tab.locator(f"#missing-{period.start:%Y-%m-%d}")).to_contain_text("缺报")

    tab.click("#add-report")
    expect(tab.locator("#missing-periods")).to_contain_text(f"{earlier.label()}、{later.label()}")
    selected = tab.locator("#id_period option:checked")
    expect(selected).to_have_text(f"{earlier.label()}(缺报)")
    tab.fill("#id_narrative", "厂房装修完成,设备进场")
    tab.fill("#id_progress", "45")  # the last report said 50%
    tab.fill("#id_investment", "120")
    shoot(tab, path=str(OUTPUT / f"report-form-missing-{device}.png"), full_page=True)
    tab.click("#submit-report")
    expect(tab.locator("#report-form")).to_contain_text(
        "形象进度低于上期(50%),请填写进度回退原因。"
    )
    expect(tab.locator("#id_narrative")).to_have_value("厂房装修完成,设备进场")  # kept
    tab.fill("#id_progress_drop_reason", "二期产能调整,总进度按新口径核减")
    tab.click("#submit-report")

    expect(tab.locator("[role=alert].alert-success")).to_contain_text(
        f"{earlier.label()}进度已填报"
    )
    tab.click("#tab-reports-button")
    timeline = tab.locator("#report-timeline")
    expect(timeline).to_contain_text("总进度按新口径核减")
    expect(tab.locator(f"#missing-{earlier.start:%Y-%m-%d}")).to_have_count(0)
    expect(tab.locator(f"#missing-{later.start:%Y-%m-%d}")).to_contain_text("缺报")
    # The tab has faded in (a screenshot during the fade shows it pale).
    expect(tab.locator("#tab-reports")).to_have_css("opacity", "1")
    shoot(tab, path=str(OUTPUT / f"project-missing-month-{device}.png"), full_page=True)
    tab.click("#add-report")
    expect(tab.locator("#id_period option:checked")).to_have_text(f"{later.label()}(缺报)")
