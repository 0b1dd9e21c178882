"""节假日调整 from a small .xlsx (columns 日期 / 是否上班 / 说明): checked in full before
anything is saved, with core's bounded .xlsx reader and the projects import's date cleaner and
row messages."""

import datetime as dt
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from tuijin.core.xlsx import SheetWriter, XlsxRefused, cell_text, open_workbook, sheet_rows
from tuijin.projects.excel import RowError, clean_date
from tuijin.projects.excel.importer import MONTH_ONLY, CellError

HEADERS = ["日期", "是否上班", "说明"]
MAX_ROWS = 400  # a year's arrangement is some 40 rows
NOTE_LENGTH = 50  # HolidayOverride.note
WORKDAY_WORDS = {
    **dict.fromkeys(["是", "上班", "班", "工作日", "调休上班", "1", "true", "yes", "y"], True),
    **dict.fromkeys(["否", "休息", "休", "放假", "节假日", "0", "false", "no", "n"], False),
}


@dataclass
class HolidayRow:
    row: int  # as Excel shows it
    date: dt.date
    is_workday: bool
    note: str = ""


def clean_workday(value) -> bool:
    if isinstance(value, bool):
        return value
    if cell_text(value) == "":
        raise CellError("是否上班不能为空,请填写“上班”或“休息”")
    answer = WORKDAY_WORDS.get(cell_text(value).lower())
    if answer is None:
        raise CellError(f"“{cell_text(value)}”无法识别,请填写“上班”或“休息”(也可填“是”或“否”)")
    return answer


def clean_day(value) -> dt.date:
    if value is None or cell_text(value) == "":
        raise CellError("日期不能为空")
    if isinstance(value, str) and MONTH_ONLY.match(cell_text(value)):
        raise CellError(f"“{cell_text(value)}”缺少日,请填写完整日期,如 2027-02-20")
    return clean_date(value)


def parse_holiday_sheet(file, filename: str = "") -> tuple[list[HolidayRow], list[RowError]]:
    """Every row of the upload checked; nothing is written. Returns (rows, errors)."""
    name = filename.rsplit("/", 1)[-1] or "上传的文件"
    try:
        with open_workbook(file, name) as workbook:
            return _parse_sheet(workbook.worksheets[0], name)
    except XlsxRefused as error:
        return [], [RowError(None, "", "", str(error))]


def _parse_sheet(sheet, name: str) -> tuple[list[HolidayRow], list[RowError]]:
    rows, errors, seen = [], [], {}
    values = sheet_rows(sheet, name, len(HEADERS))
    header = [cell_text(v) for v in next(values, (1, ()))[1]]
    if header != HEADERS:
        index = next((i for i, h in enumerate(HEADERS) if i >= len(header) or header[i] != h), 0)
        letter = get_column_letter(index + 1)
        actual = header[index] if index < len(header) and header[index] else "空"
        return [], [
            RowError(
                1,
                letter,
                HEADERS[index],
                f"表头应为“日期、是否上班、说明”三列,{letter}列应为“{HEADERS[index]}”,"
                f"实际为“{actual}”",
            )
        ]
    for number, cells in values:
        if not any(cell_text(c) for c in cells):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            return [], [RowError(None, "", "", f"一次最多导入 {MAX_ROWS} 行,请分批导入")]
        row, problems = _parse_row(number, cells)
        errors += problems
        if row is None:
            continue
        if row.date in seen:
            errors.append(
                RowError(number, "A", "日期", f"{row.date:%Y-%m-%d} 与第{seen[row.date]}行重复")
            )
            continue
        seen[row.date] = number
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(None, "", "", "没有可导入的数据:请从第2行起每行填写一天"))
    return rows, errors


def _parse_row(number: int, cells) -> tuple[HolidayRow | None, list[RowError]]:
    errors = []
    parsed = {}
    for letter, header, key, clean in (
        ("A", "日期", "date", clean_day),
        ("B", "是否上班", "is_workday", clean_workday),
    ):
        try:
            parsed[key] = clean(cells["AB".index(letter)])
        except CellError as error:
            errors.append(RowError(number, letter, header, str(error)))
    note = cell_text(cells[2])
    if len(note) > NOTE_LENGTH:
        errors.append(RowError(number, "C", "说明", f"说明最多 {NOTE_LENGTH} 个字"))
    if errors:
        return None, errors
    return HolidayRow(number, parsed["date"], parsed["is_workday"], note), []


def write_template(file) -> None:
    """An empty sheet with the three headers."""
    sheet = SheetWriter(
        "节假日调整",
        [("日期", 14, "date"), ("是否上班", 10, "text"), ("说明", 24, "text")],
        titled=False,  # a template: the header is the first row the import reads
    )
    sheet.save(file)
