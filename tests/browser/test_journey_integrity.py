"""R15 integrity: a project of 经济发展局 is two weeks from its start (its 开工 milestone), the
hourly scan puts a 项目开工前谈话 on the inspectors' list; the inspector (赵磊) records it on
the phone (390 × 844) with the risk points and the signed commitment; on the desktop the board
no longer lists it, the talk list shows it held, the unit head (张强) sees his own talk and
commitment, and the 督查室 sees nothing of it. Every read is in the talk's history."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.core.models import AuditEvent
from tuijin.integrity import triggers
from tuijin.integrity.models import Talk, TalkKind, TalkState
from tuijin.projects.models import Milestone
from tuijin.projects.models import Stage as ProjectStage
from tuijin.projects.tests.factories import make_project

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_the_inspector_records_a_pre_start_talk_the_milestone_asked_for(demo, live_server, session):
    today = timezone.localdate()
    project = make_project(
        name="年产5万吨电解液添加剂", stage=ProjectStage.PREPARING, unit="经济发展局"
    )
    Milestone.objects.create(project=project, name="开工", due_date=today + dt.timedelta(14))
    made = triggers.scan(today)  # what the hourly task does
    talk = Talk.objects.get(project=project)
    assert talk in made and talk.state == TalkState.DUE and talk.kind == TalkKind.PROJECT_START

    # 赵磊 on his phone: the talk is on his list, due in 14 days; he records it.
    phone = session("jijian", phone=True)
    phone.goto(f"{live_server.url}/integrity/")
    row = phone.locator(".due-talk", has_text="年产5万吨电解液添加剂")
    expect(row).to_contain_text("剩余14天")
    expect(row).to_contain_text("张强")
    row.click()
    expect(phone.locator("#talk-state")).to_have_text("待谈话")
    expect(phone.locator("#talk-trigger")).to_contain_text("项目开工前")
    phone.click("#record-talk")
    expect(phone.locator("#id_talkees option:checked")).to_contain_text("张强")
    phone.select_option(
        "#id_risk_points", label="经济发展局 · 招投标 · 设备采购招标量身定制资格条件"
    )
    phone.fill("#id_points", "开工前提醒:设备采购依法公开招标,工程款按合同节点拨付。")
    phone.set_input_files(
        "#id_commitment",
        files=[{"name": "廉政承诺书.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    phone.fill("#id_follow_up", "开工后一个月回访。")
    shoot(phone, path=str(OUTPUT / "integrity-record-phone.png"), full_page=True)
    phone.click("#save-talk")
    expect(phone.locator("#talk-state")).to_have_text("已谈话")
    expect(phone.locator("#commitment")).to_contain_text("廉政承诺书.pdf")
    expect(phone.locator("#talk-risks")).to_contain_text("设备采购招标量身定制资格条件")
    talk.refresh_from_db()
    assert talk.state == TalkState.DONE and talk.held_on == today

    # On the desktop: off the due list, held in the talk list.
    desk = session("jijian")
    desk.goto(f"{live_server.url}/integrity/")
    expect(desk.locator(".due-talk", has_text="年产5万吨电解液添加剂")).to_have_count(0)
    desk.goto(f"{live_server.url}/integrity/talks/?state=done")
    expect(desk.locator(".talk-row", has_text="张强").first).to_be_visible()
    shoot(desk, path=str(OUTPUT / "integrity-talks-desktop.png"), full_page=True)

    # 张强 sees his own talk and opens the commitment; the 督查室 sees nothing of it.
    head = session("jingfa")
    head.goto(f"{live_server.url}/integrity/mine/")
    head.locator("#my-talks a", has_text="项目开工前谈话").click()
    expect(head.locator("#commitment a")).to_have_text("廉政承诺书.pdf")
    duban = session("duban")
    assert duban.goto(f"{live_server.url}/integrity/talks/{talk.pk}/").status == 404
    assert duban.goto(f"{live_server.url}/integrity/").status == 403

    readers = set(
        AuditEvent.objects.filter(
            action="read", model="integrity.talk", object_id=str(talk.pk)
        ).values_list("actor__username", flat=True)
    )
    assert readers == {"jijian", "jingfa"}
