"""S3 journey, the whole lifecycle of an on-site directive, each person in their own browser:
the leader sets it on site (phone) → the unit accepts and reports done → the supervisor finds
it untrue on site → returned → the unit reports again → verified true → closed on time."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, open_form, shoot
from tuijin.supervision.models import ExtensionRequest, SupervisionItem

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
    shoot(leader, path=str(OUTPUT / "directive-phone.png"), full_page=True)
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
    shoot(supervisor, path=str(OUTPUT / "verify-phone.png"), full_page=True)
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
    shoot(supervisor, path=str(OUTPUT / "item-closed-phone.png"), full_page=True)

    leader.reload()
    expect(leader.locator("#activities")).to_contain_text("退回")
    leader.goto(f"{live_server.url}/projects/?q=rcgy")
    leader.get_by_role("link", name="人才公寓").click()
    leader.click("#tab-supervision-button")
    expect(leader.locator("#project-items")).to_contain_text("按期办结")


@pytest.mark.parametrize("on_phone", [False, True], ids=["desktop", "phone"])
def test_supervisor_urges_from_the_board_and_approves_an_extension_with_a_changed_date(
    demo, live_server, session, on_phone
):
    """Wednesday (L11): the 督查室 urges the overdue items from the board in one go, then
    decides an extension a zone leader's item waits for, approving an earlier date than asked,
    with the reason; the original deadline stays visible. Then schedules an on-site check,
    which shows on the meetings calendar."""
    width = "phone" if on_phone else "desktop"
    supervisor = session("duban", phone=on_phone)
    supervisor.goto(f"{live_server.url}/supervision/?view=overdue")
    boxes = supervisor.locator("#item-table input[name=items]")
    expect(boxes.first).to_be_visible()
    ticked = [int(boxes.nth(i).get_attribute("value")) for i in range(2)]
    before = dict(SupervisionItem.objects.filter(pk__in=ticked).values_list("pk", "urge_count"))
    for i in range(2):
        boxes.nth(i).check()
    supervisor.fill("#urge-note", "请今天下班前报告进展")
    shoot(supervisor, path=str(OUTPUT / f"board-urge-{width}.png"), full_page=True)
    supervisor.click("#urge-selected")
    expect(supervisor.locator("[role=alert].alert-success")).to_contain_text("已催办2项")
    assert supervisor.url.endswith("/supervision/?view=overdue")
    after = dict(SupervisionItem.objects.filter(pk__in=ticked).values_list("pk", "urge_count"))
    assert after == {pk: n + 1 for pk, n in before.items()}

    pending = ExtensionRequest.objects.select_related("item__assigner").get(status="pending")
    item = pending.item
    assert item.assigner.user.username != "duban"  # the 督查室 decides it all the same
    approved = pending.requested_deadline - dt.timedelta(days=2)
    assert approved > item.deadline
    supervisor.goto(f"{live_server.url}{item.get_absolute_url()}")
    expect(supervisor.locator("#pending-extension")).to_be_visible()
    date_field = supervisor.locator("#id_decide_extension-new_deadline")
    expect(date_field).to_have_value(f"{pending.requested_deadline:%Y-%m-%d}")  # as asked
    date_field.fill(f"{approved:%Y-%m-%d}")
    supervisor.fill("#id_decide_extension-note", "箱变到货后四天内可投运,不必六天")
    shoot(supervisor, path=str(OUTPUT / f"extension-decide-{width}.png"), full_page=True)
    supervisor.click("#submit-decide_extension")
    expect(supervisor.locator("[role=alert].alert-success")).to_contain_text("已审批延期")
    cn = f"{approved.year}年{approved.month}月{approved.day}日"
    expect(supervisor.locator("#deadline")).to_contain_text(cn)
    original = item.original_deadline
    expect(supervisor.locator("#deadline del")).to_contain_text(
        f"{original.year}年{original.month}月{original.day}日"
    )
    expect(supervisor.locator("#extensions")).to_contain_text(f"批准延至{cn}")
    expect(supervisor.locator("#open-decide_extension")).to_have_count(0)  # decided: gone
    shoot(supervisor, path=str(OUTPUT / f"extension-approved-{width}.png"), full_page=True)
    item.refresh_from_db()
    assert item.deadline == approved

    reported = SupervisionItem.objects.filter(state="reported").first()
    supervisor.goto(f"{live_server.url}{reported.get_absolute_url()}")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    supervisor.fill("#id_start_verification-day", f"{tomorrow:%Y-%m-%d}")
    supervisor.fill("#id_start_verification-time", "14:30")
    shoot(supervisor, path=str(OUTPUT / f"verification-schedule-{width}.png"), full_page=True)
    supervisor.click("#submit-start_verification")
    expect(supervisor.locator("#verification-schedule")).to_contain_text("14:30")
    supervisor.goto(f"{live_server.url}/meetings/?month={tomorrow:%Y-%m}")
    check = supervisor.locator(f"[data-verification='{reported.pk}']")
    expect(check).to_contain_text("14:30")
    expect(check).to_contain_text("现场核查")
    shoot(supervisor, path=str(OUTPUT / f"calendar-verification-{width}.png"), full_page=True)
