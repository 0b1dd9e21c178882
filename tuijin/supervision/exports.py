"""The 督办 board as .xlsx: the writer, and the background job for large exports; the boards by
unit and by leader, and the problem list (问题), written inline.

The job rebuilds the board with the same builder the page uses (``filters.board_queryset``)
for the job's owner and saved query, so an export never holds more than its owner could see.
The job kind is registered in ``apps.py``.
"""

import datetime as dt
from pathlib import Path

from django.utils import timezone, translation

from tuijin.core import jobs
from tuijin.core.xlsx import SheetWriter
from tuijin.org.access import sheet_unit
from tuijin.supervision.filters import board_queryset, with_row_data
from tuijin.supervision.models import ItemState, Problem, SupervisionItem
from tuijin.supervision.rules import item_light

SOURCE_LANGUAGE = "zh-hans"  # the sheets are Chinese whatever the UI language
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


def write_items(queryset, file, today: dt.date, progress=None, unit: str = "") -> int:
    with translation.override(SOURCE_LANGUAGE):  # Chinese labels under Chinese headers
        return _write_items(queryset, file, today, progress, unit)


def _write_items(queryset, file, today, progress, unit) -> int:
    """Write the items of `queryset` (the board's, already scoped) as .xlsx; returns rows.

    `progress(rows)`, if given, is called after each row (background jobs report it); `unit`
    names the exporting unit in the title row.
    """
    writer = SheetWriter("督办台账", EXPORT_COLUMNS, unit=unit, as_of=today)
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
    request = jobs.job_request(job)
    board = board_queryset(request, today=today)
    total = board.queryset.count()
    report_progress(0, total)
    unit = sheet_unit(request.user)
    path = jobs.scratch_file(
        lambda out: write_items(
            board.queryset,
            out,
            today,
            progress=lambda done: report_progress(done, total),
            unit=unit,
        ),
        suffix=".xlsx",
    )
    return f"督办台账-{today:%Y%m%d}.xlsx", path


# --- the boards by lead unit and by 包保 leader (the same numbers as the pages) ---------------

UNIT_BOARD_COLUMNS = [
    ("牵头单位", 24, "text"),
    ("未办结", 9, "int"),
    ("已超期", 9, "int"),
    ("本周到期", 9, "int"),
    ("按期办结", 9, "int"),
    ("逾期办结", 9, "int"),
    ("有退回事项", 10, "int"),
    ("核查次数", 9, "int"),
    ("真实率(%)", 10, "int"),
]
LEADER_BOARD_COLUMNS = [
    ("包保领导", 12, "text"),
    ("单位", 24, "text"),
    ("职务", 16, "text"),
    ("未办结", 9, "int"),
    ("已超期", 9, "int"),
    ("本周到期", 9, "int"),
    ("事项总数", 9, "int"),
]


def write_unit_board(rows, totals, file, today: dt.date, unit: str = "") -> int:
    """The board by lead unit (``queries.unit_rows`` and the page's totals) as .xlsx."""
    writer = SheetWriter(
        "督办按牵头单位",
        UNIT_BOARD_COLUMNS,
        heading="督办事项按牵头单位统计",
        unit=unit,
        as_of=today,
    )
    keys = ["open", "overdue", "week", "on_time", "late", "returned", "checks", "truthfulness"]
    for row in rows:
        writer.append(
            [row["lead_unit__name"], *(row[key] or 0 for key in keys[:-1]), row[keys[-1]]]
        )
    if rows:
        writer.append(["合计", *(totals[key] for key in keys)])
    return writer.save(file)


def write_leader_board(leaders, file, today: dt.date, unit: str = "") -> int:
    """The board by 包保 leader (``queries.leader_rows``) as .xlsx."""
    writer = SheetWriter(
        "督办按包保领导",
        LEADER_BOARD_COLUMNS,
        heading="督办事项按包保领导统计",
        unit=unit,
        as_of=today,
    )
    for person in leaders:
        writer.append(
            [
                person.name,
                person.unit.name,
                person.title,
                person.open,
                person.overdue,
                person.week,
                person.total,
            ]
        )
    return writer.save(file)


# --- the problem list (问题), as filtered ------------------------------------------------------

PROBLEM_COLUMNS = [
    ("问题描述", 40, "text"),
    ("类别", 12, "text"),
    ("项目/企业", 26, "text"),
    ("责任单位", 20, "text"),
    ("层级", 7, "text"),
    ("状态", 8, "text"),
    ("来源", 9, "text"),
    ("提出人", 9, "text"),
    ("提出日期", 12, "date"),
    ("解决情况", 30, "text"),
    ("解决日期", 12, "date"),
]


def write_problems(queryset, file, today: dt.date, unit: str = "") -> int:
    """The problems of `queryset` (the list's, already scoped and filtered, with its
    ``select_related``) as .xlsx; returns rows."""
    with translation.override(SOURCE_LANGUAGE):  # Chinese labels under Chinese headers
        writer = SheetWriter("问题清单", PROBLEM_COLUMNS, unit=unit, as_of=today)
        levels = {value: str(label) for value, label in Problem.Level.choices}
        states = {value: str(label) for value, label in Problem.Status.choices}
        sources = {value: str(label) for value, label in Problem.Source.choices}
        for problem in queryset.iterator(chunk_size=EXPORT_CHUNK):
            subject = problem.subject
            writer.append(
                [
                    problem.description,
                    problem.category.name,
                    subject.name if subject else "",
                    problem.unit.name,
                    levels.get(problem.level, problem.level),
                    states.get(problem.status, problem.status),
                    sources.get(problem.source, problem.source),
                    problem.raised_by.name if problem.raised_by else "",
                    _local_day(problem.raised_at),
                    problem.resolution,
                    _local_day(problem.resolved_at),
                ]
            )
    return writer.save(file)


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None
