"""The meeting's documents: 会议纪要 (.docx) parsed back, 调度表 (.xlsx) read back."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.db.models import QuerySet
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.core.xlsx import table_rows
from tuijin.meetings import services
from tuijin.meetings.dispatch import dispatch_xlsx
from tuijin.meetings.documents import chinese_number, minutes_docx
from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.meetings.tests.test_services import user
from tuijin.org.models import Unit
from tuijin.supervision.models import Feedback, SupervisionItem
from tuijin.supervision.tests.factories import make_item, person

TODAY = dt.date(2026, 11, 20)
SATURDAY = dt.datetime(2026, 11, 21, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai


@pytest.fixture
def meeting(org):
    meeting = Meeting.objects.create(
        kind=MeetingKind.ONSITE,
        title="城东产业园现场办公会(犇星项目)",
        starts_at=SATURDAY,
        place="城东产业园犇星项目现场",
        park=org["城东产业园"],
        chair=person("leader"),
        # As note-takers type them: half-width punctuation, the decisions written out again.
        minutes="会议听取了犇星项目推进情况汇报(含A区):进度滞后约两周!\n\n"
        "会议议定:\n"
        "一、限期拆除项目红线内两处违章建筑,完成场地清表。\n"
        "2.协调落实绿电保障指标\n"
        "\n会议指出,要压实责任;倒排工期。9:30前到岗,投资1,000万元。",
    )
    meeting.invited_units.set([org["住建局"], org["经济发展局"], org["城东产业园"]])
    for username, status in [
        ("duban", Attendance.Status.PRESENT),
        ("jingfa", Attendance.Status.PRESENT),
        ("jingfa_staff", Attendance.Status.PRESENT),
        ("ziran", Attendance.Status.PRESENT),
        ("zhaoshang", Attendance.Status.LEAVE),
        ("leader", Attendance.Status.PRESENT),
    ]:
        Attendance.objects.create(meeting=meeting, person=person(username), status=status)
    first = make_item(
        lead="住建局",
        co=("城东产业园", "自然资源和规划分局"),
        title="两处违章建筑拆除",
        deadline=dt.date(2026, 11, 24),
        result_standard="两处违章建筑拆除完毕,场地清表完成",
        responsible=person("jingfa_staff"),
    )
    second = make_item(
        lead="经济发展局",
        title="协调绿电指标",
        deadline=dt.date(2026, 12, 5),
        result_standard="绿电指标落实到企业",
    )
    Decision.objects.create(
        meeting=meeting, number=1, text="限期拆除项目红线内两处违章建筑,完成场地清表。", item=first
    )
    Decision.objects.create(meeting=meeting, number=2, text="协调落实绿电保障指标。", item=second)
    Decision.objects.create(meeting=meeting, number=3, text="下周六继续在现场办公。")
    return meeting


def parse_docx(meeting, today=TODAY) -> Document:
    buffer = io.BytesIO()
    minutes_docx(meeting, buffer, today=today)
    buffer.seek(0)
    return Document(buffer)


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def colophon(document) -> list[str]:
    """The 版记's lines: the paragraphs of the text box at the foot of the last page."""
    boxes = list(document.element.body.iter(qn("w:txbxContent")))
    assert len(boxes) == 1
    return [
        "".join(
            node.text if node.tag == qn("w:t") else "\t"
            for run in p.iter(qn("w:r"))
            for node in run
            if node.tag in (qn("w:t"), qn("w:tab"))
        )
        for p in boxes[0].iter(qn("w:p"))
        if p.find(f".//{qn('w:t')}") is not None
    ]


def east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_chinese_numbers():
    numbers = [chinese_number(n) for n in (1, 2, 9, 10, 11, 15, 20, 21, 99)]
    assert numbers == ["一", "二", "九", "十", "十一", "十五", "二十", "二十一", "九十九"]


def test_minutes_open_with_the_red_mark_number_date_and_title(meeting):
    meeting.minutes_kind, meeting.minutes_year, meeting.minutes_number = "onsite", 2026, 7
    meeting.minutes_issued_on = dt.date(2026, 11, 22)
    document = parse_docx(meeting)
    mark, number, issuer, title, *_rest = document.paragraphs
    assert mark.text == "随州高新区现场办公会议纪要"
    assert {str(run.font.color.rgb) for run in mark.runs} == {"FF0000"}
    assert east_asian_font(mark.runs[0]) == "方正小标宋简体"
    assert number.text == "〔2026〕7号" and number.alignment == 1  # centred
    assert issuer.text == "随州高新区督查室\t2026年11月22日"  # the issue date, not today
    rule = issuer._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"  # the red separator line
    assert title.text == "城东产业园现场办公会（犇星项目）纪要"  # full-width brackets
    assert title.runs[0].font.size == Pt(22) and east_asian_font(title.runs[0]) == "方正小标宋简体"
    lines = texts(document)
    assert "时间：2026年11月21日（星期六）09:30" in lines
    assert "地点：城东产业园犇星项目现场" in lines
    assert "主持：王立新" in lines


def test_unissued_minutes_say_so_and_date_today(meeting):
    document = parse_docx(meeting, today=dt.date(2026, 11, 23))
    assert document.paragraphs[1].text == "（待编号）"
    assert document.paragraphs[2].text == "随州高新区督查室\t2026年11月23日"
    assert colophon(document)[-1] == "随州高新区督查室\t2026年11月23日印发"


def test_each_decision_is_printed_once_with_its_unit_deadline_and_standard(meeting):
    lines = texts(parse_docx(meeting))
    start = lines.index("会议议定事项如下：")
    assert lines[start + 1 : start + 9] == [
        "一、限期拆除项目红线内两处违章建筑，完成场地清表。",
        "牵头单位：住建局；配合单位：自然资源和规划分局、城东产业园；责任人：刘洋；"
        "完成时限：2026年11月24日前。",
        "成效标准：两处违章建筑拆除完毕，场地清表完成",
        "二、协调落实绿电保障指标。",
        "牵头单位：经济发展局；完成时限：2026年12月5日前。",
        "成效标准：绿电指标落实到企业",
        "三、下周六继续在现场办公。",
        "会议指出，要压实责任；倒排工期。9:30前到岗，投资1,000万元。",
    ]
    # The minutes' own copy of the decisions and their heading are left out: once only.
    body = "\n".join(lines)
    assert body.count("两处违章建筑，完成场地清表") == 1
    assert body.count("绿电保障指标") == 1
    assert "会议议定：" not in body
    assert lines[start - 1] == "会议听取了犇星项目推进情况汇报（含A区）：进度滞后约两周！"


def test_decisions_follow_the_opening_when_the_minutes_have_no_heading(meeting):
    meeting.minutes = "会议听取汇报。\n协调落实绿电保障指标。"
    lines = texts(parse_docx(meeting))
    start = lines.index("会议议定事项如下：")
    assert lines[start - 1] == "会议听取汇报。"
    assert "\n".join(lines).count("绿电保障指标") == 1


def test_chinese_text_has_full_width_punctuation(meeting):
    document = parse_docx(meeting)
    half_width_in_chinese = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")
    everything = [*texts(document), *colophon(document)]
    assert [line for line in everything if half_width_in_chinese.search(line)] == []


def test_attendance_lists_present_sitting_in_and_on_leave(meeting):
    lines = texts(parse_docx(meeting))
    names = lines[-3:]
    assert names[0] == "出席：王立新"  # the chair and zone leaders
    assert names[1] == "列席：经济发展局刘洋、张强，自然资源和规划分局吴海燕，督查室李敏"
    assert names[2] == "请假：招商局陈晨"
    paragraph = parse_docx(meeting).paragraphs[-2]  # the anchor of the 版记 comes last
    assert paragraph.text.startswith("请假")
    assert east_asian_font(paragraph.runs[0]) == "黑体"


def test_the_colophon_names_distribution_issuer_and_date_between_lines(meeting):
    meeting.minutes_issued_on = dt.date(2026, 11, 22)
    document = parse_docx(meeting)
    assert colophon(document) == [
        "分送：区领导，经济发展局、住建局、城东产业园。",
        "随州高新区督查室\t2026年11月22日印发",
    ]
    box = next(document.element.body.iter(qn("w:txbxContent")))
    lines = [int(b.get(qn("w:sz"))) for b in box.iter(qn("w:bottom"))]
    assert lines == [8, 6, 8]  # thick, thin, thick
    anchor = box.getparent().getparent().getparent().getparent().getparent()
    position = anchor.find(qn("wp:positionV"))
    assert position.get("relativeFrom") == "margin"
    assert position.find(qn("wp:align")).text == "bottom"


def test_pages_carry_a_page_number_field_outside_the_text(meeting):
    document = parse_docx(meeting)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment  # odd pages right, even pages left
        instructions = [node.text.strip() for node in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.runs[0].font.size == Pt(14)


def test_minutes_layout_and_east_asian_fonts(meeting):
    document = parse_docx(meeting)
    section = document.sections[0]
    lengths = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(length.mm) for length in lengths] == [210, 297, 37, 35, 28, 26]
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    line, text_height = normal.paragraph_format.line_spacing.pt, 225 / 25.4 * 72
    assert line * 22 <= text_height < line * 23  # 22 lines a page
    fonts = {
        east_asian_font(run)
        for p in document.paragraphs[4:]  # after the 版头 and title
        for run in p.runs
        if run.text.strip()
    }
    assert fonts == {"仿宋_GB2312", "黑体", "楷体_GB2312"}
    font_table = next(
        p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    ).blob.decode()
    for name, alt in [("仿宋_GB2312", "仿宋"), ("方正小标宋简体", "宋体"), ("楷体_GB2312", "楷体")]:
        assert f'w:name="{name}"><w:altName w:val="{alt}"/>' in font_table


def test_a_long_title_breaks_between_words(meeting):
    meeting.title = "关于加快推进城东产业园人才公寓和文帝学校配套道路建设有关问题的会议"
    title = parse_docx(meeting).paragraphs[3]
    assert title.text == "关于加快推进城东产业园人才公寓和\n文帝学校配套道路建设有关问题的会议纪要"


def test_minutes_without_extras(org):
    meeting = Meeting.objects.create(
        kind=MeetingKind.DISPATCH, title="周日云视频调度会", starts_at=SATURDAY
    )
    document = parse_docx(meeting)
    lines = texts(document)
    assert lines[:4] == [
        "随州高新区项目调度会议纪要",
        "（待编号）",
        lines[2],
        "周日云视频调度会纪要",
    ]
    assert not any(line.startswith(("主持", "出席", "列席", "请假", "地点")) for line in lines)
    assert "会议议定事项如下：" not in lines
    assert colophon(document)[0] == "分送：区领导，各园区、各部门。"


# --- the 期号 -------------------------------------------------------------------------------


def download(client, meeting) -> Document:
    response = client.get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    assert response.status_code == 200
    return Document(io.BytesIO(b"".join(response.streaming_content)))


def onsite_on(day: dt.date, kind=MeetingKind.ONSITE, title="现场办公会") -> Meeting:
    return Meeting.objects.create(
        kind=kind,
        title=title,
        starts_at=dt.datetime.combine(day, dt.time(1), tzinfo=dt.UTC),
        park=Unit.objects.get(name="城东产业园"),
    )


@time_machine.travel(dt.datetime(2027, 1, 10, 2, tzinfo=dt.UTC), tick=False)
def test_the_number_is_given_once_and_counts_per_kind_and_year(org):
    leader = login_as("leader")
    first = onsite_on(dt.date(2026, 11, 21))
    assert download(leader, first).paragraphs[1].text == "〔2026〕1号"
    first.refresh_from_db()
    assert (first.minutes_number, first.minutes_issued_on) == (1, dt.date(2027, 1, 10))
    # Renamed, re-typed, downloaded again: the same number, series and 版头.
    Meeting.objects.filter(pk=first.pk).update(kind=MeetingKind.OTHER, title="改名的会")
    again = download(leader, first)
    assert [p.text for p in again.paragraphs[:2]] == ["随州高新区现场办公会议纪要", "〔2026〕1号"]
    numbers = [
        download(leader, meeting).paragraphs[1].text
        for meeting in (
            onsite_on(dt.date(2026, 11, 28)),
            onsite_on(dt.date(2026, 11, 29), kind=MeetingKind.DISPATCH),
            onsite_on(dt.date(2027, 1, 9)),
            onsite_on(dt.date(2026, 12, 5)),
        )
    ]
    assert numbers == ["〔2026〕2号", "〔2026〕1号", "〔2027〕1号", "〔2026〕3号"]
    event = AuditEvent.objects.filter(object_id=str(first.pk), action="issue_minutes").get()
    assert event.actor_repr and "minutes_number" in event.changes


@time_machine.travel(dt.datetime(2026, 11, 25, 2, tzinfo=dt.UTC), tick=False)
def test_readers_and_early_downloads_get_an_unnumbered_draft(org):
    leader = login_as("leader")
    meeting = onsite_on(dt.date(2026, 11, 21))
    meeting.invited_units.set([org["经济发展局"]])
    assert download(login_as("jingfa_staff"), meeting).paragraphs[1].text == "（待编号）"
    future = onsite_on(dt.date(2026, 11, 28))
    assert download(leader, future).paragraphs[1].text == "（待编号）"
    assert not Meeting.objects.filter(minutes_number__isnull=False).exists()
    assert download(leader, meeting).paragraphs[1].text == "〔2026〕1号"
    assert download(login_as("jingfa_staff"), meeting).paragraphs[1].text == "〔2026〕1号"


@time_machine.travel(dt.datetime(2026, 11, 25, 2, tzinfo=dt.UTC), tick=False)
def test_a_number_taken_meanwhile_makes_the_next_issue_retry(org, monkeypatch):
    """Two meetings of a series issued at once both read "last is 1": the unique (kind, year,
    number) refuses the second, which reads again and takes 3."""
    taken = onsite_on(dt.date(2026, 11, 14))
    services.issue_minutes(user("leader"), taken)
    other = onsite_on(dt.date(2026, 11, 21))
    services.issue_minutes(user("leader"), other)
    racing = onsite_on(dt.date(2026, 11, 22))
    real = QuerySet.aggregate
    stale = iter([{"last": 1}])  # read before `other` committed
    monkeypatch.setattr(
        QuerySet, "aggregate", lambda self, **kw: next(stale, None) or real(self, **kw)
    )
    issued = services.issue_minutes(user("duban"), racing)
    assert issued.minutes_number == 3
    assert sorted(Meeting.objects.values_list("minutes_number", flat=True)) == [1, 2, 3]


def read_xlsx(items) -> tuple[int, list[tuple]]:
    buffer = io.BytesIO()
    count = dispatch_xlsx(items, buffer, TODAY)
    buffer.seek(0)
    rows = table_rows(load_workbook(buffer).active)
    return count, rows


@pytest.fixture
def dispatch_items(org):
    late = make_item(lead="经济发展局", title="逾期事项", deadline=dt.date(2026, 11, 18))
    make_item(lead="经济发展局", title="临期事项", deadline=dt.date(2026, 11, 21))
    make_item(
        lead="经济发展局",
        title="远期事项",
        deadline=dt.date(2026, 12, 30),
        original_deadline=dt.date(2026, 12, 1),
        co=("招商局", "财政局"),
        responsible=person("jingfa_staff"),
    )
    make_item(lead="住建局", title="住建局远期", deadline=dt.date(2026, 12, 30))
    make_item(lead="住建局", title="住建局逾期", deadline=dt.date(2026, 11, 1), state="in_progress")
    make_item(lead="住建局", title="已办结", state="closed", closed_on_time=True)
    for day, text in [(17, "已拆除一处"), (19, "两处均已拆除,正在清表")]:
        Feedback.objects.create(
            item=late,
            text=text,
            submitted_by=person("jingfa"),
            submitted_at=dt.datetime(2026, 11, day, 2, tzinfo=dt.UTC),
        )


def test_dispatch_sheet_holds_every_open_item(dispatch_items):
    open_items = SupervisionItem.objects.open()
    count, rows = read_xlsx(open_items)
    header, rows = rows[0], rows[1:]
    assert header == (
        "序号",
        "牵头单位",
        "事项",
        "成效标准",
        "配合单位",
        "责任人",
        "办理期限",
        "原定期限",
        "状态",
        "灯色",
        "单位反馈进展",
        "最近核查结论",
    )
    assert count == len(rows) == open_items.count() == 5
    assert {row[2] for row in rows} == set(open_items.values_list("title", flat=True))
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    # Units in tree order (经济发展局 before 住建局), overdue first, then by deadline.
    assert [(row[1], row[2], row[9]) for row in rows] == [
        ("经济发展局", "逾期事项", "红"),
        ("经济发展局", "临期事项", "黄"),
        ("经济发展局", "远期事项", "绿"),
        ("住建局", "住建局逾期", "红"),
        ("住建局", "住建局远期", "绿"),
    ]
    late, far = rows[0], rows[2]
    assert "两处均已拆除,正在清表" in late[10] and "已拆除一处" not in late[10]  # the latest
    assert late[6].date() == dt.date(2026, 11, 18) and late[8] == "交办"
    assert far[4] == "招商局、财政局"  # in the zone's unit order
    assert far[5] == "刘洋"
    assert (far[6].date(), far[7].date()) == (dt.date(2026, 12, 30), dt.date(2026, 12, 1))
    assert far[10] is None or far[10] == ""
    assert rows[3][8] == "办理中"


def test_dispatch_sheet_queries_do_not_grow(org, django_assert_max_num_queries):
    for n in range(3):
        make_item(title=f"事项{n}", co=("招商局",), deadline=dt.date(2026, 11, 10 + n))
    with django_assert_max_num_queries(2):
        assert read_xlsx(SupervisionItem.objects.open())[0] == 3
    for n in range(17):
        make_item(lead="住建局", title=f"更多{n}", co=("财政局", "招商局"))
    with django_assert_max_num_queries(2):
        assert read_xlsx(SupervisionItem.objects.open())[0] == 20
