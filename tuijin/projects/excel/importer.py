"""Parsing an upload: every cell checked, nothing written (``services.import_projects``
applies a clean parse, all rows or none)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from tuijin.core.xlsx import XlsxRefused, cell_text, open_workbook, sheet_rows
from tuijin.org.access import visible_units, zone_units
from tuijin.org.models import Person, Unit, UnitKind, person_of
from tuijin.projects.excel.common import MAX_AMOUNT, MAX_IMPORT_ROWS, SOURCE_LANGUAGE
from tuijin.projects.excel.template import (
    COLUMN_BY_KEY,
    COLUMNS,
    EXAMPLE_CODE,
    EXPORT_ONLY_HEADERS,
    HEADERS,
    REPORT_KEYS,
    Column,
    choice_labels,
)
from tuijin.projects.lights import Thresholds
from tuijin.projects.models import (
    Category,
    Enterprise,
    IndustryTag,
    KeyLevel,
    ProgressReport,
    Project,
    Stage,
)
from tuijin.projects.periods import Period, period_containing
from tuijin.projects.permissions import can_edit_project

# --------------------------------------------------------------------------------------
# Parsing an upload
# --------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int | None  # the row number Excel shows; None for the whole file
    column: str  # column letter, "" for the whole file or row
    header: str
    message: str

    @property
    def text(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("第%(row)s行:%(msg)s") % {"row": self.row, "msg": self.message}
        return _("第%(row)s行 %(col)s列(%(header)s):%(msg)s") % {
            "row": self.row,
            "col": self.column,
            "header": self.header,
            "msg": self.message,
        }

    def __str__(self):
        return self.text


@dataclass
class ReportFigures:
    """The 进度填报 columns of a row: the period's report to create or correct."""

    period: Period
    investment: Decimal | None
    progress: int | None
    narrative: str | None
    existing: ProgressReport | None  # the period's report, if filed
    by: Person | None  # who imports: the new report's 填报人

    @property
    def changes(self) -> dict:
        """Field → new value, for the values that differ from the filed report."""
        values = {"investment": self.investment, "progress": self.progress}
        values["narrative"] = self.narrative
        values = {k: v for k, v in values.items() if v is not None}
        if self.existing is None:
            return values
        return {k: v for k, v in values.items() if getattr(self.existing, k) != v}


@dataclass
class ImportRow:
    """One project row of an upload, cleaned."""

    row: int
    code: str
    project: Project | None  # the existing project to update, None to create
    values: dict = field(default_factory=dict)  # Project field → value (blank cells left out)
    enterprises: list[str] | None = None  # None: leave unchanged
    leaders: list[Person] | None = None
    tags: list[str] | None = None
    plan_year: int = 0
    plan_amount: Decimal | None = None
    new_enterprises: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # headers of the columns that change
    report: ReportFigures | None = None  # a progress report to file or correct

    @property
    def creates(self) -> bool:
        return self.project is None

    def current(self, key):
        """The value after the import (new value, else the project's current one)."""
        if key in self.values:
            return self.values[key]
        return getattr(self.project, key, None) if self.project else None

    @property
    def name(self) -> str:
        return self.current("name")

    @property
    def park_name(self) -> str:
        park = self.current("park")
        return park.name if park else ""

    @property
    def unit_name(self) -> str:
        unit = self.current("unit")
        return unit.name if unit else ""

    @property
    def stage_label(self) -> str:
        with translation.override(SOURCE_LANGUAGE):
            return str(Stage(self.current("stage")).label)

    @property
    def total_investment(self):
        return self.current("total_investment")


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Enterprises to create: name → (responsible unit, park) of the first row naming it.
    new_enterprises: dict[str, tuple[Unit, Unit]] = field(default_factory=dict)
    new_tags: list[str] = field(default_factory=list)
    existing_enterprises: dict[str, Enterprise] = field(default_factory=dict)
    skipped_example: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def to_create(self) -> list[ImportRow]:
        return [r for r in self.rows if r.creates]

    @property
    def to_update(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.creates]


class CellError(ValueError):
    pass


SPLIT_NAMES = re.compile(r"[、,,;;\n]+")
SPLIT_PEOPLE = re.compile(r"[、,,;;\s]+")
NAME_WITH_UNIT = re.compile(r"^(.+?)[((](.+)[))]$")
FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MONTH_ONLY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EXTRA_COLUMNS = 20  # read past the template's columns, to name an added one in the header
HEADER_SEARCH_ROWS = 5  # an exported ledger has title rows above its header


def clean_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            day = from_excel(value).date()  # a date serial in a cell formatted as a number
        except (ValueError, OverflowError, AttributeError):
            raise CellError(_("“%(v)s”不是有效的日期") % {"v": cell_text(value)}) from None
    else:
        text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", cell_text(value))  # a time after the date
        year = month = 0
        day_of_month = 1
        if match := FULL_DATE.match(text) or COMPACT_DATE.match(text):
            year, month, day_of_month = (int(g) for g in match.groups())
        elif match := MONTH_ONLY.match(text):
            year, month = (int(g) for g in match.groups())
        else:
            raise CellError(
                _("“%(v)s”不是有效的日期,请填写如 2026-09-01、2026/9/1、2026年9月1日 或 2026年9月")
                % {"v": cell_text(value)}
            )
        try:
            day = dt.date(year, month, day_of_month)
        except ValueError:
            raise CellError(_("“%(v)s”不是有效的日期") % {"v": cell_text(value)}) from None
    if not 1990 <= day.year <= 2100:
        raise CellError(_("“%(v)s”不在合理的年份范围内(1990—2100)") % {"v": cell_text(value)})
    return day


def clean_amount(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("“%(v)s”不是有效的金额,请填写数字(单位万元)") % {"v": value})
    if isinstance(value, int | float | Decimal):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = cell_text(value).replace(",", "").replace(",", "").replace(" ", "")
        text = text.removesuffix("万元").removesuffix("万")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(
            _("“%(v)s”不是有效的金额,请填写数字(单位万元)") % {"v": cell_text(value)}
        ) from None
    if not amount.is_finite():
        raise CellError(_("“%(v)s”不是有效的金额,请填写数字(单位万元)") % {"v": cell_text(value)})
    if amount < 0:
        raise CellError(_("金额不能为负数:“%(v)s”") % {"v": cell_text(value)})
    if amount >= MAX_AMOUNT:
        raise CellError(_("金额过大:“%(v)s”(单位是万元)") % {"v": cell_text(value)})
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def clean_percent(value) -> int:
    text = cell_text(value).removesuffix("%").removesuffix("%").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise CellError(
            _("“%(v)s”不是有效的形象进度,请填写 0—100 的整数") % {"v": cell_text(value)}
        )
    if not 0 <= number <= 100:
        raise CellError(_("形象进度应在 0—100 之间:“%(v)s”") % {"v": cell_text(value)})
    return int(number)


def clean_year(value) -> int:
    text = cell_text(value).removesuffix("年")
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        raise CellError(_("“%(v)s”不是有效的年份,请填写四位年份,如 2026") % {"v": cell_text(value)})
    return int(text)


class Lookups:
    """Everything the cells are checked against, loaded once per upload."""

    def __init__(self, user, raw_rows: list[tuple[int, dict]]):
        self.user = user
        zone = zone_units(user)
        self.parks = self._by_name(zone.filter(kind=UnitKind.PARK))
        self.units = self._by_name(visible_units(user))
        self.people = defaultdict(list)
        for person in Person.objects.filter(unit__in=zone, is_active=True).select_related("unit"):
            self.people[person.name].append(person)
        self.labels = {c.key: choice_labels(c.choices) for c in COLUMNS if c.choices}
        codes = {raw["code"] for _row, raw in raw_rows if raw["code"]}
        self.projects = {
            p.code: p
            for p in Project.objects.filter(code__in=codes)
            .select_related("unit", "park")
            .prefetch_related(
                "enterprises",
                "leaders",
                "tags",
                Prefetch("annual_plans", to_attr="all_plans"),
            )
        }
        enterprise_names, tag_names = set(), set()
        for _row, raw in raw_rows:
            enterprise_names.update(SPLIT_NAMES.split(raw.get("enterprises", "")))
            tag_names.update(SPLIT_PEOPLE.split(raw.get("tags", "")))
        self.enterprises = {e.name: e for e in Enterprise.objects.filter(name__in=enterprise_names)}
        self.importer = person_of(user)
        self.period_kind = Thresholds.current().period_kind
        self.reports = {}  # (project id, period start) → report, for the rows that file one
        starts = set()
        for _row, raw in raw_rows:
            if not _blank(raw.get("report_period")):
                with contextlib.suppress(CellError):  # the row's own parse names it
                    day = clean_date(raw["report_period"])
                    starts.add(period_containing(day, self.period_kind).start)
        # project id → its reports' (period start, period end, 形象进度), oldest first
        self.progress = defaultdict(list)
        if starts and self.projects:
            reports = ProgressReport.objects.filter(project__in=self.projects.values())
            for report in reports.filter(period_start__in=starts):
                self.reports[report.project_id, report.period_start] = report
            for project_id, *row in reports.order_by("project_id", "period_start").values_list(
                "project_id", "period_start", "period_end", "progress"
            ):
                self.progress[project_id].append(row)
        self.tags = set(
            IndustryTag.objects.filter(name__in=tag_names).values_list("name", flat=True)
        )

    def previous(self, project, start: dt.date):
        """(start, end, 形象进度) of the project's last report before the period, or None."""
        earlier = [row for row in self.progress[project.pk] if row[0] < start]
        return earlier[-1] if earlier else None

    @staticmethod
    def _by_name(units) -> dict[str, list[Unit]]:
        found = defaultdict(list)
        for unit in units.order_by("path"):
            found[unit.name].append(unit)
        return found

    def unit(self, name: str, table, missing: str) -> Unit:
        matches = table.get(name, [])
        if not matches:
            raise CellError(missing % {"v": name})
        if len(matches) > 1:
            raise CellError(_("“%(v)s”有多个同名单位,请联系管理员") % {"v": name})
        return matches[0]

    def person(self, text: str) -> Person:
        name, unit_name = text, ""
        if match := NAME_WITH_UNIT.match(text):
            name, unit_name = match.group(1).strip(), match.group(2).strip()
        matches = self.people.get(name, [])
        if unit_name:
            matches = [p for p in matches if unit_name in (p.unit.name, p.unit.short_name)]
        if not matches:
            raise CellError(_("系统中没有人员“%(v)s”") % {"v": text})
        if len(matches) > 1:
            raise CellError(
                _("“%(v)s”有多人重名,请写成“姓名(单位)”,如“%(v)s(%(unit)s)”")
                % {"v": name, "unit": matches[0].unit.name}
            )
        return matches[0]


def _blank(value) -> bool:
    return value is None or cell_text(value) == ""


def _check_header(header: tuple) -> tuple[dict[str, int], RowError | None]:
    """Column key → its index in the file, by header text: the template's columns in any
    order, any of them left out but 项目编号; the export's read-only columns passed over."""
    positions: dict[str, int] = {}
    keys = {c.header: c.key for c in COLUMNS}
    for index, value in enumerate(header):
        text = cell_text(value)
        letter = get_column_letter(index + 1)
        if not text or text in EXPORT_ONLY_HEADERS:
            continue
        if text not in keys:
            detail = _("%(col)s列“%(actual)s”不是模板中的列") % {"col": letter, "actual": text}
        elif keys[text] in positions:
            detail = _("%(col)s列“%(actual)s”与%(first)s列重复") % {
                "col": letter,
                "actual": text,
                "first": get_column_letter(positions[keys[text]] + 1),
            }
        else:
            positions[keys[text]] = index
            continue
        return positions, RowError(
            None,
            letter,
            text,
            _("表头与导入模板不一致:%(detail)s。请使用导入模板或导出的项目台账中的列名(不要改名列)")
            % {"detail": detail},
        )
    if "code" not in positions:
        return positions, RowError(
            None,
            "",
            "",
            _("表头中没有“项目编号”列:请下载导入模板,或使用导出的项目台账"),
        )
    return positions, None


def _read_rows(sheet, name: str, result: ImportResult) -> tuple[list, dict] | None:
    """The sheet's non-empty rows as (row number, raw values by key) and the column
    positions; None after a whole-file error. The header is the first row naming 项目编号
    within the first rows (an exported ledger has its title rows above it)."""
    rows = sheet_rows(sheet, name, len(COLUMNS) + len(EXPORT_ONLY_HEADERS) + EXTRA_COLUMNS)
    number, header = 0, None
    for number, values in rows:
        texts = [cell_text(v) for v in values]
        if COLUMN_BY_KEY["code"].header in texts:
            header = values
            break
        if number >= HEADER_SEARCH_ROWS or (number == 1 and any(texts[1:])):
            header = values  # a table without 项目编号: the check names what is wrong
            break
    if header is None or not any(cell_text(v) for v in header):
        result.errors.append(
            RowError(None, "", "", _("文件中没有内容:请下载导入模板,从第2行起填写项目"))
        )
        return None
    positions, error = _check_header(header)
    if error is not None:
        error.row = number
        result.errors.append(error)
        return None
    raw_rows = []
    for number, values in rows:
        raw = {key: values[index] for key, index in positions.items()}
        if not any(cell_text(v) for v in raw.values()):
            continue
        raw = {k: (cell_text(v) if isinstance(v, str) else v) for k, v in raw.items()}
        raw["code"] = cell_text(raw["code"])
        for key in ("enterprises", "tags"):
            if key in raw:
                raw[key] = cell_text(raw[key])
        if raw["code"] == EXAMPLE_CODE:
            result.skipped_example = True
            continue
        raw_rows.append((number, raw))
        if len(raw_rows) > MAX_IMPORT_ROWS:
            result.errors.append(
                RowError(
                    None,
                    "",
                    "",
                    _("一次最多导入 %(n)s 行,请把文件拆分后分批导入") % {"n": MAX_IMPORT_ROWS},
                )
            )
            return None
    return raw_rows, positions


def parse_projects(file, user, filename: str | None = None) -> ImportResult:
    """Check every cell of an uploaded .xlsx; nothing is written to the database."""
    result = ImportResult()
    filename = filename if filename is not None else getattr(file, "name", "") or ""
    name = filename.rsplit("/", 1)[-1] or _("上传的文件")
    try:
        with open_workbook(file, name) as workbook:
            sheet = workbook["项目"] if "项目" in workbook.sheetnames else workbook.worksheets[0]
            read = _read_rows(sheet, name, result)
    except XlsxRefused as error:
        hint = _("也可先下载导入模板填写。")
        result.errors.append(RowError(None, "", "", f"{error}{hint}"))
        return result
    if read is None:
        return result
    raw_rows, positions = read
    if not raw_rows:
        result.errors.append(
            RowError(None, "", "", _("没有可导入的数据:请从第2行起每行填写一个项目"))
        )
        return result

    lookups = Lookups(user, raw_rows)
    seen: dict[str, int] = {}
    for number, raw in raw_rows:
        code = raw["code"]
        if code in seen:
            result.errors.append(
                RowError(
                    number,
                    "A",
                    "项目编号",
                    _("编号“%(code)s”与第%(first)s行重复") % {"code": code, "first": seen[code]},
                )
            )
        elif code:
            seen[code] = number
        row = _parse_row(number, raw, lookups, result, positions)
        if row is not None:
            result.rows.append(row)
    result.errors.sort(
        key=lambda e: (e.row or 0, HEADERS.index(e.header) if e.header in HEADERS else 0)
    )
    return result


def _parse_row(number: int, raw: dict, lookups: Lookups, result: ImportResult, positions=None):
    """One row: its cleaned values, or None after adding its errors to `result`.

    A column the file leaves out keeps the project's value; a new project needs every
    required column."""
    errors = []
    values: dict = {}
    positions = positions or {c.key: i for i, c in enumerate(COLUMNS)}

    def fail(column: Column, message: str):
        index = positions.get(column.key)
        letter = get_column_letter(index + 1) if index is not None else ""
        errors.append(RowError(number, letter, column.header, message))

    creates = raw.get("code", "") not in lookups.projects
    for column in COLUMNS:
        if column.key not in raw:
            if column.required and creates and column.key != "code":
                fail(
                    column,
                    _("新建项目必须填写“%(header)s”,文件中缺少这一列") % {"header": column.header},
                )
            continue
        value = raw[column.key]
        if _blank(value):
            if column.required:
                fail(column, _("必填,不能为空"))
            continue
        try:
            values[column.key] = _clean_cell(column, value, lookups)
        except CellError as exc:
            fail(column, str(exc))

    code = values.get("code", "")
    project = lookups.projects.get(code) if code else None
    if project is not None and not can_edit_project(lookups.user, project):
        fail(
            COLUMN_BY_KEY["code"], _("编号“%(code)s”的项目已存在,您无权修改该项目") % {"code": code}
        )
    report = _report_figures(values, project, lookups, fail)
    start, completion = values.get("planned_start"), values.get("planned_completion")
    if start and completion and completion < start:
        fail(COLUMN_BY_KEY["planned_completion"], _("计划竣工日期早于计划开工日期"))
    if errors:
        result.errors.extend(errors)
        return None

    row = ImportRow(row=number, code=code, project=project, report=report)
    row.enterprises = values.pop("enterprises", None)
    row.leaders = values.pop("leaders", None)
    row.tags = values.pop("tags", None)
    row.plan_year = values.pop("plan_year", None) or timezone.localdate().year
    row.plan_amount = values.pop("plan_amount", None)
    values.pop("code")
    if project is None:
        values.setdefault("category", Category.INDUSTRY)
        values.setdefault("key_level", KeyLevel.NONE)
        values.setdefault("total_investment", Decimal(0))
    row.values = values

    for name in row.enterprises or ():
        if name in lookups.enterprises:
            result.existing_enterprises[name] = lookups.enterprises[name]
        else:
            row.new_enterprises.append(name)
            result.new_enterprises.setdefault(name, (row.current("unit"), row.current("park")))
    for name in row.tags or ():
        if name not in lookups.tags and name not in result.new_tags:
            result.new_tags.append(name)
    if project is not None:
        row.changes = _changes(row, project)
    return row


def _clean_cell(column: Column, value, lookups: Lookups):
    if column.kind == "text":
        text = cell_text(value)
        if column.max_length and len(text) > column.max_length:
            raise CellError(_("超过%(n)s个字") % {"n": column.max_length})
        return text
    if column.kind == "choice":
        text = cell_text(value)
        labels = lookups.labels[column.key]
        if text not in labels:
            raise CellError(
                _("“%(v)s”不是有效的%(noun)s,可选:%(options)s")
                % {"v": text, "noun": column.noun, "options": "、".join(labels)}
            )
        return labels[text]
    if column.kind == "amount":
        return clean_amount(value)
    if column.kind == "year":
        return clean_year(value)
    if column.kind == "percent":
        return clean_percent(value)
    if column.kind == "date":
        return clean_date(value)
    if column.kind == "park":
        return lookups.unit(cell_text(value), lookups.parks, _("“%(v)s”不是本区已有的园区"))
    if column.kind == "unit":
        return lookups.unit(
            cell_text(value), lookups.units, _("“%(v)s”不是系统中的单位,或不在您的权限范围内")
        )
    if column.kind == "people":
        people = []
        for name in SPLIT_PEOPLE.split(cell_text(value)):
            if name and (person := lookups.person(name)) not in people:
                people.append(person)
        return people
    # enterprises and tags: names, kept in order without duplicates
    splitter = SPLIT_NAMES if column.kind == "enterprises" else SPLIT_PEOPLE
    limit = 200 if column.kind == "enterprises" else 30
    names = []
    for name in (n.strip() for n in splitter.split(cell_text(value))):
        if len(name) > limit:
            raise CellError(_("“%(v)s”超过%(n)s个字") % {"v": name, "n": limit})
        if name and name not in names:
            names.append(name)
    return names


def _report_figures(values: dict, project, lookups: Lookups, fail) -> ReportFigures | None:
    """The row's 进度填报 columns (taken out of ``values``): the report of the period they
    name, to file or to correct; None when the row has none."""
    day, investment, progress, narrative = (values.pop(key, None) for key in REPORT_KEYS)
    if investment is None and progress is None and not narrative:
        return None  # a period alone (an exported row's 填报期间) changes nothing
    if project is None:
        fail(COLUMN_BY_KEY["report_period"], _("新建项目不能同时填报进度,请导入项目后再填报"))
        return None
    if day is None:
        fail(COLUMN_BY_KEY["report_period"], _("填写了本期完成投资、形象进度或进展情况时必填"))
        return None
    period = period_containing(day, lookups.period_kind)
    if period.start > timezone.localdate():
        fail(COLUMN_BY_KEY["report_period"], _("“%(v)s”还没有到,不能填报") % {"v": period.label()})
        return None
    existing = lookups.reports.get((project.pk, period.start))
    previous = lookups.previous(project, period.start)
    if existing is None and progress is None:
        progress = previous[2] if previous else 0  # 留空沿用上期
    if progress is not None and previous and progress < previous[2]:
        # The report form asks for a reason (进度回退原因); a sheet has no place for one.
        label = Period(previous[0], previous[1], lookups.period_kind).label()
        fail(
            COLUMN_BY_KEY["report_progress"],
            _("形象进度低于上期(%(period)s为%(progress)s%%),请在项目页填报并说明进度回退原因")
            % {"period": label, "progress": previous[2]},
        )
        return None
    if existing is None and not narrative:
        narrative = "Excel导入"  # stored data: the zone's language, not the importer's UI
    return ReportFigures(
        period, investment, progress, narrative or None, existing, lookups.importer
    )


def _changes(row: ImportRow, project: Project) -> list[str]:
    """Headers of the columns whose value differs from the project's."""
    headers = {key: c.header for key, c in COLUMN_BY_KEY.items()}
    changed = [headers[key] for key, value in row.values.items() if getattr(project, key) != value]
    if row.enterprises is not None and set(row.enterprises) != {
        e.name for e in project.enterprises.all()
    }:
        changed.append(headers["enterprises"])
    if row.leaders is not None and {p.pk for p in row.leaders} != {
        p.pk for p in project.leaders.all()
    }:
        changed.append(headers["leaders"])
    if row.tags is not None and set(row.tags) != {t.name for t in project.tags.all()}:
        changed.append(headers["tags"])
    if row.plan_amount is not None:
        current = next((p.amount for p in project.all_plans if p.year == row.plan_year), None)
        if current != row.plan_amount:
            changed.append(f"{row.plan_year}年{headers['plan_amount']}")
    if row.report is not None and row.report.changes:
        verb = _("更正") if row.report.existing else _("填报")
        changed.append(f"{row.report.period.label()}{verb}")
    return changed
