"""Units and people from an .xlsx: the template, and checking an upload before anything is saved.

The same column lists write the template and read uploads, so the two cannot drift apart. An
upload is read with openpyxl in read-only mode; every cell is checked and every error named by
sheet, row and column as Excel shows them (the way ``projects/excel/importer.py`` does for the
ledger); ``services.import_organisation`` then writes all rows or none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tuijin.core.xlsx import (
    HEADER_FILL,
    HEADER_FONT,
    XlsxRefused,
    cell_text,
    fit_to_page_width,
    keep_text,
    open_workbook,
    sheet_rows,
)
from tuijin.org.models import Person, Role, Unit, UnitKind

MAX_ROWS = 3000  # per sheet: a zone's cadres fit; a province is imported zone by zone
EXTRA_COLUMNS = 20  # read past the template's columns, to name an added one in the header
USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]+$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool = False
    max_length: int = 0
    help: str = ""  # marked with gettext_noop: the page shows it in the reader's language
    literal: bool = False  # help lists the values to type (Chinese, as the file is)


UNIT_SHEET, PEOPLE_SHEET = "单位", "人员"
UNIT_COLUMNS = [
    Column("name", "单位名称", 24, True, 100, gettext_noop("如:商务局、城西产业园")),
    Column(
        "parent",
        "上级单位",
        20,
        False,
        100,
        gettext_noop("系统中已有的单位或本表中的单位;开发区可不填"),
    ),
    Column("kind", "类型", 10, True, 0, "开发区、部门、园区、乡镇、村、社区", literal=True),
    Column("short_name", "简称", 12, False, 30, gettext_noop("选填")),
    Column("sort_order", "排序", 8, False, 0, gettext_noop("选填,数字小的排在前")),
]
PEOPLE_COLUMNS = [
    Column("name", "姓名", 12, True, 50, ""),
    Column(
        "username",
        "用户名",
        16,
        False,
        150,
        gettext_noop("登录用的账号,英文字母、数字或 _ . @ + -;不填则不开账号"),
    ),
    Column("unit", "单位", 20, True, 100, gettext_noop("系统中已有的单位或“单位”表中的单位")),
    Column(
        "role", "角色", 14, True, 0, "、".join(str(label) for label in Role.labels), literal=True
    ),
    Column("title", "职务", 20, False, 200, gettext_noop("多个职务用顿号分隔")),
    Column("phone", "电话", 16, False, 30, gettext_noop("选填")),
]
SHEETS = {UNIT_SHEET: UNIT_COLUMNS, PEOPLE_SHEET: PEOPLE_COLUMNS}


def choice_labels(choices) -> dict[str, str]:
    """Chinese label → value, whatever the UI language (the file format is Chinese)."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices}


# --------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------


WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(out) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns in SHEETS.items():
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        fit_to_page_width(sheet, landscape=len(columns) > 4)
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        choices = {"kind": choice_labels(UnitKind), "role": choice_labels(Role)}
        for index, column in enumerate(columns, start=1):
            if column.key in choices:
                letter = get_column_letter(index)
                listed = ",".join(choices[column.key])
                check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                check.error = _("请从下拉列表中选择")
                sheet.add_data_validation(check)
                check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 14, 70
    fit_to_page_width(notes)
    notes.append(["", _("每行一个单位或一个人员,从第2行起填写;不要改动表头。")])
    notes.append(["", _("导入是全部或全不:任何一行有错,什么都不保存,并列出每处错误。")])
    notes.append(["", _("开了账号的人员首次登录须修改初始密码(导入后页面只显示一次初始密码)。")])
    for title, columns in SHEETS.items():
        notes.append([])
        notes.append([f"“{title}”表"])
        for column in columns:
            required = _("必填") if column.required else _("选填")
            notes.append([column.header, f"{required}。{column.help}".rstrip("。")])
    for (cell,) in notes.iter_rows(min_col=2, max_col=2):
        cell.alignment = WRAP
    keep_text(workbook)
    workbook.save(out)


# --------------------------------------------------------------------------------------
# Reading an upload
# --------------------------------------------------------------------------------------


@dataclass
class RowError:
    sheet: str
    row: int | None  # the row number Excel shows; None for the whole file
    column: str = ""  # column letter
    header: str = ""
    message: str = ""

    @property
    def text(self) -> str:
        if self.row is None:
            return self.message
        return _("“%(sheet)s”表第%(row)s行 %(col)s列(%(header)s):%(msg)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "col": self.column,
            "header": self.header,
            "msg": self.message,
        }

    def __str__(self):
        return self.text


@dataclass
class UnitRow:
    row: int
    name: str
    kind: str
    parent_name: str
    short_name: str = ""
    sort_order: int = 0


@dataclass
class PersonRow:
    row: int
    name: str
    unit_name: str
    role: str
    username: str = ""
    title: str = ""
    phone: str = ""

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass
class OrgImport:
    """A checked upload: new units in creation order (parents first), new people, or errors."""

    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    existing: dict[str, Unit] = field(default_factory=dict)  # units named that already exist

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.units or self.people)

    @property
    def accounts(self) -> int:
        return sum(1 for p in self.people if p.username)


class CellError(ValueError):
    pass


def _read_sheet(workbook, title: str, name: str, result: OrgImport) -> list[tuple[int, dict]]:
    columns = SHEETS[title]
    if title not in workbook.sheetnames:
        result.errors.append(
            RowError(
                title, None, message=_("文件中没有“%(s)s”表:请下载导入模板填写") % {"s": title}
            )
        )
        return []
    rows = sheet_rows(workbook[title], name, len(columns) + EXTRA_COLUMNS)
    header = [cell_text(v) for v in next(rows, (1, ()))[1]]
    while header and not header[-1]:
        header.pop()
    expected = [c.header for c in columns]
    if header != expected:
        index = next(
            (i for i, (a, b) in enumerate(zip(header, expected, strict=False)) if a != b),
            min(len(header), len(expected)),
        )
        result.errors.append(
            RowError(
                title,
                1,
                get_column_letter(index + 1),
                expected[index] if index < len(expected) else header[index],
                _("表头与导入模板不一致,应为:%(h)s。请下载导入模板,按模板的列填写")
                % {"h": "、".join(expected)},
            )
        )
        return []
    found = []
    for number, values in rows:
        cells = [cell_text(v) for v in values[: len(columns)]]
        if not any(cells):
            continue
        if len(found) >= MAX_ROWS:
            result.errors.append(
                RowError(
                    title,
                    None,
                    message=_("“%(s)s”表一次最多导入 %(n)s 行,请拆分后分批导入")
                    % {"s": title, "n": MAX_ROWS},
                )
            )
            return []
        found.append((number, {c.key: v for c, v in zip(columns, cells, strict=True)}))
    return found


def parse_upload(file, filename: str = "") -> OrgImport:
    """Check every cell of an uploaded workbook; nothing is written."""
    result = OrgImport()
    name = (filename or getattr(file, "name", "") or "").rsplit("/", 1)[-1] or "上传的文件"
    try:
        with open_workbook(file, name) as workbook:
            raw_units = _read_sheet(workbook, UNIT_SHEET, name, result)
            raw_people = _read_sheet(workbook, PEOPLE_SHEET, name, result)
    except XlsxRefused as error:
        hint = _("请下载导入模板填写后上传。")
        result.errors.append(RowError("", None, message=f"{error}{hint}"))
        return result
    if result.errors:
        return result
    if not raw_units and not raw_people:
        result.errors.append(RowError("", None, message=_("文件中没有可导入的单位或人员")))
        return result
    units_by_name = defaultdict(list)
    for unit in Unit.objects.all():
        units_by_name[unit.name].append(unit)
    _check_units(raw_units, units_by_name, result)
    _check_people(raw_people, {raw["name"] for _n, raw in raw_units}, units_by_name, result)
    return result


def _checker(title: str, number: int, errors: list):
    columns = {c.key: (get_column_letter(i), c) for i, c in enumerate(SHEETS[title], start=1)}

    def fail(key: str, message: str):
        letter, column = columns[key]
        errors.append(RowError(title, number, letter, column.header, message))

    def text(raw: dict, key: str) -> str:
        value = raw[key]
        column = columns[key][1]
        if column.required and not value:
            raise CellError(_("必填,不能为空"))
        if column.max_length and len(value) > column.max_length:
            raise CellError(_("超过%(n)s个字") % {"n": column.max_length})
        return value

    return fail, text


def _cells(raw: dict, title: str, number: int, errors: list, choices: dict):
    """The row's cleaned cells ("" where a cell is wrong) and whether all were right; the
    errors are added to ``errors``."""
    fail, text = _checker(title, number, errors)
    values, before = {}, len(errors)
    for column in SHEETS[title]:
        values[column.key] = ""
        try:
            values[column.key] = text(raw, column.key)
            if column.key in choices and values[column.key]:
                labels = choices[column.key]
                if values[column.key] not in labels:
                    raise CellError(
                        _("“%(v)s”不是有效的%(h)s,可选:%(o)s")
                        % {"v": values[column.key], "h": column.header, "o": "、".join(labels)}
                    )
                values[column.key] = labels[values[column.key]]
        except CellError as exc:
            values[column.key] = ""
            fail(column.key, str(exc))
    return values, len(errors) == before


def _check_units(raw_units, units_by_name, result: OrgImport) -> None:
    choices = {"kind": choice_labels(UnitKind)}
    rows: dict[str, UnitRow] = {}
    for number, raw in raw_units:
        fail, _text = _checker(UNIT_SHEET, number, result.errors)
        values, ok = _cells(raw, UNIT_SHEET, number, result.errors, choices)
        if not ok:
            continue
        name = values["name"]
        order = values["sort_order"] or "0"
        if not order.isdigit():
            fail("sort_order", _("“%(v)s”不是有效的排序,请填写整数") % {"v": order})
            continue
        if name in units_by_name:
            fail("name", _("系统中已有单位“%(v)s”") % {"v": name})
            continue
        if name in rows:
            fail("name", _("与第%(r)s行的单位同名") % {"r": rows[name].row})
            continue
        if not values["parent"] and values["kind"] != UnitKind.ZONE:
            fail("parent", _("必填:只有开发区可以没有上级单位"))
            continue
        rows[name] = UnitRow(
            number, name, values["kind"], values["parent"], values["short_name"], int(order)
        )
    # Parents first; a parent is an existing unit or a row of this sheet.
    placed: set[str] = set()
    pending = list(rows.values())
    while pending:
        progress = False
        for row in list(pending):
            parent = row.parent_name
            if not parent or parent in placed:
                result.units.append(row)
            elif parent in rows:
                continue  # placed once its parent is
            else:
                fail, _text = _checker(UNIT_SHEET, row.row, result.errors)
                matches = units_by_name.get(parent, [])
                if len(matches) == 1:
                    result.existing[parent] = matches[0]
                    result.units.append(row)
                elif matches:
                    fail("parent", _("系统中有多个名为“%(v)s”的单位,请联系管理员") % {"v": parent})
                else:
                    fail("parent", _("“%(v)s”既不是系统中的单位,也不在本表中") % {"v": parent})
            placed.add(row.name)
            pending.remove(row)
            progress = True
        if not progress:  # the rest name each other in a circle
            for row in pending:
                fail, _text = _checker(UNIT_SHEET, row.row, result.errors)
                fail("parent", _("上级单位关系成环:“%(v)s”最终是自己的上级") % {"v": row.name})
            break
    result.errors.sort(key=lambda e: (e.sheet != UNIT_SHEET, e.row or 0, e.column))


def _check_people(raw_people, sheet_units: set[str], units_by_name, result: OrgImport) -> None:
    choices = {"role": choice_labels(Role)}
    # Case-insensitively: "Zhang" beside "zhang" would confuse everyone.
    taken = {u.lower() for u in get_user_model().objects.values_list("username", flat=True)}
    existing_people = set(Person.objects.values_list("name", "unit__name"))
    seen_usernames: dict[str, int] = {}
    seen_people: dict[tuple[str, str], int] = {}
    before = len(result.errors)
    for number, raw in raw_people:
        fail, _text = _checker(PEOPLE_SHEET, number, result.errors)
        # Every cell is checked, so one upload lists all of a row's errors.
        values, ok = _cells(raw, PEOPLE_SHEET, number, result.errors, choices)
        username, unit_name = values["username"], values["unit"]
        if username:
            if not USERNAME.match(username):
                fail("username", _("用户名只能包含英文字母、数字和 _ . @ + -"))
                ok = False
            elif username.lower() in taken:
                fail("username", _("用户名“%(v)s”已被使用") % {"v": username})
                ok = False
            elif username.lower() in seen_usernames:
                fail(
                    "username",
                    _("与第%(r)s行的用户名相同") % {"r": seen_usernames[username.lower()]},
                )
                ok = False
            else:
                seen_usernames[username.lower()] = number
        if unit_name and unit_name not in sheet_units:
            matches = units_by_name.get(unit_name, [])
            if len(matches) == 1:
                result.existing[unit_name] = matches[0]
            else:
                message = (
                    _("系统中有多个名为“%(v)s”的单位,请联系管理员")
                    if matches
                    else _("“%(v)s”既不是系统中的单位,也不在“单位”表中")
                )
                fail("unit", message % {"v": unit_name})
                ok = False
        key = (values["name"], unit_name)
        if all(key) and key in existing_people:
            fail("name", _("“%(u)s”已有人员“%(v)s”") % {"u": unit_name, "v": values["name"]})
            ok = False
        elif all(key) and key in seen_people:
            fail("name", _("与第%(r)s行是同一单位的同名人员") % {"r": seen_people[key]})
            ok = False
        if all(key):
            seen_people.setdefault(key, number)
        if ok:
            result.people.append(
                PersonRow(
                    number,
                    values["name"],
                    unit_name,
                    values["role"],
                    username,
                    values["title"],
                    values["phone"],
                )
            )
    result.errors[before:] = sorted(result.errors[before:], key=lambda e: (e.row or 0, e.column))
