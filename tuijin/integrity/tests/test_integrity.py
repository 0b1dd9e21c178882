"""Integrity (R15 items 6–10): who sees what, every read in the audit chain, the workflow's
due talks, the 3-working-day clock, the quarterly nil reports, the pages."""

import datetime as dt
import io
import re
import shutil
import subprocess
import zoneinfo

import docx
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.core.audit import seal_audit_chain, verify_chain
from tuijin.core.democlock import story_clock
from tuijin.core.models import AuditEvent
from tuijin.integrity import documents, services, triggers
from tuijin.integrity.models import (
    Interference,
    NilReport,
    NilState,
    RiskPoint,
    Stage,
    Talk,
    TalkKind,
    TalkState,
    Trigger,
)
from tuijin.org.models import Person, Role, Unit
from tuijin.projects.models import Milestone
from tuijin.projects.models import Stage as ProjectStage
from tuijin.projects.tests.factories import make_project

MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")
PAGE_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PERSONAS = ["leader", "duban", "jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran",
            "jijian", "qiye", "admin"]  # fmt: skip


def user(name):
    return get_user_model().objects.get(username=name)


def person(name):
    return Person.objects.get(user__username=name)


def unit(name="经济发展局"):
    return Unit.objects.get(name=name)


def held_talk(talkee="jingfa", **values):
    values.setdefault("kind", TalkKind.REMINDER)
    return services.add_talk(
        user("jijian"),
        unit=person(talkee).unit,
        held_on=timezone.localdate(),
        talker=person("jijian"),
        talkees=[person(talkee)],
        points="提醒招投标环节风险",
        follow_up="",
        **values,
    )


def reads_of(record, username=None):
    events = AuditEvent.objects.filter(
        action="read", model=record._meta.label_lower, object_id=str(record.pk)
    )
    if username:
        events = events.filter(actor__username=username)
    return events


# --- who sees what ----------------------------------------------------------------------------


def test_only_inspectors_zone_leaders_and_the_person_talked_with_see_a_talk(org):
    talk = held_talk()
    seeing = {n for n in PERSONAS if Talk.objects.visible_to(user(n)).filter(pk=talk.pk).exists()}
    assert seeing == {"leader", "jijian", "jingfa"}
    editing = {n for n in PERSONAS if Talk.objects.editable_by(user(n)).filter(pk=talk.pk).exists()}
    assert editing == {"jijian"}


def test_a_due_talk_is_not_yet_the_talkees(org):
    talk = services.plan_talk(
        user("jijian"),
        unit=unit(),
        kind=TalkKind.HOLIDAY,
        due_date=timezone.localdate(),
        talkees=[person("jingfa")],
    )
    assert not Talk.objects.visible_to(user("jingfa")).filter(pk=talk.pk).exists()


def test_risk_points_and_nil_reports_are_the_readers_and_the_unit_heads(org):
    risk = services.add_risk_point(
        user("jijian"), unit=unit(), stage=Stage.PAYMENT, title="提前拨付", measures="复核"
    )
    seeing = {n for n in PERSONAS if RiskPoint.objects.visible_to(user(n)).filter(pk=risk.pk)}
    assert seeing == {"leader", "jijian"}
    report = next(
        r for r in services.ask_nil_reports(user("jijian"), year=2026, quarter=3)
        if r.unit_id == unit().pk
    )  # fmt: skip
    seeing = {n for n in PERSONAS if NilReport.objects.visible_to(user(n)).filter(pk=report.pk)}
    assert seeing == {"leader", "jijian", "jingfa"}


def test_an_interference_record_is_its_recorder_and_the_readers(org):
    record = services.record_interference(
        user("jingfa_staff"),
        occurred_on=timezone.localdate(),
        intervener="某副局长",
        matter="打招呼",
        response="拒绝",
    )
    seeing = {n for n in PERSONAS if Interference.objects.visible_to(user(n)).filter(pk=record.pk)}
    assert seeing == {"leader", "jijian", "jingfa_staff"}


@pytest.mark.parametrize("name", ["duban", "jingfa", "admin", "qiye", "leader"])
def test_only_inspectors_keep_records(org, name):
    with pytest.raises(PermissionDenied):
        services.add_risk_point(user(name), unit=unit(), stage="tender", title="x", measures="y")
    with pytest.raises(PermissionDenied):
        services.ask_nil_reports(user(name), year=2026, quarter=3)
    assert not RiskPoint.objects.exists() and not NilReport.objects.exists()


def test_integrity_is_not_in_the_admin_site():
    for model in (Talk, RiskPoint, Interference, NilReport):
        assert model not in admin.site._registry


def test_the_admin_sees_no_integrity_page(org):
    talk = held_talk()
    client = login_as("admin")
    assert client.get(reverse("integrity:board")).status_code == 403
    assert client.get(talk.get_absolute_url()).status_code == 404
    assert client.get(reverse("history", args=["integrity.talk", talk.pk])).status_code == 404


# --- every read in the audit chain ------------------------------------------------------------


def test_every_read_writes_an_audit_event_sealed_into_the_chain(org):
    talk = held_talk(commitment=SimpleUploadedFile("承诺书.pdf", PDF))
    client = login_as("jijian")
    assert client.get(talk.get_absolute_url()).status_code == 200
    assert reads_of(talk, "jijian").count() == 1
    assert client.get(reverse("integrity:talk_list")).status_code == 200
    assert reads_of(talk, "jijian").count() == 2  # each record a list shows
    history = reverse("history", args=["integrity.talk", talk.pk])
    assert client.get(history).status_code == 200  # the history tab is a read too
    assert reads_of(talk, "jijian").count() == 3
    response = login_as("jingfa").get(reverse("file", args=["integrity.talk", talk.pk]))
    assert response.status_code == 200  # the talked-with head opens their commitment
    assert reads_of(talk, "jingfa").count() == 1
    assert login_as("duban").get(talk.get_absolute_url()).status_code == 404
    assert not reads_of(talk, "duban").exists()  # a refusal reads nothing

    seal_audit_chain()
    events = list(reads_of(talk).order_by("seq"))
    assert len(events) == 4 and all(e.seq and e.hash for e in events)
    assert [e.actor_repr for e in events] == ["赵磊", "赵磊", "赵磊", "张强"]
    checked, broken = verify_chain()
    assert checked >= 4 and broken is None


def test_the_talk_record_and_commitment_download_is_a_read_too(org):
    talk = held_talk()
    response = login_as("jingfa").get(reverse("integrity:talk_docx", args=[talk.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert reads_of(talk, "jingfa").count() == 1
    assert (
        login_as("chengdong").get(reverse("integrity:talk_docx", args=[talk.pk])).status_code == 404
    )


def test_reads_show_on_the_history_tab(org):
    talk = held_talk()
    login_as("leader").get(talk.get_absolute_url())
    page = login_as("jijian").get(talk.get_absolute_url()).content.decode()
    assert "查阅" in page and "王立新" in page


# --- the workflow's due talks -----------------------------------------------------------------


def test_a_project_about_to_start_puts_a_due_talk_on_the_inspectors_board(org):
    today = timezone.localdate()
    project = make_project(
        name="负极材料项目", stage=ProjectStage.PREPARING, planned_start=today + dt.timedelta(20)
    )
    made = triggers.scan(today)
    talk = Talk.objects.get(project=project, trigger=Trigger.PROJECT_START)
    assert talk in made and talk.state == TalkState.DUE
    assert talk.kind == TalkKind.PROJECT_START and talk.due_date == project.planned_start
    assert list(talk.talkees.all()) == [person("jingfa")]  # the responsible unit's head
    assert triggers.scan(today) == []  # once per occasion
    page = login_as("jijian").get(reverse("integrity:board")).content.decode()
    assert "负极材料项目" in page

    # A month later it has not been held: overdue on the board.
    with story_clock(timezone.now() + dt.timedelta(days=30)):
        page = login_as("jijian").get(reverse("integrity:board")).content.decode()
    assert "超期10天" in page


def test_a_tender_milestone_and_an_acceptance_ask_for_reminder_talks(org):
    today = timezone.localdate()
    project = make_project(name="化工园配套", stage=ProjectStage.CONSTRUCTION)
    tender = Milestone.objects.create(
        project=project, name="施工总承包招标", due_date=today + dt.timedelta(5)
    )
    Milestone.objects.create(project=project, name="竣工验收", due_date=today + dt.timedelta(12))
    triggers.scan(today)
    talks = {t.trigger: t for t in Talk.objects.filter(project=project)}
    assert set(talks) == {Trigger.TENDER, Trigger.ACCEPTANCE}
    assert talks[Trigger.TENDER].due_date == tender.due_date
    assert talks[Trigger.TENDER].trigger_key == f"tender:{tender.pk}"


def test_a_new_unit_head_is_due_a_pre_appointment_talk(org):
    today = timezone.localdate()
    held_talk("jingfa")
    held_talk("chengdong")
    held_talk("ziran")
    assert triggers.scan(today) == []
    newcomer = Person.objects.create(name="新局长", unit=unit("财政局"), role=Role.UNIT_HEAD)
    [talk] = triggers.scan(today)
    assert talk.kind == TalkKind.APPOINTMENT and list(talk.talkees.all()) == [newcomer]
    assert talk.trigger == Trigger.HEAD_CHANGE


def test_the_inspector_records_a_due_talk_with_the_signed_commitment(org):
    project = make_project(stage=ProjectStage.PREPARING, planned_start=timezone.localdate())
    [talk] = [t for t in triggers.scan() if t.project_id == project.pk]
    client = login_as("jijian")
    url = reverse("integrity:talk_record", args=[talk.pk])
    assert client.get(url).status_code == 200
    data = {
        "version": talk.version,
        "kind": TalkKind.PROJECT_START,
        "held_on": timezone.localdate().isoformat(),
        "talker": person("jijian").pk,
        "talkees": [person("jingfa").pk],
        "points": "开工前提醒施工、资金拨付环节风险",
        "follow_up": "",
    }
    bad = client.post(url, data | {"commitment": SimpleUploadedFile("承诺书.pdf", b"<html>")})
    assert bad.status_code == 200 and "承诺书" in bad.content.decode()
    talk.refresh_from_db()
    assert talk.state == TalkState.DUE  # nothing saved
    response = client.post(url, data | {"commitment": SimpleUploadedFile("承诺书.pdf", PDF)})
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.state == TalkState.DONE and talk.commitment_name == "承诺书.pdf"
    # The same form posted again, with the version it showed: refused, kept.
    stale = client.post(url, data | {"points": "另一份记录"})
    assert stale.status_code == 409 and "刚刚已被他人修改" in stale.content.decode()


def test_a_talk_must_name_whom_and_when(org):
    with pytest.raises(ValidationError):
        services.add_talk(
            user("jijian"), unit=unit(), kind=TalkKind.REMINDER, held_on=None, talkees=[]
        )


# --- the 3-working-day clock ------------------------------------------------------------------


def test_an_interference_is_due_within_three_working_days(db):
    friday = dt.date(2026, 11, 27)
    assert services.interference_deadline(friday) == dt.date(2026, 12, 2)  # Mon, Tue, Wed
    # Over the National Day holiday (1–7 October 2026 off): not before 9 October.
    assert services.interference_deadline(dt.date(2026, 9, 30)) >= dt.date(2026, 10, 9)


def test_a_record_after_three_working_days_is_kept_and_marked_late(org):
    friday = dt.date(2026, 11, 27)
    kwargs = {"occurred_on": friday, "intervener": "某干部", "matter": "说情", "response": "拒绝"}
    with story_clock(dt.datetime(2026, 12, 2, 17, tzinfo=SHANGHAI)):
        on_time = services.record_interference(user("jingfa"), **kwargs)
    with story_clock(dt.datetime(2026, 12, 3, 9, tzinfo=SHANGHAI)):
        late = services.record_interference(user("jingfa"), **kwargs)
    assert (on_time.late, late.late) == (False, True)
    assert late.deadline == dt.date(2026, 12, 2)


def test_liaisons_and_the_admin_record_no_interference(org):
    for name in ("qiye", "admin"):
        with pytest.raises(PermissionDenied):
            services.record_interference(
                user(name),
                occurred_on=timezone.localdate(),
                intervener="x",
                matter="y",
                response="z",
            )


# --- nil reports ------------------------------------------------------------------------------


def test_nil_reports_asked_by_two_at_once_are_asked_once_not_a_500(org):
    # On PostgreSQL both find the quarter not asked yet; the other's reports are made here just
    # after this one looks: each unit keeps one report, and no IntegrityError.
    from unittest import mock

    from django.db.models import QuerySet

    real_values_list = QuerySet.values_list
    others, looked = [], []

    def the_other_asks_meanwhile(self, *fields, **kwargs):
        found = list(real_values_list(self, *fields, **kwargs))
        if self.model is NilReport and not looked:
            looked.append(1)
            others.extend(services.ask_nil_reports(user("jijian"), year=2026, quarter=3))
        return found

    with mock.patch.object(QuerySet, "values_list", the_other_asks_meanwhile):
        made = services.ask_nil_reports(user("jijian"), year=2026, quarter=3)
    assert others and made == []
    assert NilReport.objects.filter(year=2026, quarter=3).count() == len(others)


def test_nil_reports_are_asked_once_per_unit_and_tracked(org):
    made = services.ask_nil_reports(user("jijian"), year=2026, quarter=3)
    units = {r.unit.name for r in made}
    assert {"经济发展局", "城东产业园", "淅河镇"} <= units and "随州高新区" not in units
    assert "碑岗村" not in units
    assert services.ask_nil_reports(user("jijian"), year=2026, quarter=3) == []
    report = NilReport.objects.get(unit=unit(), year=2026, quarter=3)
    assert report.due_date > dt.date(2026, 9, 30) and report.state == NilState.ASKED

    with pytest.raises(PermissionDenied):  # a colleague, not the head
        services.submit_nil_report(user("jingfa_staff"), report.pk, report.version, note="")
    report = services.submit_nil_report(user("jingfa"), report.pk, report.version, note="无")
    assert report.state == NilState.NIL and report.submitted_by == person("jingfa")

    cd = NilReport.objects.get(unit=unit("城东产业园"), year=2026, quarter=3)
    with story_clock(dt.datetime(2026, 9, 11, 10, tzinfo=SHANGHAI)):
        services.record_interference(
            user("chengdong"),
            occurred_on=dt.date(2026, 9, 10),
            intervener="某干部",
            matter="说情",
            response="拒绝",
        )
    cd = services.submit_nil_report(user("chengdong"), cd.pk, cd.version)
    assert cd.state == NilState.RECORDED and cd.records == 1

    page = login_as("jijian").get(reverse("integrity:nil_list") + "?year=2026&quarter=3")
    assert page.status_code == 200
    assert page.context["missing"] == len(made) - 2


def test_the_head_submits_from_the_nil_report_page(org):
    services.ask_nil_reports(user("jijian"), year=2026, quarter=3)
    report = NilReport.objects.get(unit=unit(), year=2026, quarter=3)
    client = login_as("jingfa")
    assert "submit-nil" in client.get(report.get_absolute_url()).content.decode()
    assert reads_of(report, "jingfa").count() == 1  # the page is a read
    url = reverse("integrity:nil_submit", args=[report.pk])
    assert client.post(url, {"version": report.version, "note": "无"}).status_code == 302
    report.refresh_from_db()
    assert report.state == NilState.NIL
    assert reads_of(report, "jingfa").count() == 1  # the submit is a write, not a read too
    assert AuditEvent.objects.filter(
        action="submit_nil_report", object_id=str(report.pk), actor__username="jingfa"
    ).exists()
    assert client.post(url, {"version": report.version}).status_code == 403  # once


# --- pages ------------------------------------------------------------------------------------


def test_the_talk_list_costs_the_same_queries_for_more_talks(org, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as("jijian")
    counts = []
    for _round in range(2):
        for name in ("jingfa", "chengdong", "ziran"):
            held_talk(name)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("integrity:talk_list"))
        counts.append(len(queries))
    assert len(response.context["talks"]) == 6
    assert counts[0] == counts[1]  # one read-event INSERT for the whole list, not one a row
    with django_assert_max_num_queries(counts[0]):
        client.get(reverse("integrity:talk_list") + "?state=done&kind=reminder")


def test_bad_filters_get_a_message_not_an_error(org):
    client = login_as("jijian")
    response = client.get(reverse("integrity:talk_list") + "?since=99999-1-1&unit=abc")
    assert response.status_code == 200
    response = client.get(reverse("integrity:nil_list") + "?year=abc&quarter=9")
    assert response.status_code == 200


def test_any_official_records_an_interference_on_the_phone_form(org):
    client = login_as("zhaoshang")
    response = client.post(
        reverse("integrity:interference_add"),
        {
            "occurred_on": timezone.localdate().isoformat(),
            "intervener": "某领导",
            "matter": "要求调整招商项目评审顺序",
            "response": "婉拒并报告",
        },
    )
    record = Interference.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get(reverse("integrity:interference_list")).status_code == 403
    assert "要求调整招商项目评审顺序" in client.get(reverse("integrity:mine")).content.decode()


def test_the_hourly_task_runs_the_scan(org):
    from tuijin.integrity.tasks import open_due_talks

    project = make_project(stage=ProjectStage.SIGNED, planned_start=timezone.localdate())
    open_due_talks.call_local()
    assert Talk.objects.filter(project=project, trigger=Trigger.PROJECT_START).exists()


def test_each_commitment_starts_a_page_without_a_page_break_paragraph(org):
    """A paragraph holding a page break, when the record filled page 1, printed page 2 blank."""
    talk = held_talk(kind=TalkKind.COLLECTIVE)
    talk.talkees.add(person("chengdong"))
    file = io.BytesIO()
    documents.talk_docx(talk, file)
    document = docx.Document(file)
    titles = [p for p in document.paragraphs if p.text == "廉政承诺书"]
    assert len(titles) == 2 and all(p.paragraph_format.page_break_before for p in titles)
    assert not document.element.body.xpath('.//w:br[@w:type="page"]')


@pytest.mark.slow
@pytest.mark.presentation
@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_libreoffice_prints_the_record_and_one_commitment_per_person(org, tmp_path):
    talk = held_talk(kind=TalkKind.COLLECTIVE)
    talk.talkees.add(person("chengdong"))
    with (tmp_path / "talk.docx").open("wb") as file:
        documents.talk_docx(talk, file)
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "talk.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "talk.pdf").read_bytes()
    sizes = {tuple(round(float(v)) for v in m) for m in MEDIA_BOX.findall(pdf)}
    assert sizes == {(595, 842)}, sizes  # A4 portrait
    assert max(int(n) for n in PAGE_COUNT.findall(pdf)) == 3  # the record, two commitments
