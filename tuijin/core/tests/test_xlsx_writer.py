"""core.xlsx.SheetWriter: a write-only workbook whose cells take named styles made once, so
a large export neither holds its rows nor restyles every cell."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles.styleable import StyleDescriptor

from tuijin.core.xlsx import (
    CELL_STYLES,
    HEADER_STYLE,
    TITLE_STYLE,
    XLSX_CONTENT_TYPE,
    SheetWriter,
    text_lines,
    xlsx_download,
)

COLUMNS = [
    ("名称", 20, "text"),
    ("日期", 10, "date"),
    ("金额", 10, "amount"),
    ("数量", 6, "int"),
    ("时间", 16, "text"),
]
NOON = dt.datetime(2026, 5, 1, 9, 30)  # noqa: DTZ001  (Excel has no time zones)
ROW = ["甲", dt.date(2026, 5, 1), Decimal("1234.5"), 3, NOON]


def written(rows, while_writing=None, **options):
    """The writer and its saved sheet read back; `while_writing` (a monkeypatch) is undone
    before the reading."""
    writer = SheetWriter("表", COLUMNS, unit="经济发展局", **options)
    for values in rows:
        writer.append(values)
    out = io.BytesIO()
    assert writer.save(out) == len(rows)
    if while_writing is not None:
        while_writing.undo()
    return writer, load_workbook(io.BytesIO(out.getvalue())).active


def test_the_workbook_is_write_only(org):
    writer, _sheet = written([ROW])
    assert writer.workbook.write_only
    with pytest.raises(AttributeError):
        writer.sheet.cell(1, 1)  # a streamed sheet has no random access: rows are gone


def test_cells_take_the_named_styles(org):
    _writer, sheet = written([ROW, ["=1+1", None, None, None, None]])
    names = set(sheet.parent.named_styles)
    assert {TITLE_STYLE, HEADER_STYLE, *CELL_STYLES.values()} <= names
    assert sheet["A1"].style == TITLE_STYLE and sheet["A1"].font.size == 16
    header = sheet[f"A{SheetWriter.HEADER_ROW}"]
    assert (
        header.style == HEADER_STYLE
        and header.font.b
        and header.fill.fgColor.rgb.endswith("9B1C1C")
    )
    assert header.alignment.wrap_text
    name, day, amount, count, time = sheet[SheetWriter.HEADER_ROW + 1]
    assert [c.style for c in (name, day, amount, count)] == ["正文", "正文日期", "正文金额", "正文"]
    assert day.number_format == "yyyy-mm-dd" and amount.number_format == "#,##0.00"
    assert name.alignment.wrap_text and name.alignment.vertical == "top"
    # A datetime in a text column keeps the date format openpyxl gives it.
    assert time.is_date and time.value == NOON
    formula = sheet.cell(SheetWriter.HEADER_ROW + 2, 1)
    assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix
    assert sheet.cell(SheetWriter.HEADER_ROW + 2, 2).number_format == "General"  # empty


def test_no_cell_is_styled_one_by_one(org, monkeypatch):
    """Fonts, fills and alignments are set on the named styles only: assigning them per cell
    hashed each style object every time (most of a large export's time)."""

    def refuse(self, instance, value):
        raise AssertionError(f"{self.key} set on a cell")

    monkeypatch.setattr(StyleDescriptor, "__set__", refuse)
    _writer, sheet = written([ROW] * 50, while_writing=monkeypatch)
    assert sheet.max_row == SheetWriter.HEADER_ROW + 50


def test_print_setup_and_frozen_header_are_kept(org):
    _writer, sheet = written([ROW], freeze="C2")
    assert sheet.freeze_panes == f"C{SheetWriter.HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${SheetWriter.HEADER_ROW}:${SheetWriter.HEADER_ROW}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.column_dimensions["A"].width == 20
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}


def test_a_wrapped_chinese_text_gets_the_height_of_its_lines(org):
    """LibreOffice sets Chinese in Noto Sans CJK, 16 pt a line at 11 pt: at 15 pt a line (as
    for Latin text) the last line of a long cell printed cut in half."""
    text = "深圳吉瑞达二期标准化厂房(缺170.00亩,2027年第二季度开工)"
    lines = text_lines(text, 20)
    assert lines == 3
    _writer, sheet = written([[text, None, None, None, None], ROW])
    row = SheetWriter.HEADER_ROW + 1
    assert sheet.row_dimensions[row].height >= lines * 16.5
    assert sheet.row_dimensions[row + 1].height is None  # one line: the program's own height


def test_a_download_is_written_to_a_file_and_closed_when_the_writer_fails():
    def write(file):
        book = Workbook()
        book.active.append(["项目名称"])
        book.save(file)

    response = xlsx_download(write, "项目台账-20261207.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "20261207.xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).active["A1"].value == (
        "项目名称"
    )

    seen = []

    def fail(file):
        seen.append(file)
        raise ValueError("坏数据")

    with pytest.raises(ValueError):
        xlsx_download(fail, "x.xlsx")
    assert seen[0].closed  # the temporary file is not left open for the garbage collector
