"""The ledger export as a background job (the inline export is the view's)."""

from pathlib import Path

from django.utils import timezone

from tuijin.core import jobs
from tuijin.org.access import sheet_unit
from tuijin.projects.excel import write_ledger
from tuijin.projects.filters import ledger_queryset

LEDGER_EXPORT_JOB = "projects.ledger_export"  # registered in apps.py (tuijin.core.jobs)


def ledger_export_job(job, report_progress) -> tuple[str, Path]:
    """The export as a background job: the ledger rebuilt for the job's owner."""
    request = jobs.job_request(job)
    _filterset, queryset, _sort = ledger_queryset(request)
    total = queryset.count()
    report_progress(0, total)
    unit = sheet_unit(request.user)
    path = jobs.scratch_file(
        lambda out: write_ledger(
            queryset, out, progress=lambda done: report_progress(done, total), unit=unit
        ),
        suffix=".xlsx",
    )
    return f"项目台账-{timezone.localdate(job.created_at):%Y%m%d}.xlsx", path
