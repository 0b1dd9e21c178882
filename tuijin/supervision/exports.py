"""The 督办 board as .xlsx: the writer, and the background job for large exports.

The job rebuilds the board with the same builder the page uses (``filters.board_queryset``)
for the job's owner and saved query, so an export never holds more than its owner could see.
The job kind is registered in ``apps.py``.
"""

import datetime as dt
from pathlib import Path

from tuijin.core import jobs
from tuijin.core.xlsx import SheetWriter
from tuijin.supervision.filters import board_queryset, with_row_data
from tuijin.supervision.models import ItemState, SupervisionItem
from tuijin.supervision.rules import item_light

LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}

# (header, width, kind)
EXPORT_COLUMNS = [
    ("事项", 36, "text"),
    ("来源", 10, "text"),
    ("项目", 28, "text"),
    ("牵头单位", 18, "text"),
    ("配合单位", 24, "text"),
    ("责任人", 10, "text"),
    ("交办人", 10, "text"),
    ("交办日期", 12, "date"),
    ("原定期限", 12, "date"),
    ("办理期限", 12, "date"),
    ("状态", 8, "text"),
    ("灯色", 10, "text"),
    ("催办次数", 9, "int"),
    ("退回次数", 9, "int"),
    ("成效标准", 48, "text"),
]
EXPORT_CHUNK = 2000
ITEM_EXPORT_JOB = "supervision.item_export"  # registered in apps.py (tuijin.core.jobs)


def write_items(queryset, file, today: dt.date, progress=None) -> int:
    """Write the items of `queryset` (the board's, already scoped) as .xlsx; returns rows.

    `progress(rows)`, if given, is called after each row (background jobs report it).
    """
    writer = SheetWriter("督办台账", EXPORT_COLUMNS)
    sources = {value: str(label) for value, label in SupervisionItem.Source.choices}
    states = {value: str(label) for value, label in ItemState.choices}
    for item in with_row_data(queryset).iterator(chunk_size=EXPORT_CHUNK):
        light = item_light(item, today)
        writer.append(
            [
                item.title,
                sources.get(item.source, item.source),
                item.project.name if item.project else "",
                item.lead_unit.name,
                "、".join(unit.name for unit in item.co_units.all()),
                item.responsible.name if item.responsible else "",
                item.assigner.name,
                item.assigned_on,
                item.original_deadline,
                item.deadline,
                states.get(item.state, item.state),
                LIGHT_WORDS.get(light.key, light.text),
                item.urge_count,
                item.returned_count,
                item.result_standard,
            ]
        )
        if progress is not None:
            progress(writer.rows)
    return writer.save(file)


def item_export_job(job, report_progress) -> tuple[str, Path]:
    """The export as a background job: the board rebuilt for the job's owner on the saved day."""
    today = dt.date.fromisoformat(job.params["today"])
    board = board_queryset(jobs.job_request(job), today=today)
    total = board.queryset.count()
    report_progress(0, total)
    path = jobs.scratch_file(
        lambda out: write_items(
            board.queryset, out, today, progress=lambda done: report_progress(done, total)
        ),
        suffix=".xlsx",
    )
    return f"督办台账-{today:%Y%m%d}.xlsx", path
