"""The work log list, the weekend submissions and the key-record visits as .xlsx sheets."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone, translation

from tuijin.core.xlsx import SheetWriter
from tuijin.worklogs import rules
from tuijin.worklogs.models import Visit

COLUMNS = [
    ("日期", 12, "date"),
    ("类型", 10, "text"),
    ("单位", 18, "text"),
    ("填写人", 10, "text"),
    ("工作内容", 60, "text"),
    ("走访对象", 40, "text"),
    ("提交时间", 18, "text"),
]


def logs_xlsx(queryset, out, unit: str = "", as_of=None) -> None:
    """One row per log (the caller scopes and filters the queryset), streamed in chunks;
    `unit` and `as_of` (the filter's last day) are named in the title row."""
    with translation.override("zh-hans"):  # Chinese labels under Chinese headers
        _write_logs(queryset, out, unit, as_of)


def _write_logs(queryset, out, unit, as_of) -> None:
    sheet = SheetWriter("工作日志", COLUMNS, unit=unit, as_of=as_of)
    visits = Prefetch("visits", queryset=Visit.objects.select_related("enterprise", "project"))
    for log in queryset.prefetch_related(visits).iterator(chunk_size=500):
        sheet.append(
            [
                log.date,
                log.get_kind_display(),
                log.unit.name,
                log.author.name,
                log.text,
                "、".join(str(v.subject) for v in log.visits.all()),
                f"{timezone.localtime(log.submitted_at):%Y-%m-%d %H:%M}",
            ]
        )
    sheet.save(out)


SUBMISSION_COLUMNS = [
    ("单位", 22, "text"),
    ("应交", 7, "int"),
    *((str(label), 9, "int") for label in rules.STATUS_LABELS.values()),
    ("提交率(%)", 9, "int"),
    ("未提交人员", 40, "text"),
]


def submissions_xlsx(tallies, saturday, out, unit: str = "") -> None:
    """The weekend's submissions by unit (``rules.weekend_roster``), as the page shows them."""
    with translation.override("zh-hans"):
        _write_submissions(tallies, saturday, out, unit)


def _write_submissions(tallies, saturday, out, unit) -> None:
    sunday = saturday + dt.timedelta(days=1)
    heading = f"周末日志提交情况({saturday:%Y年%m月%d日}—{sunday:%m月%d日})"
    sheet = SheetWriter("周末日志提交情况", SUBMISSION_COLUMNS, heading=heading, unit=unit)
    for tally in tallies:
        missing = [row.person.name for row in tally.rows if row.status == rules.MISSING]
        sheet.append(
            [
                tally.unit.name,
                tally.owed,
                *tally.counts.values(),
                round(100 * tally.rate) if tally.rate is not None else None,
                "、".join(missing),
            ]
        )
    sheet.save(out)


VISIT_COLUMNS = [
    ("名称", 34, "text"),
    ("责任单位", 18, "text"),
    ("园区", 14, "text"),
    ("最近走访", 12, "date"),
    ("最近走访人", 10, "text"),
    ("本月走访(次)", 10, "int"),
    ("包保/单位最近走访", 14, "date"),
    ("包保/单位未走访(天)", 14, "int"),
    ("超期", 16, "text"),
]


def visits_xlsx(records, kind: str, today: dt.date, days: int, out, unit: str = "") -> None:
    """The key enterprises or projects (``rules.key_enterprises``/``key_projects``, scoped,
    filtered and ordered by the caller) with their visits, as the visits page shows them;
    超期 marks those not visited by their 包保 leader or unit for more than `days` days."""
    with translation.override("zh-hans"):
        title = "重点项目走访情况" if kind == "project" else "重点企业走访情况"
        sheet = SheetWriter(title, VISIT_COLUMNS, unit=unit, as_of=today)
        for record in records.iterator(chunk_size=500):
            since = rules.days_since(record.last_duty_visit_on, today)
            if since is None:
                late = "从未走访"
            elif rules.is_stale(record.last_duty_visit_on, today, days):
                late = f"超过{days}天未走访"
            else:
                late = ""
            sheet.append(
                [
                    record.name,
                    record.unit.name,
                    record.park.name if record.park else "",
                    record.last_visit_on,
                    record.last_visitor or "",
                    record.month_visits,
                    record.last_duty_visit_on,
                    since,
                    late,
                ]
            )
        sheet.save(out)
