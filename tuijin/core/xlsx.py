"""Writing .xlsx sheets the same way everywhere: streamed (write-only), a styled frozen header,
typed columns (dates as real Excel dates, amounts with thousands separators), and every string
written as the text typed, never as a formula.

Exports are data: a log text ``=HYPERLINK("http://evil","x")`` must open as that text, not as a
live link. openpyxl makes any string starting with ``=`` a formula and ``#N/A`` an error cell;
a string starting with ``+ - @``, a tab or a carriage return becomes a formula when a user
re-enters the cell or pastes it into another program. Such strings are written as string cells
(``t="inlineStr"``) with Excel's quote-prefix style, which keeps them text if the cell is
edited; the value itself is unchanged (no ``'`` added). Characters XML cannot hold (control
characters other than tab and line breaks) are dropped instead of failing the whole export.
"""

import datetime as dt
import math
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import copy

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.styles.borders import DEFAULT_BORDER
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter

from tuijin.core import archives, uploads

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(write: Callable, filename: str) -> FileResponse:
    """A download of the workbook ``write(file)`` writes: into a temporary file, not memory (a
    zone-scale ledger has tens of thousands of rows), closed by the response once sent."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    try:
        write(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(bold=True, size=16)
CELL_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
# Points per wrapped line: a Chinese line of the default 11 pt font is taller than a Latin one
# (LibreOffice sets it in Noto Sans CJK, 1.45 em = 16 pt, plus the cell's margin); at 15 pt
# the last line of a long cell printed cut in half.
LINE_HEIGHT = 17
MAX_ROW_LINES = 20
PAPERSIZE_A4 = "9"  # Worksheet.PAPERSIZE_A4 (a write-only sheet lacks the constant)
PAPERSIZE_A3 = "8"
# Column widths (Excel's units, about 2 mm each) that A4 landscape holds at full size between
# print_setup's margins, and the smallest scale a table is printed at on A4: a wider one is set
# for A3, as offices print their wide 台账 (the 项目台账's 28 columns came out at about 5 pt).
A4_LANDSCAPE_WIDTH = 140
SMALLEST_A4_SCALE = 0.6
PAGE_FOOTER = "第 &P 页 共 &N 页"
FORMATS = {"date": "yyyy-mm-dd", "amount": "#,##0.00"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The sheet's named styles (Excel's 单元格样式), added once per workbook. A cell takes its
# style's array of ids: assigning font, fill and alignment objects cell by cell hashes each
# object every time, and that was most of an export's time.
TITLE_STYLE, LINE_STYLE, HEADER_STYLE = "表格标题", "表格说明", "表头"
CELL_STYLES = {None: "正文", "date": "正文日期", "amount": "正文金额"}


def named_styles() -> list[NamedStyle]:
    """The styles a SheetWriter's workbook carries (new objects: a style binds to one workbook).
    Font and border default to the workbook's own, so a body cell looks as an unstyled one."""

    def style(name, font=DEFAULT_FONT, **rest):
        return NamedStyle(name, font=font, border=DEFAULT_BORDER, **rest)

    return [
        style(TITLE_STYLE, font=TITLE_FONT, alignment=Alignment(horizontal="center")),
        style(LINE_STYLE, alignment=Alignment(horizontal="left")),
        style(HEADER_STYLE, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT),
        *(
            style(name, alignment=CELL_ALIGNMENT, number_format=FORMATS.get(kind))
            for kind, name in CELL_STYLES.items()
        ),
    ]


def needs_text_cell(value) -> bool:
    """A string that a plain cell would not keep as typed (see the module's docstring)."""
    return isinstance(value, str) and (
        value.startswith(FORMULA_STARTS)
        or value in ERROR_CODES
        or ILLEGAL_CHARACTERS_RE.search(value) is not None
    )


def as_text(cell) -> None:
    """Make `cell` (holding a string) a text cell: no formula, no error code, shown as typed."""
    cell.data_type = "s"
    cell.quotePrefix = True


def text_cell(sheet, value: str):
    """A write-only cell holding `value` as text."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    as_text(cell)
    return cell


def keep_text(workbook) -> None:
    """For a normal (not write-only) workbook before it is saved: every string cell that
    openpyxl took for a formula or an error code becomes text. (Our writers write no formulas;
    a data validation's list is not a cell.)"""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and needs_text_cell(cell.value):
                    as_text(cell)


class SheetWriter:
    """One write-only sheet, ready to print. `columns` are (header, width, kind); kind "date" or
    "amount" formats the cell, anything else ("text", "int") is written as it is.

    Above the header: a title row (`heading`, default the sheet's title) and a line naming the
    unit, 截至日期 (`as_of`, default today) and 制表时间. Printed: A4 landscape (A3 when the
    columns are too wide for A4), every column on the page's width, the header repeated on each
    page, text wrapped, "第 N 页 共 M 页" in the footer. `freeze` names the first unfrozen cell as if the header were row 1 (``"B2"``:
    the header and column A stay in view); the title rows scroll away. ``titled=False`` leaves
    the title rows out (an import template, whose header must be the first row).
    """

    HEADER_ROW = 3  # the header's row number as Excel shows it (readers skip the rows above)

    def __init__(
        self,
        title: str,
        columns,
        freeze: str = "B2",
        *,
        heading: str = "",
        unit: str = "",
        as_of: dt.date | None = None,
        titled: bool = True,
    ):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title)
        # Every row appended is a list of our own cells: give them their places and skip
        # openpyxl's conversion (which tries each cell as a value, fails, and makes a spare).
        self.sheet._values_to_row = _placed_cells
        self.styles = {}  # named style -> the array of ids its cells take
        for style in named_styles():
            self.workbook.add_named_style(style)
            self.styles[style.name] = style.as_tuple()
        plain = self.styles[CELL_STYLES[None]]
        self.quoted = copy(plain)  # text that a plain cell would take for a formula
        self.quoted.quotePrefix = True
        # Per column: the style of a value (a date or amount format) and of an empty cell.
        self.column_styles = [
            (self.styles[CELL_STYLES.get(kind if kind in FORMATS else None)], plain)
            for _header, _width, kind in columns
        ]
        widths = [width for _header, width, _kind in columns]
        self.widths = widths
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        # Set before the first row: a write-only sheet writes its views and properties then.
        column = re.match(r"[A-Z]*", freeze.upper()).group()
        self.header_row = self.HEADER_ROW if titled else 1
        self.written = 0  # rows written so far, title rows included
        self.sheet.freeze_panes = f"{column or 'A'}{self.header_row + 1}"
        print_setup(self.sheet, header_row=self.header_row, width=sum(widths))
        if titled:
            self._title_rows(heading or title, unit, as_of, len(widths))
        header = [self._cell(title_, HEADER_STYLE) for title_, _width, _kind in columns]
        self._append(header, [title_ for title_, _width, _kind in columns])
        self.rows = 0

    def _title_rows(self, heading: str, unit: str, as_of, width: int) -> None:
        now = timezone.localtime()
        as_of = as_of or now.date()
        with translation.override(settings.LANGUAGE_CODE):  # the sheet's language, not the UI's
            parts = [_("单位:%(unit)s") % {"unit": unit}] if unit else []
            parts.append(_("截至日期:%(date)s") % {"date": cn_day(as_of)})
            parts.append(_("制表时间:%(time)s") % {"time": f"{cn_day(now)} {now:%H:%M}"})
        title = self._cell(ILLEGAL_CHARACTERS_RE.sub("", heading), TITLE_STYLE)
        line = self._cell(ILLEGAL_CHARACTERS_RE.sub("", "    ".join(parts)), LINE_STYLE)
        for value in (title, line):
            as_text(value)  # a unit named "=…" stays text
            self.sheet.append([value])
            self.written += 1
        last = get_column_letter(max(width, 1))
        if width > 1:
            self.sheet.merged_cells.add(f"A1:{last}1")
            self.sheet.merged_cells.add(f"A2:{last}2")

    def _cell(self, value, style: str):
        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = copy(self.styles[style])
        return cell

    def append(self, values) -> None:
        sheet, row = self.sheet, []
        for value, (style, empty) in zip(values, self.column_styles, strict=True):
            if value is None:
                cell = WriteOnlyCell(sheet)
                cell._style = empty  # shared: openpyxl only reads a cell's array
            elif isinstance(value, str) and needs_text_cell(value):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"
                cell._style = self.quoted
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if cell._style is None:
                    cell._style = style
                else:  # openpyxl gave a date or time its format: kept unless the column's
                    own_format, cell._style = cell._style.numFmtId, copy(style)
                    cell._style.numFmtId = style.numFmtId or own_format
            row.append(cell)
        self._append(row, values)
        self.rows += 1

    def _append(self, cells, values) -> None:
        """Write a row as tall as its longest wrapped text: spreadsheet programs do not work
        the height out when they open the file (LibreOffice prints one cut line)."""
        self.written += 1
        lines = max(map(text_lines, values, self.widths), default=1)
        if lines > 1:
            self.sheet.row_dimensions[self.written].height = min(lines, MAX_ROW_LINES) * LINE_HEIGHT
        self.sheet.append(cells)  # a write-only sheet writes the row now
        self.sheet.row_dimensions.pop(self.written, None)

    def save(self, file) -> int:
        self.workbook.save(file)
        return self.rows


def _placed_cells(cells, row: int):
    """The write-only sheet's ``_values_to_row`` for rows of ``WriteOnlyCell``s."""
    for column, cell in enumerate(cells, start=1):
        cell.column, cell.row = column, row
        yield cell


def text_lines(value, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a Chinese character
    is two characters wide)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(width - 1, 2)
    # Width from the UTF-8 length (a Chinese character takes 3 bytes and 2 columns): no loop
    # over the characters in Python.
    return sum(
        max(
            1,
            math.ceil(
                (len(part) + (len(part.encode(errors="replace")) - len(part)) // 2) / per_line
            ),
        )
        for part in value.splitlines() or [""]
    )


def cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def print_setup(sheet, header_row: int | None = None, width: float = 0) -> None:
    """A4 landscape (A3 for columns of a total `width` too wide for A4), fit to the page's
    width, narrow margins, the header row repeated on each page and "第 N 页 共 M 页" in the
    footer."""
    fit_to_page_width(sheet, landscape=True)
    if width > A4_LANDSCAPE_WIDTH / SMALLEST_A4_SCALE:
        sheet.page_setup.paperSize = PAPERSIZE_A3
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = PAGE_FOOTER
    sheet.evenFooter.center.text = PAGE_FOOTER


def table_rows(sheet) -> list[tuple]:
    """The values of a sheet (opened normally, not read-only) from its header row on: an
    export's title rows left out, found by the header row its printing repeats."""
    match = re.search(r"\$(\d+):", sheet.print_title_rows or "")
    first = int(match.group(1)) if match else 1
    return list(sheet.iter_rows(min_row=first, values_only=True))


def header_row_of(rows, first_header: str) -> int:
    """The index in `rows` (value tuples) of the header row starting with `first_header`: an
    export's header is below its title rows, a template's is the first row. -1 if none."""
    for index, row in enumerate(rows):
        if row and row[0] == first_header:
            return index
    return -1


def fit_to_page_width(sheet, landscape: bool = False) -> None:
    """Printed on A4 with every column on the page's width (as many pages down as it takes)."""
    sheet.page_setup.paperSize = PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# --- reading uploads (the projects, organisation and holiday imports) --------------------------


class XlsxRefused(ValueError):
    """An upload that is not read: the message (Chinese, translated) names the file, the place, the limit."""


@contextmanager
def open_workbook(file, name: str):
    """A read-only workbook (values, not formulas) of an uploaded .xlsx, opened only if its
    content is a spreadsheet and it unpacks within the archive limits (``core.archives``:
    entries, total size, ratio, counted while decompressing). Raises ``XlsxRefused``."""
    file.seek(0, 2)
    empty = file.tell() == 0
    file.seek(0)
    if empty:
        raise XlsxRefused(
            _("“%(name)s”是空文件(0 字节),请选择填写好的 .xlsx 文件。") % {"name": name}
        )
    try:
        content_type = uploads.detect(file, name)
        if content_type == uploads.OLE:
            raise XlsxRefused(uploads.OLD_OFFICE % {"name": name})
        if content_type != uploads.XLSX:
            raise XlsxRefused(uploads.SPREADSHEET.refusal % {"name": name})
        archives.check_archive(file, name)
    except archives.ArchiveRefused as error:
        raise XlsxRefused(str(error)) from None
    try:
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken package; all mean the same here
        raise XlsxRefused(
            _(
                "无法读取“%(name)s”:它不是有效的 Excel .xlsx 文件。请用 Excel 或 WPS 另存为 .xlsx "
                "后重新上传。"
            )
            % {"name": name}
        ) from None
    try:
        if not workbook.worksheets:
            raise XlsxRefused(_("“%(name)s”中没有工作表。") % {"name": name})
        yield workbook
    finally:
        workbook.close()


# A sheet's data ends at the first run of this many blank rows. openpyxl reaches a row far
# below through every missing row in between, one by one: a row that Excel formats at the foot
# of the sheet (1,048,576) took 20 s, and a 5 KB file naming row 1,000,000,000 held a worker
# until gunicorn's timeout killed it.
BLANK_RUN_ENDS_SHEET = 10_000


def sheet_rows(sheet, name: str, width: int) -> Iterator[tuple[int, tuple]]:
    """(row number as Excel shows it, ``width`` values) for each row, blank rows included, up
    to the first run of ``BLANK_RUN_ENDS_SHEET`` blank rows.

    Only the first ``width`` columns are built (a row can name column XFD); a string longer
    than ``XLSX_MAX_CELL_CHARS`` is refused with its sheet, row and column.
    """
    limit = settings.XLSX_MAX_CELL_CHARS
    rows = sheet.iter_rows(min_row=1, max_col=width, values_only=True)
    number = blank_run = 0
    while True:
        number += 1
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # the sheet's XML is parsed as rows are read: broken XML, bad values
            raise XlsxRefused(
                _(
                    "无法读取“%(name)s”的“%(sheet)s”表(第%(row)s行附近):文件已损坏。"
                    "请用 Excel 或 WPS 另存为 .xlsx 后重新上传。"
                )
                % {"name": name, "sheet": sheet.title, "row": number}
            ) from None
        values = (*values[:width], *[None] * (width - len(values)))
        blank_run = blank_run + 1 if all(v is None or v == "" for v in values) else 0
        if blank_run >= BLANK_RUN_ENDS_SHEET:
            return
        for index, value in enumerate(values):
            if isinstance(value, str) and len(value) > limit:
                raise XlsxRefused(
                    _(
                        "“%(name)s”的“%(sheet)s”表第%(row)s行 %(column)s列"
                        "有 %(chars)s 个字符,超过单元格 %(limit)s 个字符的上限。"
                    )
                    % {
                        "name": name,
                        "sheet": sheet.title,
                        "row": number,
                        "column": get_column_letter(index + 1),
                        "chars": f"{len(value):,}",
                        "limit": f"{limit:,}",
                    }
                )
        yield number, values


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing .0 (codes and phone numbers typed as
    numbers), dates as 2026-05-01, surrounding blanks dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):  # a datetime too: the imports read days
        return f"{value:%Y-%m-%d}"
    return str(value).strip()
