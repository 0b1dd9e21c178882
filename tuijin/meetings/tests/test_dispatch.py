"""The Sunday dispatch: what changed since the last one, one line per item, grouped by unit,
overdue first; the 调度表 .xlsx with each item's latest verdict beside the unit's claim."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.utils import translation
from openpyxl import load_workbook

from tuijin.core.xlsx import table_rows
from tuijin.meetings import services
from tuijin.meetings.dispatch import dispatch_xlsx, item_changes
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.org.models import Person
from tuijin.supervision.models import Feedback, ItemActivity, SupervisionItem, Verification
from tuijin.supervision.tests.factories import make_item

CST = ZoneInfo("Asia/Shanghai")
LAST_SUNDAY = dt.datetime(2026, 11, 22, 19, tzinfo=CST)
SUNDAY = dt.datetime(2026, 11, 29, 19, tzinfo=CST)
TODAY = dt.date(2026, 11, 29)


def at(day, hour=10):
    return dt.datetime(2026, 11, day, hour, tzinfo=CST)


def person(username):
    return Person.objects.get(user__username=username)


def log(item, verb, day, text=""):
    ItemActivity.objects.create(item=item, verb=verb, at=at(day), text=text)


def report(item, day, text, claims_done=True):
    return Feedback.objects.create(
        item=item,
        text=text,
        claims_done=claims_done,
        submitted_by=person("jingfa"),
        submitted_at=at(day),
    )


def verify(item, day, result, notes, feedback=None):
    return Verification.objects.create(
        item=item,
        feedback=feedback,
        result=result,
        notes=notes,
        verified_by=person("duban"),
        verified_at=at(day, 15),
        unit=item.lead_unit,
    )


def busy_week():
    """An item with a week of rows: 签收, 开始办理, 反馈, 核查不属实 (退回), 延期, 催办 × 2."""
    item = make_item(
        lead="经济发展局",
        title="人才公寓:完成地块清表",
        state="in_progress",
        deadline=dt.date(2026, 12, 5),
        original_deadline=dt.date(2026, 11, 30),
    )
    log(item, "accept", 23)
    log(item, "start", 23)
    log(item, "urge", 24, "第1次催办")
    feedback = report(item, 25, "地块清表已完成,违建已全部拆除。")
    log(item, "report", 25)
    verify(item, 26, Verification.Result.UNTRUE, "现场仍有一处违建在使用,反馈不实。", feedback)
    log(item, "return", 26, "核查不属实,退回重办")
    log(item, "decide_extension", 27, "同意延至2026年12月5日。需协调拆迁户")
    log(item, "urge", 28, "第2次催办")
    return item


def test_changes_since_the_last_dispatch_are_one_line_per_item(org):
    item = busy_week()
    overdue = make_item(lead="经济发展局", title="已超期事项", deadline=dt.date(2026, 11, 25))
    log(overdue, "accept", 24)
    new = make_item(lead="招商局", title="新交办事项", deadline=dt.date(2026, 12, 10))
    log(new, "assign", 28)
    urged_only = make_item(lead="招商局", title="只被催办", deadline=dt.date(2026, 12, 10))
    log(urged_only, "urge", 27)
    before = make_item(lead="住建局", title="上周以前的变化")
    log(before, "accept", 20)

    changes = item_changes(LAST_SUNDAY, SUNDAY, TODAY)

    assert [c.item.title for c in changes] == ["已超期事项", item.title, "新交办事项"]
    assert [c.overdue for c in changes] == [True, False, False]
    assert changes[1].text == (
        "人才公寓:完成地块清表:状态转为“办理中”;报告完成:地块清表已完成,违建已全部拆除;"
        "核查不属实:现场仍有一处违建在使用,反馈不实;期限:同意延至2026年12月5日"
    )
    assert changes[2].parts == ["新交办,期限2026年12月10日"]


def test_the_dispatch_agenda_lists_the_changes_by_unit(org, django_assert_max_num_queries):
    Meeting.objects.create(kind=MeetingKind.DISPATCH, title="上周调度", starts_at=LAST_SUNDAY)
    meeting = Meeting.objects.create(kind=MeetingKind.DISPATCH, title="调度", starts_at=SUNDAY)
    busy_week()
    for n in range(5):
        log(
            make_item(lead="招商局", title=f"招商事项{n}", deadline=dt.date(2026, 12, 9)),
            "start",
            24,
        )
    with django_assert_max_num_queries(8):  # the same for 6 items or 60
        sections = services.propose_agenda(meeting, TODAY)
    changes = sections[-1]
    assert changes.title == "上次调度以来的变化"
    assert len(changes.lines) == 6  # one per item, not one per timeline row (16)
    assert [line.group for line in changes.lines] == ["经济发展局"] + ["招商局"] * 5
    text = services.agenda_text([changes])
    assert text.splitlines()[:3] == [
        "1. 上次调度以来的变化",
        "   经济发展局",
        "   - 人才公寓:完成地块清表:状态转为“办理中”;报告完成:地块清表已完成,违建已全部拆除;"
        "核查不属实:现场仍有一处违建在使用,反馈不实;期限:同意延至2026年12月5日",
    ]
    assert text.splitlines()[3] == "   招商局"


def read_sheet(items):
    buffer = io.BytesIO()
    count = dispatch_xlsx(items, buffer, TODAY, heading="调度表")
    buffer.seek(0)
    return count, table_rows(load_workbook(buffer).active)


def test_the_sheet_shows_the_latest_verdict_beside_the_units_claim(org):
    untrue = busy_week()
    true = make_item(lead="招商局", title="已核实事项", state="reported")
    feedback = report(true, 24, "两家配套企业已签约。")
    verify(true, 20, Verification.Result.PARTLY, "只见到一份协议。")
    verify(true, 25, Verification.Result.TRUE, "查阅签约协议,属实。", feedback)
    make_item(lead="住建局", title="未反馈事项", state="accepted")

    with translation.override("en"):  # the sheet is Chinese whatever the UI language
        count, rows = read_sheet(SupervisionItem.objects.open())

    assert count == 3
    header, *rows = rows
    assert header[-2:] == ("单位反馈进展", "最近核查结论")
    by_title = {row[2]: row for row in rows}
    assert by_title[untrue.title][-2:] == (
        "2026年11月25日:地块清表已完成,违建已全部拆除。",
        "不属实(2026年11月26日):现场仍有一处违建在使用,反馈不实。",
    )
    assert by_title["已核实事项"][-1] == "属实(2026年11月25日):查阅签约协议,属实。"
    assert by_title["未反馈事项"][-2:] == (None, None)


def test_the_sheet_costs_two_queries_whatever_the_number_of_items(
    org, django_assert_max_num_queries
):
    for n in range(10):
        item = make_item(lead="招商局", title=f"事项{n}", co=["住建局"])
        verify(item, 25, Verification.Result.UNTRUE, "不实", report(item, 24, "已完成"))
    with django_assert_max_num_queries(2):
        count, _rows = read_sheet(SupervisionItem.objects.open())
    assert count == 10
