"""S3 journey, the whole lifecycle of an on-site directive, each person in their own browser:
the leader sets it on site (phone) → the unit accepts and reports done → the supervisor finds
it untrue on site → returned → the unit reports again → verified true → closed on time."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, open_form

pytestmark = pytest.mark.browser


def photo(tmp_path, name, colour):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_directive_lifecycle(demo, live_server, session, tmp_path):
    leader = session("leader", phone=True)
    leader.goto(f"{live_server.url}/projects/?q=rcgy")
    leader.get_by_role("link", name="人才公寓").click()
    leader.click("#tab-supervision-button")
    leader.click("#directive")
    leader.fill("#id_problem_text", "仍有两处违章建筑物在使用,现场没有推进迹象")
    leader.select_option("#id_category", label="征迁与违建")
    leader.fill("#id_requirement", "三天内拆除违章建筑、完成场地清表")
    leader.fill("#id_result_standard", "两处违章建筑拆除、场地清表")
    leader.select_option("#id_deadline_mode", "calendar")
    leader.fill("#id_deadline_days", "3")
    leader.screenshot(path=str(OUTPUT / "directive-phone.png"), full_page=True)
    leader.click("#submit-directive")
    expect(leader.locator("[role=alert].alert-success")).to_contain_text(
        "已现场交办自然资源和规划分局"
    )
    expect(leader.locator("#item-state")).to_have_text("交办")
    item_url = leader.url

    unit = session("ziran")
    unit.goto(item_url)
    expect(unit.locator("#result-standard")).to_have_text("两处违章建筑拆除、场地清表")
    unit.click("#submit-accept")
    expect(unit.locator("#item-state")).to_have_text("签收")
    open_form(unit, "report")
    unit.fill("#id_report-text", "两处违建已拆除完毕")
    unit.set_input_files("#id_report-photos", photo(tmp_path, "拆除.jpg", (90, 90, 90)))
    unit.click("#submit-report")
    expect(unit.locator("#item-state")).to_have_text("反馈")

    supervisor = session("duban", phone=True)
    supervisor.goto(item_url)
    open_form(supervisor, "verify")
    supervisor.check("#form-verify input[value=untrue]")
    supervisor.fill("#id_verify-text", "一处已拆除,一处仍在使用")
    supervisor.set_input_files("#id_verify-photos", photo(tmp_path, "现场.jpg", (20, 120, 20)))
    supervisor.screenshot(path=str(OUTPUT / "verify-phone.png"), full_page=True)
    supervisor.click("#submit-verify")
    expect(supervisor.locator("#item-state")).to_have_text("办理中")
    expect(supervisor.locator("#feedbacks")).to_contain_text("经核查不属实")

    unit.reload()
    expect(unit.locator("#item-state")).to_have_text("办理中")
    open_form(unit, "report")
    unit.fill("#id_report-text", "第二处违建已拆除,场地已清表")
    unit.click("#submit-report")
    expect(unit.locator("#item-state")).to_have_text("反馈")

    supervisor.reload()
    open_form(supervisor, "verify")
    supervisor.check("#form-verify input[value=true]")
    supervisor.fill("#id_verify-text", "两处均已拆除,场地已清表")
    supervisor.click("#submit-verify")
    expect(supervisor.locator("#item-state")).to_have_text("办结")
    expect(supervisor.locator("#item-light")).to_contain_text("按期办结")
    supervisor.screenshot(path=str(OUTPUT / "item-closed-phone.png"), full_page=True)

    leader.reload()
    expect(leader.locator("#activities")).to_contain_text("退回")
    leader.goto(f"{live_server.url}/projects/?q=rcgy")
    leader.get_by_role("link", name="人才公寓").click()
    leader.click("#tab-supervision-button")
    expect(leader.locator("#project-items")).to_contain_text("按期办结")
