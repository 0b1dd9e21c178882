"""The meeting's documents: 会议纪要 (.docx) parsed back, 调度表 (.xlsx) read back."""

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from tuijin.core.xlsx import table_rows
from tuijin.meetings.documents import chinese_number, dispatch_xlsx, minutes_docx
from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.supervision.models import Feedback, SupervisionItem
from tuijin.supervision.tests.factories import make_item, person

TODAY = dt.date(2026, 11, 20)
SATURDAY = dt.datetime(2026, 11, 21, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai


@pytest.fixture
def meeting(org):
    meeting = Meeting.objects.create(
        kind=MeetingKind.ONSITE,
        title="城东产业园现场办公会",
        starts_at=SATURDAY,
        place="城东产业园犇星项目现场",
        park=org["城东产业园"],
        chair=person("leader"),
        minutes="会议听取了犇星项目推进情况汇报。\n\n会议指出,要压实责任、倒排工期。",
    )
    for username, status in [
        ("duban", Attendance.Status.PRESENT),
        ("jingfa", Attendance.Status.PRESENT),
        ("jingfa_staff", Attendance.Status.PRESENT),
        ("ziran", Attendance.Status.PRESENT),
        ("zhaoshang", Attendance.Status.LEAVE),
    ]:
        Attendance.objects.create(meeting=meeting, person=person(username), status=status)
    first = make_item(
        lead="住建局",
        co=("城东产业园", "自然资源和规划分局"),
        title="两处违章建筑拆除",
        deadline=dt.date(2026, 11, 24),
    )
    second = make_item(lead="经济发展局", title="协调绿电指标", deadline=dt.date(2026, 12, 5))
    Decision.objects.create(
        meeting=meeting, number=1, text="限期拆除项目红线内两处违章建筑,完成场地清表。", item=first
    )
    Decision.objects.create(meeting=meeting, number=2, text="协调落实绿电保障指标。", item=second)
    Decision.objects.create(meeting=meeting, number=3, text="下周六继续在现场办公。")
    return meeting


def parse_docx(meeting) -> Document:
    buffer = io.BytesIO()
    minutes_docx(meeting, buffer)
    buffer.seek(0)
    return Document(buffer)


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_chinese_numbers():
    numbers = [chinese_number(n) for n in (1, 2, 9, 10, 11, 15, 20, 21, 99)]
    assert numbers == ["一", "二", "九", "十", "十一", "十五", "二十", "二十一", "九十九"]


def test_minutes_hold_the_heading_lines(meeting):
    document = parse_docx(meeting)
    lines = texts(document)
    assert lines[0] == "城东产业园现场办公会纪要"
    assert "时间:2026年11月21日 09:30" in lines
    assert "地点:城东产业园犇星项目现场" in lines
    assert "主持:王立新" in lines
    present = next(line for line in lines if line.startswith("出席:"))
    assert "经济发展局:刘洋、张强" in present
    assert "督查室:李敏" in present
    assert "自然资源和规划分局:吴海燕" in present
    assert "陈晨" not in present
    assert next(line for line in lines if line.startswith("请假:")) == "请假:招商局:陈晨"
    assert lines[-2:] == ["随州高新区督查室", "2026年11月21日"]


def test_minutes_number_the_decisions_with_units_and_deadlines(meeting):
    lines = texts(parse_docx(meeting))
    start = lines.index("会议议定事项如下:")
    assert lines[start + 1 : start + 4] == [
        "一、限期拆除项目红线内两处违章建筑,完成场地清表。"
        "(牵头单位:住建局;配合单位:自然资源和规划分局、城东产业园;完成时限:2026年11月24日)",
        "二、协调落实绿电保障指标。(牵头单位:经济发展局;完成时限:2026年12月5日)",
        "三、下周六继续在现场办公。",
    ]
    body = lines.index("会议纪要正文")
    assert lines[body + 1 : body + 3] == [
        "会议听取了犇星项目推进情况汇报。",
        "会议指出,要压实责任、倒排工期。",
    ]


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
    assert [round(length.cm, 2) for length in lengths] == [21, 29.7, 3.7, 3.5, 2.8, 2.6]
    title = document.paragraphs[0]
    assert title.alignment == 1  # centred
    assert title.runs[0].bold and title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_runs = [run for p in document.paragraphs[1:] for run in p.runs if run.text.strip()]
    fonts = {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in body_runs}
    assert fonts <= {"仿宋_GB2312", "黑体"} and "仿宋_GB2312" in fonts
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.paragraph_format.line_spacing == 1.5
    assert document.paragraphs[-1].alignment == 2  # right
    font_table = next(
        p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    )
    assert "仿宋_GB2312".encode() in font_table.blob and "仿宋".encode() in font_table.blob


def test_minutes_without_extras(org):
    meeting = Meeting.objects.create(
        kind=MeetingKind.DISPATCH, title="周日云视频调度会", starts_at=SATURDAY
    )
    lines = texts(parse_docx(meeting))
    assert lines[0] == "周日云视频调度会纪要"
    assert not any(line.startswith(("主持", "出席", "请假", "地点")) for line in lines)
    assert "会议议定事项如下:" not in lines and "会议纪要正文" not in lines
    assert lines[-2:] == ["随州高新区督查室", "2026年11月21日"]


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
        "进展",
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
    assert late[10] == "两处均已拆除,正在清表"  # the latest feedback
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
