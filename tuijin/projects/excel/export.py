"""The ledger to .xlsx, streamed row by row."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
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
    Stage,
)
from tuijin.projects.periods import MONTH, WEEK, period_containing

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


def export_queryset(queryset, year: int):
    """The ledger queryset with everything an exported row needs, in a constant query count:
    this year's and all reported investment summed in the database, the latest report
    prefetched alone."""
    reports = ProgressReport.objects.filter(project=OuterRef("pk")).values("project")
    latest = ProgressReport.objects.filter(
        period_start=Subquery(
            ProgressReport.objects.filter(project=OuterRef("project"))
            .order_by("-period_start")
            .values("period_start")[:1]
        )
    )
    return (
        queryset.select_related("park", "unit")
        .annotate(
            done_this_year=Subquery(
                reports.filter(period_start__year=year)
                .annotate(total=Sum("investment"))
                .values("total")
            ),
            done_in_all=Subquery(reports.annotate(total=Sum("investment")).values("total")),
        )
        .prefetch_related(
            "enterprises",
            Prefetch("leaders", queryset=Person.objects.select_related("unit")),
            "tags",
            Prefetch(
                "annual_plans",
                queryset=AnnualPlan.objects.filter(year=year),
                to_attr="export_plans",
            ),
            Prefetch("reports", queryset=latest, to_attr="latest_reports"),
        )
    )


def leader_text(person, shared_names: set[str]) -> str:
    """A leader as the import reads them back: 姓名, or 姓名(单位) where the name is shared."""
    return f"{person.name}({person.unit.name})" if person.name in shared_names else person.name


def write_ledger(queryset, file, year: int | None = None, progress=None, unit: str = "") -> int:
    """Write the projects of `queryset` as an .xlsx to `file`; returns the number of rows.

    `queryset` should be the ledger's (``ledger_queryset``), which is already scoped to the
    user; the annual plan and 当年完成 columns are for `year` (default: this year). `unit`
    names the exporting unit in the title row. `progress(rows)`, if given, is called after
    each row (background jobs report it).
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
        for p in export_queryset(queryset, year).iterator(chunk_size=EXPORT_CHUNK):
            plan = p.export_plans[0].amount if p.export_plans else None
            last = p.latest_reports[0] if p.latest_reports else None
            last_text = ""
            if last is not None:
                period = period_containing(last.period_start, period_kind_of(last))
                submitted = timezone.localtime(last.submitted_at).date()
                last_text = f"{period.label()}({submitted.month}月{submitted.day}日报)"
            values = {
                "code": p.code,
                "name": p.name,
                "park": p.park.name,
                "unit": p.unit.name,
                "enterprises": "、".join(e.name for e in p.enterprises.all()),
                "category": labels["category"].get(p.category, p.category),
                "stage": labels["stage"].get(p.stage, p.stage),
                "key_level": labels["key_level"].get(p.key_level, p.key_level),
                "content": p.content,
                "total_investment": p.total_investment,
                "plan_year": year,
                "plan_amount": plan,
                "planned_start": p.planned_start,
                "actual_start": p.actual_start,
                "planned_completion": p.planned_completion,
                "planned_operation": p.planned_operation,
                "location": p.location,
                "leaders": "、".join(leader_text(person, shared) for person in p.leaders.all()),
                "tags": "、".join(tag.name for tag in p.tags.all()),
                "report_period": last.period_start if last else None,
                "report_investment": last.investment if last else None,
                "report_progress": last.progress if last else None,
                "report_narrative": last.narrative if last else "",
            }
            writer.append(
                [
                    *(values[c.key] for c in COLUMNS),
                    p.done_this_year or Decimal(0),
                    p.done_in_all or Decimal(0),
                    last_text,
                    labels["light"].get(p.light, p.light),
                    ";".join(p.light_reason_texts),
                ]
            )
            if progress is not None:
                progress(writer.rows)
    return writer.save(file)


def period_kind_of(report) -> str:
    """A stored report's period kind, from its length (the setting may have changed since)."""
    return WEEK if (report.period_end - report.period_start).days < 27 else MONTH
