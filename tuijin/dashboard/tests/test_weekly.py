"""The Monday report (周调度通报: the document ``dashboard/weekly.py``, the writes
``dashboard/services.py``): the periodic task on a Monday at 07:30 builds each zone's report
once and sends it once, the .docx read back; nothing before the hour or on another day; the
督查室's button builds it as a job; only leaders and the 督查室 list and download the
reports."""

import datetime as dt
import re
import shutil
import subprocess
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.dashboard import services, tasks, weekly
from tuijin.dashboard.models import WeeklyReport
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.notify.models import Delivery, Event
from tuijin.org.models import Unit
from tuijin.projects.models import Light
from tuijin.projects.tests.factories import make_project, plan, report
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category, make_item

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 12, 7, 7, 30, tzinfo=SHANGHAI)
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
PAGE_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)")


def on(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(scope="module")
def week(module_db):
    """A red project of 城东产业园 with a plan and a report, an overdue item of 住建局, a
    problem escalated to the leaders, a meeting on Saturday."""
    with on(MONDAY - dt.timedelta(days=3)):
        red = make_project(name="周报测试红灯项目", park="城东产业园", unit="城东产业园")
        red.light = Light.RED
        red.save()
        plan(red, 1200, year=2026)
        report(red, dt.date(2026, 10, 15), investment=300)
        make_item(
            lead="住建局",
            title="周报测试超期事项",
            assigned_on=dt.date(2026, 11, 20),
            deadline=dt.date(2026, 11, 30),
        )
        Problem.objects.create(
            project=red,
            unit=red.unit,
            category=category("用工"),
            description="周报测试缺技工",
            raised_at=timezone.now(),
            level=Problem.Level.LEADER,
        )
        meeting = Meeting.objects.create(
            kind=MeetingKind.ONSITE,
            title="周报测试现场办公会",
            park=red.park,
            starts_at=dt.datetime(2026, 12, 12, 9, tzinfo=SHANGHAI),
        )
        meeting.invited_units.set([red.park])
    return red


def login_user(name: str):
    return get_user_model().objects.get(username=name)


def report_deliveries() -> int:
    return Delivery.objects.filter(
        event=Event.WEEKLY_DIGEST, key__contains="weekly-report:"
    ).count()


def docx_text(record: WeeklyReport) -> tuple[Document, str]:
    with record.file.open("rb") as file:
        document = Document(file)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return document, text + "\n" + cells


def test_nothing_before_the_hour_or_on_another_day(week):
    with on(MONDAY - dt.timedelta(minutes=1)):
        assert services.send_monday_reports() == 0
    with on(MONDAY + dt.timedelta(days=1)):
        assert services.send_monday_reports() == 0
    assert not WeeklyReport.objects.exists()


def test_the_monday_task_builds_and_sends_once(week):
    with on(MONDAY):
        tasks.monday_report.call_local()
    zone = Unit.objects.get(name="城东产业园").zone
    record = WeeklyReport.objects.get()
    assert (record.zone, record.week, record.number) == (zone, dt.date(2026, 12, 7), 1)
    assert record.sent_at is not None
    sent = report_deliveries()
    assert sent >= 2  # the zone leaders, in-app and e-mail (notify.defaults)
    leader_mail = Delivery.objects.get(
        key__contains="weekly-report:", recipient__username="leader", channel="inapp"
    )
    assert "周报测试红灯项目" in leader_mail.body
    assert leader_mail.url == record.get_absolute_url()

    # Again the same morning (the task runs every quarter of an hour): nothing more.
    with on(MONDAY + dt.timedelta(minutes=15)):
        tasks.monday_report.call_local()
        assert services.send_monday_reports() == 0
    assert WeeklyReport.objects.count() == 1
    assert report_deliveries() == sent

    document, text = docx_text(record)
    for expected in (
        "周调度通报",
        "〔2026〕第1期",
        "关于11月30日至12月6日",  # the title, on two lines
        "项目推进工作情况的通报",
        "一、本周概况",
        "周报测试红灯项目（城东产业园）",
        "住建局",
        "周报测试超期事项",
        "周报测试缺技工",
        "周报测试现场办公会",
        "12月12日 09:00",
        "随州高新区督查室",
    ):
        assert expected in text, expected
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    body = document.paragraphs[-1].runs or [r for p in document.paragraphs for r in p.runs]
    fonts = {
        r._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        for p in document.paragraphs
        for r in p.runs
        if r._element.rPr is not None and r._element.rPr.rFonts is not None
    }
    assert body and {"仿宋_GB2312", "黑体"} <= fonts
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in document.tables)


def test_the_supervisors_button_builds_it_as_a_job(week, django_capture_on_commit_callbacks):
    with on(MONDAY + dt.timedelta(days=2)):
        for name in ("leader", "jingfa", "chengdong"):
            response = login_as(name).post(reverse("places:weekly_build"))
            assert response.status_code == 403, name
        assert not WeeklyReport.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = login_as("duban").post(reverse("places:weekly_build"))
        assert response.status_code == 302
        assert response["Location"].startswith("/jobs/")
    record = WeeklyReport.objects.get()
    assert record.week == dt.date(2026, 12, 7) and record.built_by.user.username == "duban"
    # Built again by the Monday run of a later week? No: the week's message went once.
    sent = report_deliveries()
    with on(MONDAY + dt.timedelta(days=2, hours=1)):
        services.build_weekly_report(record.zone, record.week, user=record.built_by.user)
        services.send_weekly_report(WeeklyReport.objects.get())
    assert report_deliveries() == sent


def test_the_writes_are_services_each_audited(week):
    """weekly.py builds the document and writes nothing; services.py builds, rebuilds (same
    number) and sends, each write audited with its verb."""
    zone = Unit.objects.get(name="城东产业园").zone
    monday = dt.date(2026, 12, 7)
    with on(MONDAY):
        built = weekly.build_document(zone, monday, timezone.now())
        assert built.number == 1 and built.name.endswith(".docx")
        assert (
            not WeeklyReport.objects.exists()
            and not AuditEvent.objects.filter(model="dashboard.weeklyreport").exists()
        )
        first = services.build_weekly_report(zone, monday, user=login_user("duban"))
        again = services.build_weekly_report(zone, monday)
        services.send_weekly_report(again)
    assert first.pk == again.pk and again.number == 1 and again.sent_at is not None
    actions = AuditEvent.objects.filter(model="dashboard.weeklyreport", object_id=str(first.pk))
    assert sorted(actions.values_list("action", flat=True)) == [
        "build_weekly_report",
        "build_weekly_report",
        "send_weekly_report",
    ]


def test_leaders_and_the_supervisors_list_and_download(week, django_assert_max_num_queries):
    with on(MONDAY):
        services.send_monday_reports()
    record = WeeklyReport.objects.get()
    for name in ("leader", "duban", "admin"):
        client = login_as(name)
        with django_assert_max_num_queries(25):
            page = client.get(reverse("places:weekly_list"))
        assert page.status_code == 200
        assert f'id="report-{record.pk}"' in page.content.decode()
        download = client.get(f"/files/dashboard.weeklyreport/{record.pk}/")
        assert download.status_code == 200, name
        assert b"".join(download.streaming_content)[:2] == b"PK"
    for name in ("jingfa", "chengdong", "jijian", "qiye"):
        client = login_as(name)
        assert client.get(reverse("places:weekly_list")).status_code == 403, name
        assert client.get(f"/files/dashboard.weeklyreport/{record.pk}/").status_code == 404


@pytest.mark.slow
@pytest.mark.presentation
@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_libreoffice_prints_it_on_a4(week, tmp_path):
    with on(MONDAY):
        services.send_monday_reports()
    record = WeeklyReport.objects.get()
    with record.file.open("rb") as file:
        (tmp_path / "report.docx").write_bytes(file.read())
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "report.pdf").read_bytes()
    sizes = {tuple(round(float(v)) for v in m) for m in MEDIA_BOX.findall(pdf)}
    assert sizes == {(595, 842)}, sizes  # every page A4 portrait (points)
    pages = [int(n) for n in PAGE_COUNT.findall(pdf)]
    assert pages and max(pages) >= 2  # the title page and the sections after it


def test_the_overview_writes_amounts_as_the_red_projects_do():
    """The overview wrote 计划投资162000万元 above the red projects' 12,000万元."""
    figures = SimpleNamespace(
        lights={"total": 3, Light.RED: 1, Light.YELLOW: 1, Light.GREEN: 1},
        investment={"year": 2026, "plan": 162000, "completed": 129220.4, "rate": 79.8,
                    "schedule_rate": 87.0},
        duban={"open": 1, "overdue": 0},
        week={"assigned": 0, "closed": 0, "closed_late": 0, "resolved": 0},
        problems={"unresolved": 0},
        escalated=[], logs_owed=0, missing_count=0,
    )  # fmt: skip
    assert "计划投资162,000万元,累计完成129,220万元," in weekly.overview(figures)[1]
