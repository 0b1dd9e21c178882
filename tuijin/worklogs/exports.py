"""The work log list as an .xlsx sheet."""

from django.db.models import Prefetch
from django.utils import timezone

from tuijin.core.xlsx import SheetWriter
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


def logs_xlsx(queryset, out) -> None:
    """One row per log (the caller scopes and filters the queryset), streamed in chunks."""
    sheet = SheetWriter("工作日志", COLUMNS)
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
