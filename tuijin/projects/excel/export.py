"""The ledger to .xlsx, streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from types import SimpleNamespace

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone, translation

from tuijin.core.xlsx import SheetWriter
from tuijin.org.models import Person
from tuijin.projects.excel.common import SOURCE_LANGUAGE
from tuijin.projects.excel.template import COLUMNS, EXPORT_ONLY_HEADERS
from tuijin.projects.models import (
    AnnualPlan,
    Category,
    KeyLevel,
    Light,
    ProgressReport,
    Project,
    Stage,
)
from tuijin.projects.periods import MONTH, WEEK, period_containing
from tuijin.projects.reasons import reason_text

# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------

# The template's columns, in its order and with its headers (an exported sheet re-imports),
# then the export's own read-only columns (``EXPORT_ONLY_HEADERS``). Widths are for printing
# on A4 landscape: text wraps, so narrow columns stay readable.
PRINT_WIDTHS = {
    "code": 12,
    "name": 18,
    "park": 10,
    "unit": 10,
    "enterprises": 16,
    "category": 7,
    "stage": 6,
    "key_level": 7,
    "content": 24,
    "total_investment": 10,
    "plan_year": 6,
    "plan_amount": 10,
    "planned_start": 10,
    "actual_start": 10,
    "planned_completion": 10,
    "planned_operation": 10,
    "location": 14,
    "leaders": 9,
    "tags": 9,
    "report_period": 10,
    "report_investment": 10,
    "report_progress": 6,
    "report_narrative": 24,
}
KINDS = {"amount": "amount", "date": "date", "year": "int", "percent": "int"}
EXPORT_ONLY_COLUMNS = list(zip(EXPORT_ONLY_HEADERS, (10, 10, 12, 5, 22), strict=True))
LEDGER_COLUMNS = [
    (c.header, PRINT_WIDTHS.get(c.key, c.width), KINDS.get(c.kind, "text")) for c in COLUMNS
] + [
    (header, width, "amount" if "万元" in header else "text")
    for header, width in EXPORT_ONLY_COLUMNS
]
EXPORT_CHUNK = 2000


PROJECT_FIELDS = (
    "pk",
    "code",
    "name",
    "park__name",
    "unit__name",
    "category",
    "stage",
    "key_level",
    "content",
    "total_investment",
    "planned_start",
    "actual_start",
    "planned_completion",
    "planned_operation",
    "location",
    "light",
    "light_reasons",
)
REPORT_FIELDS = (
    "period_start",
    "period_end",
    "submitted_at",
    "investment",
    "progress",
    "narrative",
)


def export_rows(queryset, year: int) -> Iterator[tuple[tuple, dict]]:
    """(the project's fields as ``PROJECT_FIELDS``, its lists and figures) for each project of
    `queryset`, read ``EXPORT_CHUNK`` projects at a time as plain values: no model instances,
    and memory that does not grow with the rows. Six queries per chunk, each by the chunk's
    ids (so nothing outside the queryset's scope is read): enterprises, 包保 leaders, tags,
    this year's plan, the reported sums and the latest report."""
    rows = queryset.values_list(*PROJECT_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(rows, EXPORT_CHUNK)):
        lists = chunk_lists([row[0] for row in chunk], year)
        for row in chunk:
            yield row, lists[row[0]]


def chunk_lists(ids: list[int], year: int) -> dict[int, dict]:
    """What an exported row shows beside the project's own fields, for the projects `ids`,
    in the order the ledger shows them (each model's ``Meta.ordering``)."""
    lists = {
        pk: {"enterprises": [], "leaders": [], "tags": [], "plan": None, "last": None} for pk in ids
    }
    through = Project.enterprises.through.objects.filter(project_id__in=ids)
    for pk, name in through.order_by("enterprise__name").values_list(
        "project_id", "enterprise__name"
    ):
        lists[pk]["enterprises"].append(name)
    leaders = Project.leaders.through.objects.filter(project_id__in=ids).order_by(
        "person__unit__path", "person__name", "person_id"
    )
    for pk, name, unit in leaders.values_list("project_id", "person__name", "person__unit__name"):
        lists[pk]["leaders"].append((name, unit))
    tags = Project.tags.through.objects.filter(project_id__in=ids).order_by("industrytag__name")
    for pk, name in tags.values_list("project_id", "industrytag__name"):
        lists[pk]["tags"].append(name)
    plans = AnnualPlan.objects.filter(project_id__in=ids, year=year).order_by("project", "pk")
    for pk, amount in plans.values_list("project_id", "amount"):
        if lists[pk]["plan"] is None:
            lists[pk]["plan"] = amount
    reports = ProgressReport.objects.filter(project_id__in=ids).order_by()
    sums = reports.values("project").annotate(
        in_all=Sum("investment"),
        this_year=Sum("investment", filter=Q(period_start__year=year)),
    )
    for total in sums.values_list("project", "in_all", "this_year"):
        lists[total[0]]["in_all"], lists[total[0]]["this_year"] = total[1], total[2]
    latest = reports.filter(
        period_start=Subquery(
            ProgressReport.objects.filter(project=OuterRef("project"))
            .order_by("-period_start")
            .values("period_start")[:1]
        )
    )
    for pk, *values in latest.order_by("project", "-period_start").values_list(
        "project_id", *REPORT_FIELDS
    ):
        if lists[pk]["last"] is None:
            lists[pk]["last"] = SimpleNamespace(**dict(zip(REPORT_FIELDS, values, strict=True)))
    return lists


def leader_text(name: str, unit: str, shared_names: set[str]) -> str:
    """A leader as the import reads them back: 姓名, or 姓名(单位) where the name is shared."""
    return f"{name}({unit})" if name in shared_names else name


def write_ledger(queryset, file, year: int | None = None, progress=None, unit: str = "") -> int:
    """Write the projects of `queryset` as an .xlsx to `file`; returns the number of rows.

    `queryset` should be the ledger's (``ledger_queryset``), which is already scoped to the
    user; the annual plan and 当年完成 columns are for `year` (default: this year). `unit`
    names the exporting unit in the title row. `progress(rows)`, if given, is called after
    each row (background jobs report it). Rows are read in chunks as values and written as
    they come (``export_rows``, a write-only workbook): memory stays flat however many rows.
    """
    today = timezone.localdate()
    year = year or today.year
    writer = SheetWriter(
        "项目台账", LEDGER_COLUMNS, freeze="C2", heading=f"项目台账({year}年)", unit=unit
    )
    shared = set(
        Person.objects.values("name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("name", flat=True)
    )
    with translation.override(SOURCE_LANGUAGE):
        labels = {
            "category": dict(Category.choices),
            "key_level": dict(KeyLevel.choices),
            "stage": dict(Stage.choices),
            "light": dict(Light.choices),
        }
        labels = {k: {v: str(label) for v, label in d.items()} for k, d in labels.items()}
        for row, lists in export_rows(queryset, year):
            p = dict(zip(PROJECT_FIELDS, row, strict=True))
            last = lists["last"]
            last_text = ""
            if last is not None:
                period = period_containing(last.period_start, period_kind_of(last))
                submitted = timezone.localtime(last.submitted_at).date()
                last_text = f"{period.label()}({submitted.month}月{submitted.day}日报)"
            values = {
                "code": p["code"],
                "name": p["name"],
                "park": p["park__name"],
                "unit": p["unit__name"],
                "enterprises": "、".join(lists["enterprises"]),
                "category": labels["category"].get(p["category"], p["category"]),
                "stage": labels["stage"].get(p["stage"], p["stage"]),
                "key_level": labels["key_level"].get(p["key_level"], p["key_level"]),
                "content": p["content"],
                "total_investment": p["total_investment"],
                "plan_year": year,
                "plan_amount": lists["plan"],
                "planned_start": p["planned_start"],
                "actual_start": p["actual_start"],
                "planned_completion": p["planned_completion"],
                "planned_operation": p["planned_operation"],
                "location": p["location"],
                "leaders": "、".join(leader_text(*leader, shared) for leader in lists["leaders"]),
                "tags": "、".join(lists["tags"]),
                "report_period": last.period_start if last else None,
                "report_investment": last.investment if last else None,
                "report_progress": last.progress if last else None,
                "report_narrative": last.narrative if last else "",
            }
            writer.append(
                [
                    *(values[c.key] for c in COLUMNS),
                    lists.get("this_year") or Decimal(0),
                    lists.get("in_all") or Decimal(0),
                    last_text,
                    labels["light"].get(p["light"], p["light"]),
                    ";".join(reason_text(reason) for reason in p["light_reasons"]),
                ]
            )
            if progress is not None:
                progress(writer.rows)
    return writer.save(file)


def period_kind_of(report) -> str:
    """A stored report's period kind, from its length (the setting may have changed since)."""
    return WEEK if (report.period_end - report.period_start).days < 27 else MONTH
