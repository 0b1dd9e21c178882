"""Demo Monday report: the 周调度通报 of the story's last Monday whose ``WEEKLY_REPORT_TIME``
(07:30) has passed, built and sent at that moment on the story's clock (``core.democlock``),
as the periodic task would have. Idempotent: a week that has its report is left as it is."""

import datetime as dt

from django.utils import timezone

from tuijin.core.democlock import story_clock
from tuijin.dashboard import services, weekly
from tuijin.dashboard.models import WeeklyReport


def load_weekly_report(units: dict) -> WeeklyReport | None:
    zone = next(iter(units.values())).zone
    monday = weekly.monday_of(timezone.localdate())
    moment = timezone.make_aware(dt.datetime.combine(monday, weekly.report_time()))
    if moment > timezone.now():  # a Monday before the hour: last week's is the last one
        monday -= dt.timedelta(days=7)
        moment -= dt.timedelta(days=7)
    if WeeklyReport.objects.filter(zone=zone, week=monday).exists():
        return WeeklyReport.objects.get(zone=zone, week=monday)
    with story_clock(moment):
        report = services.build_weekly_report(zone, monday, now=moment)
        services.send_weekly_report(report)
    return report


def summary_line(report: WeeklyReport | None) -> str:
    if report is None:
        return "周调度通报:无。"
    return f"周调度通报:{report}(第{report.number}期)已生成并推送。"
