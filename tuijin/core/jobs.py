"""Background jobs: long work (exports, imports, reports) on the Huey queue, with progress.

A view calls ``start_job``; the job row is created at once and ``run_job`` is queued when the
transaction commits. The view redirects to ``job_status``, which polls the row every second
and offers the result file when it is done.

A kind of job is a plain function ``(job, report_progress) -> (filename, bytes | Path)``, or
``-> Outcome`` for work that makes no file (an import: a sentence and a link onward),
registered by its app with ``register_job_kind`` (in its ``AppConfig.ready``) by dotted path,
resolved when the job runs: core knows no domain app, and nothing is imported at start-up. It rebuilds its input from ``job.params`` with the same scoping function
the page uses, called with ``job_request(job)``: the owner as ``request.user`` and the saved
query string as ``request.GET``. So a job never holds more than its owner could see.

Raise ``JobError("中文说明")`` for a failure the user should read; anything else is logged and
shown as a generic message.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tuijin.core.models import Job

logger = logging.getLogger(__name__)

# Exports of up to this many rows are written in the request; larger ones become a job.
EXPORT_INLINE_LIMIT = 2000
# Progress is written to the row when it moved by at least this many percentage points.
PROGRESS_STEP = 2
KEEP_RESULTS = dt.timedelta(days=2)
KEEP_IMPORTS = dt.timedelta(days=1)
# A job queued or running for longer than this was lost (worker killed, queue flushed).
STALLED_AFTER = dt.timedelta(hours=2)
RESULT_DIR = "jobs"
IMPORT_DIR = "imports"  # uploads waiting for confirmation (core.pending), or for their job

# kind → dotted path of the job function; filled by the apps (register_job_kind).
JOB_FUNCTIONS: dict[str, str] = {}


def register_job_kind(kind: str, function_path: str) -> None:
    JOB_FUNCTIONS[kind] = function_path


ReportProgress = Callable[[int, int], None]


class JobError(Exception):
    """A failure explained to the user: the message (Chinese) is shown on the job page."""


@dataclass
class Outcome:
    """The result of a job that makes no file, shown on its page when it is done (kept in
    ``job.params["outcome"]``): a sentence and, optionally, a link onward."""

    message: str
    link: str = ""
    link_text: str = ""


@dataclass
class JobRequest:
    """What the pages' queryset builders read from a request: ``GET`` and ``user``."""

    GET: QueryDict
    user: Any


def request_params(request, back: str = "", **extra) -> dict:
    """The params of a job that rebuilds a page's queryset: the query string and the user;
    ``back`` names the page (URL name) the job page links back to, with the same query."""
    query = request.GET.urlencode()
    params = {"query": query, "user_id": request.user.pk, **extra}
    if back:
        params["back"] = reverse(back) + (f"?{query}" if query else "")
    return params


def job_request(job: Job) -> JobRequest:
    """A stand-in request for the page's queryset builder: the job's owner and saved query."""
    if job.params.get("user_id", job.owner_id) != job.owner_id:
        raise JobError(_("任务参数与发起人不符"))
    if not job.owner.is_active:
        raise JobError(_("发起人的账号已停用"))
    return JobRequest(GET=QueryDict(job.params.get("query", "")), user=job.owner)


def start_job(user, kind: str, title: str, params: dict) -> Job:
    """Create the job and queue it once the current transaction commits.

    The same work already waiting or running for the user (a double click, a reload of the
    export link) is returned instead of being started twice.
    """
    if kind not in JOB_FUNCTIONS:
        raise ValueError(f"unknown job kind {kind!r}")
    unfinished = Job.objects.filter(
        owner=user, kind=kind, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    )
    for job in unfinished:
        if job.params == params:
            return job
    job = Job.objects.create(owner=user, kind=kind, title=title, params=params)
    transaction.on_commit(lambda: run_job(job.pk))
    return job


def progress_reporter(job_id: int) -> ReportProgress:
    """``report_progress(done, total)``: writes the row only when the percentage moved enough."""
    last = -PROGRESS_STEP

    def report(done: int, total: int) -> None:
        nonlocal last
        finished = done >= total
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        if percent == last or (percent - last < PROGRESS_STEP and not finished):
            return
        last = percent
        Job.objects.filter(pk=job_id).update(
            progress=percent, done_count=done, total_count=max(total, 0)
        )

    return report


def scratch_file(write: Callable[[Any], Any], suffix: str = "") -> Path:
    """A temporary file filled by ``write(file)``; removed again if writing fails."""
    fd, name = tempfile.mkstemp(prefix="tuijin-job-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _fail(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now()
    )


def _store(job: Job, filename: str, content: bytes | Path) -> None:
    # The stored name is random: result names are Chinese and would be guessable.
    stored = f"{os.urandom(16).hex()}{Path(filename).suffix}"
    if isinstance(content, bytes | bytearray):
        job.result.save(stored, ContentFile(content), save=False)
        return
    path = Path(content)
    try:
        with path.open("rb") as fh:
            job.result.save(stored, File(fh), save=False)
    finally:
        path.unlink(missing_ok=True)


def execute(job_id: int) -> str:
    """Run one queued job to its end; returns its status. A job already taken is skipped."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("owner").get(pk=job_id)
    try:
        if job.kind not in JOB_FUNCTIONS:
            raise JobError(_("未知的任务类型:%(kind)s") % {"kind": job.kind})
        function = import_string(JOB_FUNCTIONS[job.kind])
        produced = function(job, progress_reporter(job.pk))
        if isinstance(produced, Outcome):
            filename, job.params = "", {**job.params, "outcome": asdict(produced)}
        else:
            filename, content = produced
            _store(job, filename, content)
    except JobError as exc:
        _fail(job.pk, str(exc))
        return Job.Status.FAILED
    except Exception:
        logger.exception("job #%s (%s) failed", job.pk, job.kind)
        _fail(job.pk, _("任务执行出错,请稍后重试;如仍失败请联系管理员"))
        return Job.Status.FAILED
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        progress=100,
        result=job.result.name,
        result_name=filename,
        params=job.params,
        finished_at=timezone.now(),
    )
    return Job.Status.DONE


@db_task()
def run_job(job_id: int) -> str:
    return execute(job_id)


def _old_files(directory: str, before: dt.datetime) -> list[str]:
    try:
        _dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" for name in files]
    return [name for name in names if default_storage.get_modified_time(name) < before]


def clean_up(now: dt.datetime | None = None) -> dict:
    """Delete jobs older than two days with their files, stray result files, import previews
    older than a day; mark jobs stalled in the queue as failed."""
    now = now or timezone.now()
    stalled = Job.objects.filter(
        status__in=[Job.Status.QUEUED, Job.Status.RUNNING], created_at__lt=now - STALLED_AFTER
    ).update(status=Job.Status.FAILED, error=_("任务未能完成(已中断),请重新发起"), finished_at=now)
    old = Job.objects.filter(created_at__lt=now - KEEP_RESULTS)
    for name in old.exclude(result="").values_list("result", flat=True):
        default_storage.delete(name)
    jobs, _by_model = old.delete()
    # Files without a row: a job deleted with its owner, or a save that failed half-way.
    files = _old_files(RESULT_DIR, now - KEEP_RESULTS)
    imports = _old_files(IMPORT_DIR, now - KEEP_IMPORTS)
    for name in files + imports:
        default_storage.delete(name)
    return {"stalled": stalled, "jobs": jobs, "files": len(files), "imports": len(imports)}


@db_periodic_task(crontab(minute="41"))
def clean_up_jobs() -> dict:
    return clean_up()
