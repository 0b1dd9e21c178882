"""Writing .xlsx sheets the same way everywhere: streamed (write-only), a styled frozen header,
typed columns (dates as real Excel dates, amounts with thousands separators)."""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")
FORMATS = {"date": "yyyy-mm-dd", "amount": "#,##0.00"}


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
            if number_format and value is not None:
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
