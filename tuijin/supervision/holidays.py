"""节假日调整 from a small .xlsx (columns 日期 / 是否上班 / 说明): checked in full before
anything is saved, with the projects import's reader, date cleaner and row messages."""

import datetime as dt
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from tuijin.core.xlsx import SheetWriter
from tuijin.projects.excel import RowError, clean_date
from tuijin.projects.excel.importer import MONTH_ONLY, CellError, _open_sheet, _text

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
    if _text(value) == "":
        raise CellError("是否上班不能为空,请填写“上班”或“休息”")
    answer = WORKDAY_WORDS.get(_text(value).lower())
    if answer is None:
        raise CellError(f"“{_text(value)}”无法识别,请填写“上班”或“休息”(也可填“是”或“否”)")
    return answer


def clean_day(value) -> dt.date:
    if value is None or _text(value) == "":
        raise CellError("日期不能为空")
    if isinstance(value, str) and MONTH_ONLY.match(_text(value)):
        raise CellError(f"“{_text(value)}”缺少日,请填写完整日期,如 2027-02-20")
    return clean_date(value)


def parse_holiday_sheet(file, filename: str = "") -> tuple[list[HolidayRow], list[RowError]]:
    """Every row of the upload checked; nothing is written. Returns (rows, errors)."""
    opened, problem = _open_sheet(file, filename.rsplit("/", 1)[-1])
    if problem:
        return [], [RowError(None, "", "", problem)]
    workbook, sheet = opened
    rows, errors, seen = [], [], {}
    try:
        values = sheet.iter_rows(values_only=True)
        header = [_text(v) for v in next(values, None) or ()][: len(HEADERS)]
        if header != HEADERS:
            index = next(
                (i for i, h in enumerate(HEADERS) if i >= len(header) or header[i] != h), 0
            )
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
        for number, cells in enumerate(values, start=2):
            cells = [*cells[: len(HEADERS)], *[None] * (len(HEADERS) - len(cells))]
            if not any(_text(c) for c in cells):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                return [], [RowError(None, "", "", f"一次最多导入 {MAX_ROWS} 行,请分批导入")]
            row, problems = _parse_row(number, cells)
            errors += problems
            if row is None:
                continue
            if row.date in seen:
                errors.append(
                    RowError(
                        number,
                        "A",
                        "日期",
                        f"{row.date:%Y-%m-%d} 与第{seen[row.date]}行重复",
                    )
                )
                continue
            seen[row.date] = number
            rows.append(row)
    finally:
        workbook.close()
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
    note = _text(cells[2])
    if len(note) > NOTE_LENGTH:
        errors.append(RowError(number, "C", "说明", f"说明最多 {NOTE_LENGTH} 个字"))
    if errors:
        return None, errors
    return HolidayRow(number, parsed["date"], parsed["is_workday"], note), []


def write_template(file) -> None:
    """An empty sheet with the three headers."""
    sheet = SheetWriter(
        "节假日调整", [("日期", 14, "date"), ("是否上班", 10, "text"), ("说明", 24, "text")]
    )
    sheet.save(file)
