"""The Monday report's writes (周调度通报): building the zone's report of a week (the
document itself is ``weekly.build_document``), sending it to the zone's leaders, the periodic
Monday run that does both, and the 督查室's button that runs the building as a job.
Each write is audited."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tuijin.core import jobs
from tuijin.core.access import require
from tuijin.core.audit import audit_context
from tuijin.dashboard import weekly
from tuijin.dashboard.models import WeeklyReport
from tuijin.notify.models import Event
from tuijin.notify.services import Message, publish
from tuijin.org.access import person_of
from tuijin.org.models import Unit, UnitKind

JOB_KIND = "dashboard.weekly_report"


def build_weekly_report(zone: Unit, monday: dt.date, *, user=None, now=None) -> WeeklyReport:
    """生成周调度通报: the zone's report for ``monday``'s week built (or built again, keeping
    its number) from the records as they are; audited. The .docx is written before the
    transaction opens. ``user``: the 督查室 member who asked (None: the periodic task)."""
    if user is not None:
        require(weekly.can_build_reports(user), weekly.BUILD_ONLY)
    built = weekly.build_document(zone, monday, now or timezone.now())
    person = person_of(user) if user is not None else None
    with transaction.atomic(), audit_context(actor=user, action="build_weekly_report"):
        report = WeeklyReport.objects.select_for_update().filter(zone=zone, week=monday).first()
        if report is None:
            report = WeeklyReport(zone=zone, week=monday, number=built.number)
        old = report.file.name if report.pk else ""
        report.file.save(built.name, built.content, save=False)
        report.original_name = built.name
        report.summary = built.summary
        report.built_by = person
        report.save()
        if old and old != report.file.name:
            storage = report.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    return report


def send_weekly_report(report: WeeklyReport) -> int:
    """推送周调度通报: the short text to the zone's leaders (the ``weekly_digest`` rules), once
    per report: the message key is the zone and week, so a second call delivers nothing."""
    message = Message(
        event=Event.WEEKLY_DIGEST,
        key=f"weekly-report:{report.zone_id}:{report.week:%Y-%m-%d}",
        title=f"{report.zone.name}周调度通报(第{report.number}期)",
        body=report.summary,
        url=report.get_absolute_url(),
    )
    with transaction.atomic(), audit_context(action="send_weekly_report"):
        sent = len(publish(message, unit=report.zone))
        if report.sent_at is None:
            report.sent_at = timezone.now()
            report.save(update_fields=["sent_at"])
    return sent


def send_monday_reports(now: dt.datetime | None = None) -> int:
    """The periodic task's work: on Monday from ``WEEKLY_REPORT_TIME``, each zone's report of
    the week, built and sent once (a zone whose report was already sent is left alone).
    Returns the number of deliveries made."""
    now = now or timezone.now()
    if not weekly.is_report_time(now):
        return 0
    monday = timezone.localtime(now).date()
    done = set(
        WeeklyReport.objects.filter(week=monday, sent_at__isnull=False).values_list(
            "zone_id", flat=True
        )
    )
    sent = 0
    for zone in Unit.objects.filter(kind=UnitKind.ZONE).exclude(pk__in=done):
        # Built (again, if the 督查室 built it early) from the records as they are now.
        sent += send_weekly_report(build_weekly_report(zone, monday, now=now))
    return sent


def start_weekly_report(user) -> "jobs.Job":
    """The 督查室's button: this week's report built now, as a background job."""
    require(weekly.can_build_reports(user), weekly.BUILD_ONLY)
    monday = weekly.monday_of(timezone.localdate())
    return jobs.start_job(
        user,
        JOB_KIND,
        f"生成{weekly.day_label(monday)}周调度通报",
        {"user_id": user.pk, "week": monday.isoformat()},
    )


def build_job(job, report_progress) -> jobs.Outcome:
    """The job ``start_weekly_report`` queued: built as the user who asked, then sent."""
    user = jobs.job_request(job).user
    if not weekly.can_build_reports(user):
        raise jobs.JobError(str(weekly.BUILD_ONLY))
    zone = weekly.zone_of(user)
    if zone is None:
        raise jobs.JobError("未找到开发区")
    try:
        monday = dt.date.fromisoformat(job.params["week"])
    except (KeyError, ValueError):
        raise jobs.JobError("周次不正确") from None
    report_progress(0, 2)
    report = build_weekly_report(zone, monday, user=user)
    report_progress(1, 2)
    send_weekly_report(report)
    report_progress(2, 2)
    return jobs.Outcome(
        message=f"{report}已生成(第{report.number}期)。",
        link=reverse("places:weekly_list"),
        link_text="查看周调度通报",
    )
