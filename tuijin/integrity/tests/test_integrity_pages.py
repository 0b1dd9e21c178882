"""Integrity pages not walked by test_integrity: the write pages (who may post, what a bad post
says and leaves unchanged), the registers' filters and their reads in the audit chain, the
talk .docx read back, the nil-report ask and submit pages."""

import datetime as dt
import html
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from docx import Document

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.integrity import services
from tuijin.integrity.models import (
    Grade,
    Interference,
    NilReport,
    NilState,
    RiskPoint,
    Stage,
    Talk,
    TalkKind,
    TalkState,
)
from tuijin.integrity.tests.test_integrity import person, reads_of, unit, user

NOT_KEEPERS = ["leader", "duban", "jingfa", "zhaoshang", "admin", "qiye"]


def risk(**values):
    values = {
        "unit": unit(),
        "stage": Stage.TENDER,
        "title": "围标串标",
        "measures": "复核",
    } | values
    return services.add_risk_point(user("jijian"), **values)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def talk_post(**values):
    return {
        "unit": unit().pk,
        "kind": TalkKind.REMINDER,
        "held_on": timezone.localdate().isoformat(),
        "talker": person("jijian").pk,
        "talkees": [person("jingfa").pk],
        "points": "提醒招投标环节风险\n严禁插手干预",
        "follow_up": "一个月后回访",
    } | values


# --- talks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NOT_KEEPERS)
def test_only_inspectors_open_the_talk_forms(org, name):
    client = login_as(name)
    for url in (reverse("integrity:talk_add"), reverse("integrity:talk_plan")):
        assert client.get(url).status_code == 403
        assert client.post(url, talk_post(due_date="2026-12-31")).status_code == 403
    assert not Talk.objects.exists()


def test_the_inspector_records_a_talk_and_downloads_its_record(org):
    client = login_as("jijian")
    assert client.get(reverse("integrity:talk_add")).status_code == 200
    point = risk(grade=Grade.TWO)
    response = client.post(reverse("integrity:talk_add"), talk_post(risk_points=[point.pk]))
    talk = Talk.objects.get()
    assert response.status_code == 302 and response["Location"] == talk.get_absolute_url()
    assert talk.state == TalkState.DONE and talk.unit == unit()
    assert list(talk.talkees.all()) == [person("jingfa")]
    assert messages_of(response) == ["廉政谈话已登记。"]

    docx = client.get(reverse("integrity:talk_docx", args=[talk.pk]))
    assert reads_of(talk, "jijian").count() == 1
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "廉政谈话记录" in text and "严禁插手干预" in text and "一个月后回访" in text
    assert "招投标环节：围标串标（二级）。防控措施：复核" in text
    assert text.count("廉政承诺书") == 1 and "本人张强" in text


def test_a_talk_form_missing_its_people_and_points_says_so_and_saves_nothing(org):
    client = login_as("jijian")
    response = client.post(reverse("integrity:talk_add"), talk_post(talkees=[], points=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"talkees", "points"}
    assert form.errors["talkees"] == ["这个字段是必填项。"]
    page = response.content.decode()
    assert "谈话对象" in page and "这个字段是必填项。" in page
    assert not Talk.objects.exists()


def test_a_talk_held_tomorrow_is_refused_on_the_date_field(org):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = login_as("jijian").post(reverse("integrity:talk_add"), talk_post(held_on=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == ["谈话日期不能晚于今天。"]
    assert not Talk.objects.exists()


def test_recording_a_due_talk_on_a_future_day_is_refused_and_it_stays_due(org):
    talk = services.plan_talk(
        user("jijian"),
        unit=unit(),
        kind=TalkKind.HOLIDAY,
        due_date=timezone.localdate(),
        talkees=[person("jingfa")],
    )
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = talk_post(held_on=tomorrow, version=talk.version)
    response = login_as("jijian").post(reverse("integrity:talk_record", args=[talk.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == ["谈话日期不能晚于今天。"]
    talk.refresh_from_db()
    assert talk.state == TalkState.DUE and talk.held_on is None


def test_the_leader_reads_a_talk_but_may_not_record_it(org):
    talk = services.plan_talk(
        user("jijian"), unit=unit(), kind=TalkKind.HOLIDAY, due_date=timezone.localdate()
    )
    client = login_as("leader")
    assert client.get(talk.get_absolute_url()).status_code == 200
    url = reverse("integrity:talk_record", args=[talk.pk])
    assert client.post(url, talk_post(version=talk.version)).status_code == 403
    assert login_as("duban").get(url).status_code == 404
    talk.refresh_from_db()
    assert talk.state == TalkState.DUE


def test_the_inspector_plans_a_talk(org):
    client = login_as("jijian")
    url = reverse("integrity:talk_plan")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"unit": unit().pk, "kind": TalkKind.HOLIDAY, "due_date": "1900-01-01"})
    assert bad.status_code == 200 and "due_date" in bad.context["form"].errors
    assert "日期应在" in bad.content.decode()
    assert not Talk.objects.exists()
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    data = {"unit": unit().pk, "kind": TalkKind.HOLIDAY, "due_date": due}
    response = client.post(url, data | {"talkees": [person("jingfa").pk]})
    talk = Talk.objects.get()
    assert response.status_code == 302 and response["Location"] == talk.get_absolute_url()
    assert talk.state == TalkState.DUE and talk.due_date.isoformat() == due
    assert messages_of(response) == ["谈话已列入待谈清单。"]


def test_the_talk_list_filters_by_state_and_unit_and_audits_what_it_shows(org):
    planned = services.plan_talk(
        user("jijian"), unit=unit(), kind=TalkKind.HOLIDAY, due_date=timezone.localdate()
    )
    held = services.add_talk(
        user("jijian"),
        unit=unit("城东产业园"),
        kind=TalkKind.REMINDER,
        held_on=timezone.localdate(),
        talker=person("jijian"),
        talkees=[person("chengdong")],
        points="提醒",
    )
    client = login_as("jijian")
    base = reverse("integrity:talk_list")
    response = client.get(f"{base}?state=due&unit={unit().pk}")
    assert response.context["talks"] == [planned]
    assert reads_of(planned).count() == 1 and not reads_of(held).exists()
    response = client.get(f"{base}?unit={unit('城东产业园').pk}")
    assert response.context["talks"] == [held]
    response = client.get(f"{base}?state=nonsense")
    assert response.status_code == 200 and "state" in response.context["filters"].errors
    assert set(response.context["talks"]) == {planned, held}  # a bad filter filters nothing


# --- risk points ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NOT_KEEPERS)
def test_only_inspectors_add_or_change_risk_points(org, name):
    point = risk()
    client = login_as(name)
    data = {"unit": unit().pk, "stage": Stage.PAYMENT, "title": "改", "grade": "1", "measures": "m"}
    assert client.get(reverse("integrity:risk_add")).status_code == 403
    assert client.post(reverse("integrity:risk_add"), data).status_code == 403
    update = reverse("integrity:risk_update", args=[point.pk])
    expected = 403 if name == "leader" else 404  # the leader reads it, the rest do not
    assert client.post(update, data | {"version": point.version}).status_code == expected
    point.refresh_from_db()
    assert RiskPoint.objects.count() == 1 and point.title == "围标串标"


def test_the_inspector_adds_a_risk_point_and_a_missing_title_is_named(org):
    client = login_as("jijian")
    url = reverse("integrity:risk_add")
    assert client.get(url).status_code == 200
    data = {"unit": unit().pk, "stage": Stage.PAYMENT, "grade": "2", "measures": "双人复核"}
    bad = client.post(url, data)
    assert bad.status_code == 200
    assert bad.context["form"].errors["title"] == ["这个字段是必填项。"]
    assert not RiskPoint.objects.exists()
    response = client.post(url, data | {"title": "提前拨付工程款"})
    point = RiskPoint.objects.get()
    assert response.status_code == 302 and response["Location"] == point.get_absolute_url()
    assert (point.grade, point.created_by) == ("2", person("jijian"))
    assert messages_of(response) == ["廉政风险点已登记。"]


def test_the_inspector_updates_a_risk_point_and_a_stale_form_is_refused(org):
    point = risk()
    client = login_as("jijian")
    url = reverse("integrity:risk_update", args=[point.pk])
    assert client.get(url).status_code == 200
    data = {
        "version": point.version,
        "unit": unit().pk,
        "stage": Stage.ACCEPTANCE,
        "title": "验收走过场",
        "grade": "1",
        "measures": "第三方复核",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.stage, point.title, point.is_active) == (Stage.ACCEPTANCE, "验收走过场", False)
    stale = client.post(url, data | {"title": "另一改法", "is_active": "on"})
    assert stale.status_code == 409 and "刚刚已被他人修改" in stale.content.decode()
    point.refresh_from_db()
    assert point.title == "验收走过场" and not point.is_active


def test_the_risk_register_filters_and_audits_each_row_it_shows(org):
    tender = risk()
    payment = risk(stage=Stage.PAYMENT, title="提前拨付")
    elsewhere = risk(unit=unit("城东产业园"), title="园区围标")
    client = login_as("leader")
    response = client.get(reverse("integrity:risk_list") + f"?stage=tender&unit={unit().pk}")
    assert response.status_code == 200 and response.context["points"] == [tender]
    assert reads_of(tender, "leader").count() == 1
    assert not reads_of(payment).exists() and not reads_of(elsewhere).exists()
    response = client.get(reverse("integrity:risk_list") + "?stage=x&unit=abc")
    assert response.status_code == 200 and len(response.context["points"]) == 3
    assert login_as("duban").get(reverse("integrity:risk_list")).status_code == 403


def test_a_risk_point_page_is_a_read_and_others_get_404(org):
    point = risk()
    talk = services.add_talk(
        user("jijian"),
        unit=unit(),
        kind=TalkKind.REMINDER,
        held_on=timezone.localdate(),
        talker=person("jijian"),
        talkees=[person("jingfa")],
        points="提醒",
        risk_points=[point],
    )
    response = login_as("leader").get(point.get_absolute_url())
    assert response.status_code == 200 and response.context["talks"] == [talk]
    assert reads_of(point, "leader").count() == 1
    for name in ("jingfa", "duban", "admin"):
        assert login_as(name).get(point.get_absolute_url()).status_code == 404
        assert not reads_of(point, name).exists()


# --- interference -----------------------------------------------------------------------------


def test_the_interference_register_is_the_readers_and_audits_each_row(org):
    record = services.record_interference(
        user("zhaoshang"),
        occurred_on=timezone.localdate(),
        intervener="某领导",
        matter="打招呼",
        response="拒绝",
    )
    response = login_as("jijian").get(reverse("integrity:interference_list"))
    assert response.status_code == 200 and response.context["records"] == [record]
    assert reads_of(record, "jijian").count() == 1
    for name in ("jingfa", "admin", "qiye"):
        assert login_as(name).get(reverse("integrity:interference_list")).status_code == 403
    assert login_as("jingfa").get(record.get_absolute_url()).status_code == 404


def test_an_interference_recorded_late_is_kept_with_a_warning(org):
    long_ago = timezone.localdate() - dt.timedelta(days=30)
    data = {"occurred_on": long_ago.isoformat(), "intervener": "某", "matter": "m", "response": "r"}
    response = login_as("jingfa").post(reverse("integrity:interference_add"), data)
    record = Interference.objects.get()
    assert response.status_code == 302 and record.late
    [message] = messages_of(response)
    assert "超期记录" in message and record.deadline.strftime("%Y-%m-%d") in message


def test_an_interference_in_the_future_or_without_a_matter_is_refused(org):
    client = login_as("jingfa")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = {"occurred_on": tomorrow, "intervener": "某", "matter": "m", "response": "r"}
    response = client.post(reverse("integrity:interference_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_on"] == ["发生日期不能晚于今天。"]
    response = client.post(reverse("integrity:interference_add"), data | {"matter": ""})
    assert response.context["form"].errors["matter"] == ["这个字段是必填项。"]
    assert "干预事项" in response.content.decode()
    assert login_as("qiye").post(reverse("integrity:interference_add"), data).status_code == 403
    assert not Interference.objects.exists()


# --- nil reports ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["leader", "jingfa", "admin"])
def test_only_inspectors_ask_for_nil_reports(org, name):
    response = login_as(name).post(reverse("integrity:nil_ask"), {"year": 2026, "quarter": 3})
    assert response.status_code == 403 and not NilReport.objects.exists()


def test_the_inspector_asks_for_nil_reports_from_the_list(org):
    client = login_as("jijian")
    page = client.get(reverse("integrity:nil_list"))
    assert page.status_code == 200 and page.context["chosen"] is None
    assert page.context["ask_form"] is not None
    bad = client.post(reverse("integrity:nil_ask"), {"year": "abc", "quarter": 9})
    assert bad.status_code == 302 and messages_of(bad) == ["请选择年度和季度。"]
    assert not NilReport.objects.exists()
    response = client.post(reverse("integrity:nil_ask"), {"year": 2026, "quarter": 3})
    made = NilReport.objects.filter(year=2026, quarter=3)
    assert response["Location"] == reverse("integrity:nil_list") + "?year=2026&quarter=3"
    assert made.count() >= 3
    assert messages_of(response)[-1] == f"已向{made.count()}个单位发起零报告。"
    # The list without a quarter shows the latest; the leader reads it, no ask form.
    page = login_as("leader").get(reverse("integrity:nil_list"))
    assert page.context["chosen"] == (2026, 3) and page.context["ask_form"] is None
    assert reads_of(made.get(unit=unit()), "leader").count() == 1


def test_the_board_counts_the_latest_quarters_missing_reports(org):
    services.ask_nil_reports(user("jijian"), year=2026, quarter=2)
    services.ask_nil_reports(user("jijian"), year=2026, quarter=3)
    report = NilReport.objects.get(unit=unit(), year=2026, quarter=3)
    services.submit_nil_report(user("jingfa"), report.pk, report.version, note="无")
    total = NilReport.objects.filter(year=2026, quarter=3).count()
    nil = login_as("leader").get(reverse("integrity:board")).context["nil"]
    assert (nil["year"], nil["quarter"], nil["total"], nil["missing"]) == (
        2026,
        3,
        total,
        total - 1,
    )


def test_the_head_sees_the_units_report_on_my_page(org):
    services.ask_nil_reports(user("jijian"), year=2026, quarter=3)
    report = NilReport.objects.get(unit=unit(), year=2026, quarter=3)
    response = login_as("jingfa").get(reverse("integrity:mine"))
    assert [r.pk for r in response.context["reports"]] == [report.pk]
    assert response.context["reports"][0].can_submit
    assert reads_of(report, "jingfa").count() == 1
    staff = login_as("jingfa_staff").get(reverse("integrity:mine"))
    assert staff.context["reports"] == []  # a colleague, not the head
    assert login_as("qiye").get(reverse("integrity:mine")).status_code == 403


def test_a_nil_report_posted_without_its_version_or_stale_is_not_submitted(org):
    services.ask_nil_reports(user("jijian"), year=2026, quarter=3)
    report = NilReport.objects.get(unit=unit(), year=2026, quarter=3)
    url = reverse("integrity:nil_submit", args=[report.pk])
    events = AuditEvent.objects.filter(model="integrity.nilreport", object_id=str(report.pk))
    before = events.count()
    client = login_as("jingfa")
    response = client.post(url, {"note": "无"})
    assert messages_of(response) == ["页面已过期,请刷新后重新报送。"]
    response = client.post(url, {"version": report.version + 5, "note": "无"})
    assert response.status_code == 302 and len(messages_of(response)) == 2  # one per post
    assert "刚刚已被他人修改" in messages_of(response)[-1]
    assert login_as("jijian").post(url, {"version": report.version}).status_code == 403  # reads
    assert login_as("jingfa_staff").post(url, {"version": report.version}).status_code == 404
    report.refresh_from_db()
    assert report.state == NilState.ASKED and report.submitted_by is None
    # A submit is a write, not a read: the refused posts left nothing in the audit chain.
    assert events.count() == before


def test_the_boards_grade_two_count_opens_that_many_risk_points(org):
    """二级风险点 on the board opened the whole register (2 counted, 6 listed in the demo)."""
    risk(grade=Grade.TWO)
    risk(grade=Grade.ONE)
    retired = risk(grade=Grade.TWO)
    RiskPoint.objects.filter(pk=retired.pk).update(is_active=False)
    client = login_as("jijian")
    board = client.get(reverse("integrity:board"))
    listed = client.get(reverse("integrity:risk_list"), {"grade": Grade.TWO})
    assert board.context["serious"] == len(listed.context["points"]) == 1
    assert f"{reverse('integrity:risk_list')}?grade=2" in board.content.decode()


def test_the_boards_talks_held_this_year_open_that_many_talks(org):
    """今年已谈 counted this year's talks and opened every talk ever held (the demo's all fall
    in this year, so the two only parted from January on)."""
    today = timezone.localdate()
    for held_on in (today, today.replace(year=today.year - 1, month=6, day=1)):
        services.add_talk(
            user("jijian"),
            unit=unit("城东产业园"),
            kind=TalkKind.REMINDER,
            held_on=held_on,
            talker=person("jijian"),
            talkees=[person("chengdong")],
            points="提醒",
        )
    client = login_as("jijian")
    board = client.get(reverse("integrity:board"))
    link = re.search(r'id="held-count"><a class="stretched-link" href="([^"]+)"', board.text)
    listed = client.get(html.unescape(link.group(1)))
    assert board.context["held"] == len(listed.context["talks"]) == 1


# --- the registers page through their rows ----------------------------------------------------


def test_the_registers_count_every_row_and_page_through_them(org, django_assert_max_num_queries):
    """They stopped at 500 rows without saying so and counted those; now the count is of all
    rows and each page is read (and audited) for what it shows."""
    from tuijin.integrity.views import PAGE_SIZE

    today, by = timezone.localdate(), person("jijian")
    talks = Talk.objects.bulk_create(
        Talk(unit=unit(), kind=TalkKind.HOLIDAY, state=TalkState.DUE, due_date=today)
        for _ in range(PAGE_SIZE + 5)
    )
    RiskPoint.objects.bulk_create(
        RiskPoint(unit=unit(), stage=Stage.TENDER, title=f"风险{n}", measures="复核", created_by=by)
        for n in range(PAGE_SIZE + 3)
    )
    client = login_as("jijian")
    cases = [("integrity:talk_list", "talks", "talk-count", PAGE_SIZE + 5)]
    cases.append(("integrity:risk_list", "points", "risk-count", PAGE_SIZE + 3))
    for url, rows, badge, total in cases:
        with django_assert_max_num_queries(40):
            first = client.get(reverse(url))
        assert len(first.context[rows]) == PAGE_SIZE
        assert f'id="{badge}">{total}<' in first.content.decode()
        second = client.get(reverse(url) + "?page=2")
        assert len(second.context[rows]) == total - PAGE_SIZE
        assert client.get(reverse(url) + "?page=abc").status_code == 200  # the first page
    # each request audits the rows it shows: pages 1, 2 and "abc" (page 1 again)
    assert sum(reads_of(talk).count() for talk in talks) == 2 * PAGE_SIZE + 5
