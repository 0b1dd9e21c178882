"""The 亩均 figures from the statistics/tax office's .xlsx: every cell checked, nothing written
until the preview is confirmed, then all rows or none (``services.import_results``).

The machinery is the ledger import's: ``core.xlsx.open_workbook``/``sheet_rows`` (content,
archive limits, cell size), ``core.pending.PendingUpload`` (the file kept between preview and
confirmation, parsed again then), ``projects.excel.RowError`` (row and column as Excel shows
them, the reason in Chinese).
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tuijin.core.xlsx import (
    XlsxRefused,
    cell_text,
    keep_text,
    open_workbook,
    print_setup,
    sheet_rows,
)
from tuijin.factors.forms import parse_quantity
from tuijin.factors.models import Exemption
from tuijin.projects.excel import MAX_IMPORT_ROWS, RowError
from tuijin.projects.models import Enterprise

# (header, result field, unit for parse_quantity or None for text)
COLUMNS = [
    ("统一社会信用代码", "credit_code", None),
    ("企业名称", "name", None),
    ("用地面积(亩)", "land_mu", "亩"),
    ("税收(万元)", "tax", "万元"),
    ("销售收入(万元)", "sales", "万元"),
    ("工业增加值(万元)", "added_value", "万元"),
    ("综合能耗(吨标准煤)", "energy_tce", "吨标准煤"),
    ("研发经费(万元)", "rnd", "万元"),
    ("从业人员(人)", "employees", "人"),
    ("评价方式(参评/初创企业/在建项目)", "exemption", None),
]
HEADERS = [c[0] for c in COLUMNS]
EXEMPTIONS = {"": "", "参评": "", "初创企业": Exemption.STARTUP, "初创": Exemption.STARTUP,
              "在建项目": Exemption.BUILDING, "在建": Exemption.BUILDING}  # fmt: skip


@dataclass
class ResultRow:
    row: int
    enterprise: Enterprise
    park: object
    values: dict


@dataclass
class Plan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def parse_results(file, name: str, enterprises) -> Plan:
    """``enterprises``: those the importer may evaluate (visible, with a park they manage)."""
    plan = Plan()
    try:
        with open_workbook(file, name) as workbook:
            sheet = workbook.worksheets[0]
            rows = sheet_rows(sheet, name, len(COLUMNS))
            header = next(rows, None)
            if header is None or [cell_text(v) for v in header[1]] != HEADERS:
                plan.errors.append(
                    RowError(
                        None, "", "", f"第一行应为模板的表头:{'、'.join(HEADERS)}。请下载模板填写。"
                    )
                )
                return plan
            by_code = {e.credit_code: e for e in enterprises if e.credit_code}
            by_name = {e.name: e for e in enterprises}
            seen = set()
            for number, values in rows:
                if all(cell_text(v) == "" for v in values):
                    continue
                if len(plan.rows) + len(plan.errors) > MAX_IMPORT_ROWS:
                    plan.errors.append(RowError(None, "", "", f"最多{MAX_IMPORT_ROWS}行。"))
                    break
                _parse_row(plan, number, values, by_code, by_name, seen)
    except XlsxRefused as error:
        plan.errors.append(RowError(None, "", "", str(error)))
    if plan.errors:
        plan.rows = []
    return plan


def _parse_row(plan, number, values, by_code, by_name, seen) -> None:
    def error(index, message):
        plan.errors.append(
            RowError(number, get_column_letter(index + 1), COLUMNS[index][0], message)
        )

    code, name = cell_text(values[0]).upper(), cell_text(values[1])
    enterprise = by_code.get(code) if code else None
    enterprise = enterprise or by_name.get(name)
    if enterprise is None:
        error(0 if code else 1, f"找不到企业“{code or name}”(或您无权评价它)。")
        return
    if enterprise.pk in seen:
        error(1, f"“{enterprise.name}”在文件中出现了不止一次。")
        return
    seen.add(enterprise.pk)
    parsed = {}
    ok = True
    for index, (header, key, unit) in enumerate(COLUMNS[2:9], start=2):
        try:
            value = parse_quantity(values[index], unit, header)
        except ValidationError as refusal:
            error(index, refusal.messages[0])
            ok = False
            continue
        if key == "employees":
            if value != int(value):
                error(index, f"“{header}”应为整数。")
                ok = False
                continue
            value = int(value)
        parsed[key] = value
    kind = cell_text(values[9])
    if kind not in EXEMPTIONS:
        error(9, f"“{kind}”不是评价方式,请填写参评、初创企业或在建项目。")
        ok = False
    if ok and not parsed["land_mu"]:
        error(2, "“用地面积(亩)”应大于0。")
        ok = False
    if ok:
        parsed["exemption"] = EXEMPTIONS[kind]
        plan.rows.append(ResultRow(number, enterprise, enterprise.park, parsed))


def write_template(enterprises) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "亩均数据"
    sheet.append(HEADERS)
    for e in enterprises:
        sheet.append([e.credit_code, e.name, None, None, None, None, None, None, None, "参评"])
    # The 18-character credit code and the enterprise names whole (they were cut at 14).
    wide = {"统一社会信用代码": 21, "企业名称": 32}
    for index, header in enumerate(HEADERS, start=1):
        width = wide.get(header, max(14, len(header) * 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    print_setup(sheet, header_row=1)  # A4 landscape, one page wide (was portrait, 3 pages)
    keep_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
