"""Every .xlsx export prints (L11 part 9): a title row naming the unit, 截至日期 and 制表时间
above the header; A4 landscape, fit to the page's width; the header repeated on each page;
text wrapped; "第 N 页 共 M 页" in the footer.

The exports are found by their URLs (every named URL ending in .xlsx but the import
templates, whose header must stay the first row), so a new export is checked without being
listed here.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.test_every_url import named_patterns
from tuijin.core.xlsx import (
    A4_LANDSCAPE_WIDTH,
    SMALLEST_A4_SCALE,
    XLSX_CONTENT_TYPE,
    SheetWriter,
    table_rows,
)
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.projects.models import AnnualPlan, ProgressReport
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import ItemState
from tuijin.supervision.tests.factories import make_item, person
from tuijin.worklogs.models import WorkLog
from tuijin.worklogs.tests.factories import make_log, on_roster

pytestmark = pytest.mark.presentation

# The exports too wide for A4 (they print on A3, see core.xlsx.print_setup).
ON_A3 = {"projects:ledger_export", "supervision:item_export"}
EXPECTED = {
    "projects:ledger_export",
    "supervision:item_export",
    "supervision:unit_board_export",
    "supervision:leader_board_export",
    "worklogs:log_export",
    "worklogs:submissions_export",
    "meetings:dispatch_xlsx",
}


def export_names() -> set[str]:
    return {
        name
        for name, pattern in named_patterns()
        if str(pattern.pattern).endswith(".xlsx") and "template" not in name
    }


def test_the_walk_finds_every_export():
    assert export_names() >= EXPECTED


@pytest.fixture
def records(org):
    leader = person("leader")
    project = make_project(name="年产3万吨新能源电解液项目", leaders=["leader"])
    AnnualPlan.objects.create(project=project, year=2026, amount=Decimal(1200))
    ProgressReport.objects.create(
        project=project,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        narrative="主体结构施工",
        progress=40,
        investment=Decimal(300),
        submitted_at=dt.datetime(2026, 11, 3, 2, tzinfo=dt.UTC),
    )
    make_item(project=project)
    make_log()
    on_roster("jingfa_staff")
    return {
        "meeting": Meeting.objects.create(
            kind=MeetingKind.DISPATCH,
            title="周调度会",
            starts_at=dt.datetime(2026, 11, 21, 1, 30, tzinfo=dt.UTC),
            place="会议室",
            chair=leader,
        )
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_export_has_a_title_row_and_prints_landscape_at_a_readable_size(
    name, records, leader
):
    assert name in export_names()
    args = [records["meeting"].pk] if name == "meetings:dispatch_xlsx" else []
    response = leader.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    title, line = sheet["A1"], sheet["A2"].value
    assert title.value and title.font.b
    assert "单位:" in line and "截至日期:" in line and "制表时间:" in line
    header = SheetWriter.HEADER_ROW
    assert sheet.print_title_rows == f"${header}:${header}"
    assert all(c.value and c.alignment.wrap_text for c in sheet[header])
    data = [c for c in sheet[header + 1] if c.value is not None]
    assert data and all(c.alignment.wrap_text for c in data)
    assert sheet.freeze_panes.endswith(str(header + 1))

    setup = sheet.page_setup
    # A4, or A3 for a table that would print on A4 below 60 % (the ledger's 28 columns: 5 pt).
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", 8 if name in ON_A3 else 9)
    width = sum(d.width for d in sheet.column_dimensions.values())
    assert A4_LANDSCAPE_WIDTH * (1.41 if name in ON_A3 else 1) / width > SMALLEST_A4_SCALE
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"


def exported_rows(client, name) -> list[dict]:
    response = client.get(reverse(name))
    rows = table_rows(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.django_db
def test_board_exports_hold_the_pages_numbers_for_what_the_reader_sees(records, leader, outsider):
    (unit_row, total) = exported_rows(leader, "supervision:unit_board_export")
    assert (unit_row["牵头单位"], unit_row["未办结"], total["牵头单位"]) == (
        "经济发展局",
        1,
        "合计",
    )
    (leader_row,) = exported_rows(leader, "supervision:leader_board_export")
    assert (leader_row["包保领导"], leader_row["未办结"], leader_row["事项总数"]) == (
        "王立新",
        1,
        1,
    )
    (submission,) = exported_rows(leader, "worklogs:submissions_export")
    assert (submission["单位"], submission["应交"]) == ("经济发展局", 1)

    assert exported_rows(outsider, "supervision:unit_board_export") == []
    assert exported_rows(outsider, "supervision:leader_board_export") == []


@pytest.mark.django_db
def test_exports_stay_chinese_in_the_english_ui(records, leader):
    leader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (item,) = exported_rows(leader, "supervision:item_export")
    (log,) = exported_rows(leader, "worklogs:log_export")
    with translation.override("zh-hans"):
        assert item["状态"] == str(ItemState.ASSIGNED.label)
        assert log["类型"] == str(WorkLog.Kind.WEEKEND.label)
