"""M5 journey, the Saturday on-site office meeting: the leader schedules it at 城东产业园, adopts
the proposed agenda (the park's red and yellow projects), records two decisions, and the lead
units find the two 督办 items on their boards."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.meetings import services
from tuijin.meetings.models import Decision, Meeting
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Light, Project

pytestmark = pytest.mark.browser
User = get_user_model()


def next_saturday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)


def record_decision(page, text, lead_unit, result_standard, co_units=()):
    page.fill("#id_decision-text", text)
    # The fields below are filled in from the text (htmx); confirm them once that is done.
    expect(page.locator("#decision-found")).to_contain_text("牵头单位")
    page.select_option("#id_decision-lead_unit", label=lead_unit)
    if co_units:
        page.select_option("#id_decision-co_units", label=list(co_units))
    page.fill("#id_decision-result_standard", result_standard)
    page.select_option("#id_decision-deadline_mode", "calendar")
    page.fill("#id_decision-deadline_days", "3")
    page.click("#add-decision")
    expect(page.locator("[role=alert].alert-success")).to_contain_text(f"交由{lead_unit}牵头办理")


def test_onsite_meeting_decisions_become_items_on_the_units_boards(demo, live_server, session):
    saturday = next_saturday()
    park_projects = Project.objects.filter(
        park__name="城东产业园", light__in=[Light.RED, Light.YELLOW]
    )
    expected = list(park_projects.values_list("name", flat=True))
    assert expected, "the demo has red or yellow projects at 城东产业园"

    # The leader schedules the meeting from the calendar.
    leader = session("leader")
    leader.goto(f"{live_server.url}/meetings/")
    leader.click("#new-meeting")
    leader.select_option("#id_kind", "onsite")
    title = f"{saturday.month}月{saturday.day}日现场办公会(城东产业园)"
    leader.fill("#id_title", title)
    leader.fill("#id_starts_at", f"{saturday:%Y-%m-%d}T09:00")
    leader.select_option("#id_park", label="城东产业园")
    expect(leader.locator("#id_chair option:checked")).to_contain_text("王立新")  # the leader
    leader.select_option("#id_invited_units", label=["自然资源和规划分局", "住建局", "城东产业园"])
    leader.click("#save-meeting")
    expect(leader.locator("#meeting-title")).to_have_text(title)
    expect(leader.locator("#meeting-place")).to_contain_text("城东产业园")
    meeting_url = leader.url

    # The proposed agenda lists the park's red and yellow projects, lights as colour + word.
    proposal = leader.locator("#agenda-proposal")
    for name in expected:
        expect(proposal).to_contain_text(name)
    expect(proposal.locator(".tj-light").first).to_have_text(
        "红" if park_projects.filter(light=Light.RED).exists() else "黄"
    )
    expect(leader.locator("#id_agenda-text")).to_have_value(re.compile("红黄灯项目"))
    shoot(leader, path=str(OUTPUT / "meeting-agenda-proposal.png"), full_page=True)
    leader.click("#accept-agenda")
    expect(leader.locator("[role=alert].alert-success")).to_contain_text("已保存议程")
    for name in expected:
        expect(leader.locator("#agenda-text")).to_contain_text(name)
    expect(leader.locator("#accept-agenda")).to_have_count(0)

    # Two decisions, each a 督办 item from this meeting.
    record_decision(
        leader,
        "自然资源和规划分局牵头,三天内完成人才公寓地块清表",
        "自然资源和规划分局",
        "人才公寓地块清表完成,具备进场条件",
        co_units=["城东产业园"],
    )
    record_decision(
        leader,
        "住建局牵头,三天内完成团结激光产业园配套道路临时接驳",
        "住建局",
        "配套道路临时接驳完成,施工车辆可通行",
    )
    decisions = leader.locator("#decision-list .decision")
    expect(decisions).to_have_count(2)
    expect(decisions.nth(0)).to_contain_text("自然资源和规划分局")
    expect(decisions.nth(1)).to_contain_text("住建局")
    expect(decisions.nth(0)).to_contain_text("交办")
    shoot(leader, path=str(OUTPUT / "meeting-desktop.png"), full_page=True)

    meeting = Meeting.objects.get(title=title)
    ziran_item, zhujian_item = (d.item for d in Decision.objects.filter(meeting=meeting))
    assert ziran_item.source == "meeting" and zhujian_item.lead_unit.name == "住建局"

    # The decision links to its item, and the item is the meeting's.
    leader.locator("#decision-list .decision-item").first.click()
    expect(leader.locator("#result-standard")).to_have_text("人才公寓地块清表完成,具备进场条件")

    # The meeting page on a phone (the note-taker walks with the group).
    phone = session("leader", phone=True)
    phone.goto(meeting_url)
    expect(phone.locator("#decision-form")).to_be_visible()
    shoot(phone, path=str(OUTPUT / "meeting-phone.png"), full_page=True)

    # The head of 自然资源和规划分局 finds the item on their board.
    ziran = session("ziran")
    ziran.goto(f"{live_server.url}/supervision/?view=mine")
    expect(ziran.locator("#board")).to_contain_text(ziran_item.title)

    # The supervisor finds the 住建局 item on the board filtered by unit.
    zhujian = Unit.objects.get(name="住建局")
    duban = session("duban")
    duban.goto(f"{live_server.url}/supervision/?unit={zhujian.pk}")
    expect(duban.locator("#board")).to_contain_text(zhujian_item.title)
    shoot(duban, path=str(OUTPUT / "meeting-items-board.png"), full_page=True)

    # The minutes are ready to download.
    leader.goto(meeting_url)
    with leader.expect_download() as download:
        leader.click("#download-minutes")
    assert download.value.suggested_filename == f"{title}纪要.docx"


def test_the_note_taker_records_a_decision_from_an_agenda_row(demo, live_server, session):
    """L11 part 3: at the 人才公寓 stop the 督查室 note-taker presses the row's 记录议定事项
    (the project comes chosen), types the decision as said, confirms what the page read from
    it, and the item is on the project page with the chair, not the note-taker, as 交办人."""
    saturday = next_saturday()
    chair = Person.objects.get(user__username="leader")
    meeting = services.schedule_meeting(
        User.objects.get(username="leader"),
        kind="onsite",
        title=f"{saturday.month}月{saturday.day}日现场办公会(城东产业园)",
        starts_at=services.at(saturday, 9),
        park=Unit.objects.get(name="城东产业园"),
        chair=chair,
    )
    project = Project.objects.get(name="人才公寓")
    assert project.light in (Light.RED, Light.YELLOW)
    # The units owning the park's red and yellow projects are invited.
    invited = set(meeting.invited_units.values_list("name", flat=True))
    assert project.unit.name in invited

    for phone in (False, True):
        duban = session("duban", phone=phone)
        duban.goto(f"{live_server.url}{meeting.get_absolute_url()}")
        proposal = duban.locator("#agenda-proposal")
        expect(proposal).to_contain_text("园区未办结督办事项")
        expect(duban.locator("#id_agenda-text")).to_be_hidden()  # the agenda shown once
        row = proposal.locator(".proposal-line", has_text="人才公寓:").first
        row.locator(".record-from-row").click()
        expect(duban.locator("#id_decision-project option:checked")).to_have_text(
            f"{project.code} 人才公寓"
        )
        text = "自然资源和规划分局牵头,三天内完成人才公寓地块清表"
        duban.locator("#id_decision-text").press_sequentially(text, delay=5)
        expect(duban.locator("#decision-found")).to_contain_text("牵头单位")
        expect(duban.locator("#id_decision-lead_unit option:checked")).to_have_text(
            "自然资源和规划分局"
        )
        expect(duban.locator("#id_decision-deadline_mode")).to_have_value("calendar")
        expect(duban.locator("#id_decision-deadline_days")).to_have_value("3")
        expect(duban.locator("#id_decision-requirement")).to_have_value("完成人才公寓地块清表")
        expect(duban.locator("#id_decision-result_standard")).to_have_value("人才公寓地块清表完成")
        shot = "meeting-decision-from-row" + ("-phone" if phone else "")
        shoot(duban, path=str(OUTPUT / f"{shot}.png"), full_page=True)
        duban.click("#add-decision")
        expect(duban.locator("[role=alert].alert-success")).to_contain_text(
            "交由自然资源和规划分局牵头办理"
        )

    items = [d.item for d in Decision.objects.filter(meeting=meeting).order_by("number")]
    assert len(items) == 2
    for item in items:
        assert item.project == project and item.assigner == chair
        assert item.lead_unit.name == "自然资源和规划分局" and item.deadline_days == 3

    # On the project page, the item with the chair as 交办人.
    leader = session("leader", phone=True)
    leader.goto(f"{live_server.url}{project.get_absolute_url()}")
    leader.click("#tab-supervision-button")
    listed = leader.locator("#project-items li", has_text=items[0].title).first
    expect(listed).to_be_visible()
    expect(listed).to_contain_text("交办人:王立新")
    shoot(leader, path=str(OUTPUT / "meeting-decision-on-project-phone.png"), full_page=True)
