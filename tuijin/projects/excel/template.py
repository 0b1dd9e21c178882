"""The import template: one column definition for writing the file and parsing uploads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tuijin.core.xlsx import LINE_HEIGHT, keep_text, print_setup, text_lines
from tuijin.org.access import person_of, zone_units
from tuijin.org.models import UnitKind
from tuijin.projects.excel.common import (
    HEADER_FILL,
    HEADER_FONT,
    MAX_IMPORT_ROWS,
    SOURCE_LANGUAGE,
)
from tuijin.projects.models import (
    Category,
    KeyLevel,
    Stage,
)

# --------------------------------------------------------------------------------------
# Import template
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the import template."""

    key: str
    header: str
    kind: str  # text, choice, amount, year, date, park, unit, enterprises, people, tags
    required: bool = False
    help: str = ""
    example: object = ""
    max_length: int = 0
    choices: type | None = None  # a TextChoices, for kind "choice"
    noun: str = ""  # what a bad choice is not: "不是有效的阶段"
    width: int = 14


DATE_HELP = gettext_noop(
    "日期。可填 Excel 日期,或文字 2026-09-01、2026/9/1、2026年9月1日;"
    "只写到月(如 2026年9月)按当月1日"
)
COLUMNS = [
    Column(
        "code",
        "项目编号",
        "text",
        required=True,
        max_length=30,
        width=16,
        help=gettext_noop("项目的唯一编号。系统中已有此编号则更新该项目,否则新建项目"),
        example="示例-2026-001",
    ),
    Column(
        "name",
        "项目名称",
        "text",
        required=True,
        max_length=200,
        width=30,
        help=gettext_noop("项目全称"),
        example="年产3万吨新能源电解液项目",
    ),
    Column(
        "park",
        "所属园区",
        "park",
        required=True,
        help=gettext_noop("园区全称,须为本区已有的园区"),
        example="青春化工园",
    ),
    Column(
        "unit",
        "责任单位",
        "unit",
        required=True,
        width=16,
        help=gettext_noop("单位全称,须为您权限范围内的单位"),
        example="经济发展局",
    ),
    Column(
        "enterprises",
        "业主企业",
        "enterprises",
        width=28,
        help=gettext_noop(
            "企业全称,多个企业用顿号(、)或逗号分隔。系统中没有的企业将自动新建"
            "(其责任单位和园区同本项目)"
        ),
        example="湖北示例新能源科技有限公司",
    ),
    Column(
        "category",
        "项目类别",
        "choice",
        choices=Category,
        noun="项目类别",
        help=gettext_noop("新建时留空为“产业项目”"),
        example="产业项目",
    ),
    Column(
        "stage",
        "项目阶段",
        "choice",
        required=True,
        choices=Stage,
        noun="阶段",
        example="在建",
    ),
    Column(
        "key_level",
        "重点级别",
        "choice",
        choices=KeyLevel,
        noun="重点级别",
        help=gettext_noop("新建时留空为“一般项目”"),
        example="市级重点",
    ),
    Column(
        "content",
        "建设内容",
        "text",
        width=36,
        help=gettext_noop("主要建设内容和规模"),
        example="新建生产车间、仓库及配套设施,年产3万吨新能源电解液",
    ),
    Column(
        "total_investment",
        "总投资(万元)",
        "amount",
        help=gettext_noop("非负数字,单位万元,如 35000 或 35000.5"),
        example=35000,
    ),
    Column(
        "plan_year",
        "计划年度",
        "year",
        help=gettext_noop("四位年份,如 2026;留空为今年。与下一列“年度计划投资”配合使用"),
        example=2026,
    ),
    Column(
        "plan_amount",
        "年度计划投资(万元)",
        "amount",
        width=18,
        help=gettext_noop("该项目在“计划年度”的计划投资,非负数字,单位万元"),
        example=12000,
    ),
    Column("planned_start", "计划开工", "date", help=DATE_HELP, example=dt.date(2026, 3, 1)),
    Column("actual_start", "实际开工", "date", help=DATE_HELP, example=dt.date(2026, 3, 18)),
    Column("planned_completion", "计划竣工", "date", help=DATE_HELP, example=dt.date(2027, 6, 30)),
    Column("planned_operation", "计划投产", "date", help=DATE_HELP, example=dt.date(2027, 9, 1)),
    Column(
        "location",
        "建设地点",
        "text",
        max_length=200,
        width=24,
        help=gettext_noop("地块或地址"),
        example="青春化工园纬二路北侧",
    ),
    Column(
        "leaders",
        "包保领导",
        "people",
        width=16,
        help=gettext_noop(
            "系统中已有人员的姓名,多人用顿号(、)或逗号分隔;"
            "重名时写成“姓名(单位)”,如 王立新(随州高新区)"
        ),
        example="王立新",
    ),
    Column(
        "tags",
        "产业标签",
        "tags",
        help=gettext_noop("多个标签用顿号(、)或逗号分隔;新标签自动创建"),
        example="新能源、新材料",
    ),
    # A progress report (进度填报) of an existing project: the monthly figures. The ledger
    # export fills these with the latest report, so an exported sheet re-imports unchanged.
    Column(
        "report_period",
        "填报期间",
        "date",
        help=gettext_noop(
            "仅用于已有项目的进度填报:该期内任一日期,如 2026年11月 或 2026-11-01。"
            "该期已填报的,以本行数字更正;未填报的,新增一期填报。与后三列配合使用"
        ),
        example="",
    ),
    Column(
        "report_investment",
        "本期完成投资(万元)",
        "amount",
        width=16,
        help=gettext_noop("“填报期间”内完成的投资,非负数字,单位万元"),
        example="",
    ),
    Column(
        "report_progress",
        "形象进度(%)",
        "percent",
        width=10,
        help=gettext_noop("0—100 的整数;新增一期填报时留空沿用上期"),
        example="",
    ),
    Column(
        "report_narrative",
        "进展情况",
        "text",
        width=30,
        help=gettext_noop("本期进展;新增一期填报时留空记为“Excel导入”"),
        example="",
    ),
]
REPORT_KEYS = ("report_period", "report_investment", "report_progress", "report_narrative")
# Columns the ledger export adds after the template's: figures worked out from the reports and
# the light. An import reads past them (they are not set by a file).
EXPORT_ONLY_HEADERS = [
    "当年完成投资(万元)",
    "累计完成投资(万元)",
    "最近填报",
    "灯色",
    "灯色原因",
]
HEADERS = [c.header for c in COLUMNS]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
EXAMPLE_CODE = COLUMNS[0].example
DATE_FIELDS = ("planned_start", "actual_start", "planned_completion", "planned_operation")
SCALAR_FIELDS = (
    "name",
    "park",
    "unit",
    "category",
    "stage",
    "key_level",
    "content",
    "total_investment",
    *DATE_FIELDS,
    "location",
)
# The 填写说明: each sentence with its values, Chinese in the template's sheet (GENERAL_NOTES)
# and in the reader's language on the import page (general_notes()).
NOTES = [
    (
        gettext_noop(
            "每行一个项目,从表头下一行开始填写;不要改名列。只更新已有项目时,可以只保留“项目编号”"
            "和要改的列(如只报月度投资:项目编号、填报期间、本期完成投资)。"
        ),
        {},
    ),
    (
        gettext_noop(
            "导出的项目台账可以直接修改后导入:表头上方的标题行和%(columns)s等只读列导入时自动略过。"
        ),
        {"columns": "“" + "”“".join(EXPORT_ONLY_HEADERS) + "”"},
    ),
    (
        gettext_noop("第2行是示例(编号“%(code)s”),导入时自动跳过,可以删除或覆盖。"),
        {"code": EXAMPLE_CODE},
    ),
    (
        gettext_noop(
            "“项目编号”已存在时更新该项目:非必填列留空表示保持原值不变;编号不存在时新建项目。"
        ),
        {},
    ),
    (
        gettext_noop("上传后先显示预览(新建和更新的项目),确认后才保存;任何一行有错误都不会保存。"),
        {},
    ),
    (gettext_noop("每次最多导入 %(n)s 行。"), {"n": MAX_IMPORT_ROWS}),
]
GENERAL_NOTES = [text % values if values else text for text, values in NOTES]


def general_notes() -> list[str]:
    """The 填写说明 in the reader's language."""
    return [gettext(text) % values if values else gettext(text) for text, values in NOTES]


def choice_labels(choices) -> dict[str, str]:
    """Chinese label → stored value."""
    with translation.override(SOURCE_LANGUAGE):
        return {str(label): value for value, label in choices.choices}


def write_template(file, user) -> None:
    """The import template: sheet 项目 (header and one example row) and sheet 填写说明."""
    parks = list(
        zone_units(user).filter(kind=UnitKind.PARK).order_by("path").values_list("name", flat=True)
    )
    person = person_of(user)
    examples = {c.key: c.example for c in COLUMNS}
    if parks:
        examples["park"] = parks[0]
    if person is not None:
        examples["unit"] = person.unit.name
        if person.unit.kind == UnitKind.PARK:
            examples["park"] = person.unit.name

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目"
    sheet.append(HEADERS)
    sheet.append([examples[c.key] for c in COLUMNS])
    sheet.freeze_panes = "C2"
    print_setup(sheet, header_row=1)  # A4 landscape, header repeated, page numbers
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        head = sheet.cell(row=1, column=index)
        head.font = HEADER_FONT
        head.fill = HEADER_FILL if column.required else PatternFill("solid", fgColor="6C757D")
        head.alignment = Alignment(horizontal="center")
        example = sheet.cell(row=2, column=index)
        example.font = Font(italic=True, color="808080")
        if column.kind == "date":
            example.number_format = "yyyy-mm-dd"
        if column.kind == "choice" or (column.kind == "park" and parks):
            options = list(choice_labels(column.choices)) if column.choices else parks
            formula = '"' + ",".join(options) + '"'
            if len(formula) <= 255:  # Excel's limit for an inline list
                check = DataValidation(type="list", formula1=formula, allow_blank=True)
                check.error = "请从下拉列表中选择"
                check.showErrorMessage = True
                sheet.add_data_validation(check)
                check.add(f"{letter}2:{letter}{MAX_IMPORT_ROWS + 1}")

    notes = workbook.create_sheet("填写说明")
    notes.append(["项目导入模板填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in GENERAL_NOTES:
        notes.append([line])
    notes.append([])
    notes.append(["列", "表头", "是否必填", "填写说明", "示例"])
    header_row = notes.max_row
    for cell in notes[header_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for index, column in enumerate(COLUMNS, start=1):
        help_text = column.help
        if column.kind == "choice":
            options = "、".join(choice_labels(column.choices))
            help_text = f"可选:{options}" + (f"。{help_text}" if help_text else "")
        if column.kind == "park" and parks:
            help_text += ":" + "、".join(parks)
        example = examples[column.key]
        if isinstance(example, dt.date):
            example = f"{example:%Y-%m-%d}"
        notes.append(
            [
                get_column_letter(index),
                column.header,
                "必填" if column.required else "选填",
                help_text,
                example,
            ]
        )
    widths = (6, 20, 10, 70, 30)
    for letter, width in zip("ABCDE", widths, strict=True):
        notes.column_dimensions[letter].width = width
    # Printed on one page's width: each sentence above the table across the five columns and
    # wrapped, each row as tall as its longest text (no program works that out on opening).
    print_setup(notes, header_row=header_row)
    for number, line in enumerate(GENERAL_NOTES, start=2):
        notes.merge_cells(start_row=number, start_column=1, end_row=number, end_column=5)
        notes.cell(number, 1).alignment = Alignment(wrap_text=True, vertical="top")
        notes.row_dimensions[number].height = text_lines(line, sum(widths)) * LINE_HEIGHT
    for row in notes.iter_rows(min_row=header_row + 1):
        for cell in row:  # all top-aligned: a label level with the first line of its text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(text_lines(c.value, w) for c, w in zip(row, widths, strict=True))
        if lines > 1:
            notes.row_dimensions[row[0].row].height = lines * LINE_HEIGHT
    keep_text(workbook)  # unit and park names are data: never a formula
    workbook.save(file)
