"""Background job pages: the progress page (polled by htmx) and the result download.

A job is its owner's alone: anyone else gets 404, so its existence does not leak.
"""

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tuijin.core.models import Job


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, owner=request.user)


@require_GET
def job_status(request, pk: int):
    """The progress page; an htmx request (its own polling) gets only the progress partial."""
    job = _own_job(request, pk)
    template = "core/partials/_job_progress.html" if request.htmx else "core/job_status.html"
    return render(request, template, {"job": job})


@require_GET
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404
    try:
        file = job.result.open("rb")
    except FileNotFoundError:
        raise Http404 from None  # removed by the cleanup task
    content_type, _encoding = mimetypes.guess_type(job.result_name)
    return FileResponse(
        file,
        as_attachment=True,
        filename=job.result_name,
        content_type=content_type or "application/octet-stream",
    )
