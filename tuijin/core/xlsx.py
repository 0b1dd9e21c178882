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
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from tuijin.core import archives, uploads

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")
FORMATS = {"date": "yyyy-mm-dd", "amount": "#,##0.00"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    """One write-only sheet. `columns` are (header, width, kind); kind "date" or "amount"
    formats the cell, anything else ("text", "int") is written as it is."""

    def __init__(self, title: str, columns, freeze: str = "B2"):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title)
        self.sheet.freeze_panes = freeze
        self.formats = [FORMATS.get(kind) for _header, _width, kind in columns]
        header = []
        for index, (title_, width, _kind) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
            cell = WriteOnlyCell(self.sheet, value=title_)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header.append(cell)
        self.sheet.append(header)
        self.rows = 0

    def append(self, values) -> None:
        row = []
        for value, number_format in zip(values, self.formats, strict=True):
            if needs_text_cell(value):
                row.append(text_cell(self.sheet, value))
            elif number_format and value is not None:
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = number_format
                row.append(cell)
            else:
                row.append(value)
        self.sheet.append(row)
        self.rows += 1

    def save(self, file) -> int:
        self.workbook.save(file)
        return self.rows


def fit_to_page_width(sheet, landscape: bool = False) -> None:
    """Printed on A4 with every column on the page's width (as many pages down as it takes)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
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


def sheet_rows(sheet, name: str, width: int) -> Iterator[tuple[int, tuple]]:
    """(row number as Excel shows it, ``width`` values) for each row, blank rows included.

    Only the first ``width`` columns are built (a row can name column XFD); a string longer
    than ``XLSX_MAX_CELL_CHARS`` is refused with its sheet, row and column.
    """
    limit = settings.XLSX_MAX_CELL_CHARS
    rows = sheet.iter_rows(min_row=1, max_col=width, values_only=True)
    number = 0
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
