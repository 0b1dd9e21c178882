"""The ledger to .xlsx, streamed row by row."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone, translation

from tuijin.core.xlsx import SheetWriter
from tuijin.projects.excel.common import SOURCE_LANGUAGE
from tuijin.projects.models import (
    AnnualPlan,
    Category,
    KeyLevel,
    Light,
    Stage,
)

# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------

# (header, width, kind): kind picks the cell format.
LEDGER_COLUMNS = [
    ("项目编号", 16, "text"),
    ("项目名称", 32, "text"),
    ("所属园区", 14, "text"),
    ("责任单位", 16, "text"),
    ("业主企业", 28, "text"),
    ("建设内容", 40, "text"),
    ("项目类别", 10, "text"),
    ("重点级别", 10, "text"),
    ("项目阶段", 10, "text"),
    ("总投资(万元)", 14, "amount"),
    ("当年计划投资(万元)", 16, "amount"),
    ("计划开工", 12, "date"),
    ("实际开工", 12, "date"),
    ("计划竣工", 12, "date"),
    ("计划投产", 12, "date"),
    ("建设地点", 24, "text"),
    ("包保领导", 16, "text"),
    ("产业标签", 16, "text"),
    ("灯色", 6, "text"),
    ("灯色原因", 40, "text"),
]
EXPORT_CHUNK = 2000


def export_queryset(queryset, year: int):
    """The ledger queryset with everything an exported row needs, in a constant query count."""
    return queryset.select_related("park", "unit").prefetch_related(
        "enterprises",
        "leaders",
        "tags",
        Prefetch(
            "annual_plans",
            queryset=AnnualPlan.objects.filter(year=year),
            to_attr="export_plans",
        ),
    )


def write_ledger(queryset, file, year: int | None = None, progress=None) -> int:
    """Write the projects of `queryset` as an .xlsx to `file`; returns the number of rows.

    `queryset` should be the ledger's (``ledger_queryset``), which is already scoped to the
    user; the annual plan column is for `year` (default: this year). `progress(rows)`, if
    given, is called after each row (background jobs report it).
    """
    year = year or timezone.localdate().year
    writer = SheetWriter("项目台账", LEDGER_COLUMNS, freeze="C2")
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
            writer.append(
                [
                    p.code,
                    p.name,
                    p.park.name,
                    p.unit.name,
                    "、".join(e.name for e in p.enterprises.all()),
                    p.content,
                    labels["category"].get(p.category, p.category),
                    labels["key_level"].get(p.key_level, p.key_level),
                    labels["stage"].get(p.stage, p.stage),
                    p.total_investment,
                    plan,
                    p.planned_start,
                    p.actual_start,
                    p.planned_completion,
                    p.planned_operation,
                    p.location,
                    "、".join(person.name for person in p.leaders.all()),
                    "、".join(tag.name for tag in p.tags.all()),
                    labels["light"].get(p.light, p.light),
                    ";".join(p.light_reason_texts),
                ]
            )
            if progress is not None:
                progress(writer.rows)
    return writer.save(file)
