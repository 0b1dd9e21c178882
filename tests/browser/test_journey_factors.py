"""E14 factor balance sheet at 1366 px: the 招商局 signs the 300-亩 lithium project in
府南产业园 needing 20,000 吨标准煤 (the investment demo's lead in talks, through the pipeline's
service); the sheet shows 府南's land gap growing and the project predicted to stall, with the
reason; the zone leader escalates it, and the problem is on the next on-site meeting's agenda
at 府南."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.factors.forms import default_year
from tuijin.factors.tests.factories import user
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.org.models import Unit
from tuijin.supervision.models import Problem

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def lithium_lead():
    """The investment demo's 300-亩 lead in talks at 府南产业园, needing 20,000 吨标准煤."""
    from tuijin.investment.models import Lead

    lead = Lead.objects.filter(park__name="府南产业园", land_mu=300).first()
    assert lead is not None and lead.stage == "talks", "the investment demo's 府南 lead"
    assert lead.energy_tce == 20000
    return lead


def sign(lead):
    """Signed by the 招商局, through the pipeline's service, with the contract."""
    from tuijin.investment import services as investment
    from tuijin.investment.models import Lead

    investment.move_stage(
        user("zhaoshang"),
        lead.pk,
        lead.version,
        to_stage="signed",
        on=timezone.localdate(),
        evidence=ContentFile(PDF, name="投资合同.pdf"),
        signing_kind="contract",
    )
    return Lead.objects.get(pk=lead.pk)


def land_gap(page) -> str:
    row = page.locator(".park-card[data-park='府南产业园'] .factor-row[data-factor='land']")
    return row.locator(".gap-cell").inner_text()


def test_a_signed_lead_stalls_on_land_and_goes_to_the_meeting(demo, live_server, session):
    fu_nan = Unit.objects.get(name="府南产业园")
    year = default_year()
    meeting = Meeting.objects.create(
        kind=MeetingKind.ONSITE,
        title="府南产业园现场办公会",
        park=fu_nan,
        starts_at=timezone.now() + dt.timedelta(days=5),
    )
    leader = session("leader")
    leader.goto(f"{live_server.url}/factors/?year={year}")
    before = land_gap(leader)
    assert before.startswith("余")  # 府南 has land for what is signed
    lead = lithium_lead()
    expect(leader.locator(".stalled-row", has_text=lead.name)).to_have_count(0)

    lead = sign(lead)

    leader.goto(f"{live_server.url}/factors/?year={year}")
    after = land_gap(leader)
    assert after.startswith("缺") and "亩" in after, after  # the gap grew past the supply
    row = leader.locator(".stalled-row", has_text=lead.name)
    expect(row).to_be_visible()
    expect(row.locator(".block-reason").first).to_contain_text(re.compile(r"土地指标:需 300 亩"))
    shoot(leader, path=str(OUTPUT / "factors-sheet-stalled.png"), full_page=True)

    row.locator(".escalate-form button", has_text="土地指标").click()
    expect(leader.locator(".alert-success")).to_contain_text("已提交会议研究")
    problem = Problem.objects.get(level=Problem.Level.MEETING, category__name="土地指标",
                                  project__park=fu_nan)  # fmt: skip
    assert "土地指标短缺" in problem.description and lead.name in problem.description

    leader.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(leader.locator("body")).to_contain_text(problem.description[:20])
    leader.goto(f"{live_server.url}/factors/?year={year}")
    expect(leader.locator(".stalled-row", has_text=lead.name).locator(".escalated")).to_be_visible()
