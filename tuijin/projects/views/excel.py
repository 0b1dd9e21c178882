"""Excel in and out: ledger export, import template, upload → preview → confirm."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core import jobs
from tuijin.core.access import require
from tuijin.core.models import Job
from tuijin.core.pending import PendingUpload, posted_token
from tuijin.core.uploads import SPREADSHEET, check_upload
from tuijin.core.xlsx import xlsx_download
from tuijin.org.access import sheet_unit
from tuijin.projects.excel import (
    COLUMNS,
    MAX_IMPORT_ROWS,
    XLSX_CONTENT_TYPE,
    RowError,
    general_notes,
    parse_projects,
    write_enterprises,
    write_ledger,
    write_template,
)
from tuijin.projects.exports import LEDGER_EXPORT_JOB
from tuijin.projects.filters import ledger_queryset
from tuijin.projects.imports import IMPORT_JOB
from tuijin.projects.permissions import can_create_project
from tuijin.projects.views.ledger import filtered_enterprises

SESSION_KEY = "projects_import"


@require_GET
def ledger_export(request):
    """The ledger exactly as filtered on the list page (same GET parameters), as .xlsx.

    Past ``jobs.EXPORT_INLINE_LIMIT`` rows it becomes a background job with a progress page.
    """
    _filterset, queryset, _sort = ledger_queryset(request)
    if queryset.count() > jobs.EXPORT_INLINE_LIMIT:
        params = jobs.request_params(request, back="projects:project_list")
        job = jobs.start_job(request.user, LEDGER_EXPORT_JOB, _("导出项目台账"), params)
        return redirect(job)
    name = f"项目台账-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_download(
        lambda file: write_ledger(queryset, file, unit=sheet_unit(request.user)), name
    )


@require_GET
def enterprise_export(request):
    """The enterprise list exactly as filtered (same GET parameters, all pages), as .xlsx."""
    queryset, _query = filtered_enterprises(request)
    name = f"企业名录-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_download(
        lambda file: write_enterprises(queryset, file, unit=sheet_unit(request.user)), name
    )


def _require_editor(user):
    require(can_create_project(user), _("您的角色不能导入项目。"))


@require_GET
def import_template(request):
    _require_editor(request.user)
    out = io.BytesIO()
    write_template(out, request.user)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename="项目导入模板.xlsx", content_type=XLSX_CONTENT_TYPE
    )


def _page(request, *, errors=(), result=None, token="", status=200):
    return render(
        request,
        "projects/import.html",
        {
            "errors": errors,
            "result": result,
            "token": token,
            "columns": COLUMNS,
            "notes": general_notes(),
            "max_rows": MAX_IMPORT_ROWS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def import_upload(request):
    """GET: the upload form. POST: check the file and show the preview (nothing is saved)."""
    _require_editor(request.user)
    if request.method == "GET":
        return _page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, errors=[RowError(None, "", "", _("请选择要上传的 .xlsx 文件"))])
    try:
        upload = check_upload(upload, SPREADSHEET)  # size, type by content, archive limits
    except ValidationError as error:
        return _page(request, errors=[RowError(None, "", "", message) for message in error])
    result = parse_projects(upload, request.user, filename=upload.name)
    if result.errors:
        return _page(request, errors=result.errors)
    token = PendingUpload(request, SESSION_KEY).keep(upload)
    return _page(request, result=result, token=token)


@require_POST
def import_confirm(request):
    """Start applying the upload previewed in this session: a background job parses the kept
    file again (as this user, against the data as it is then) and applies it in bulk."""
    _require_editor(request.user)
    token = posted_token(request.POST)
    path = PendingUpload(request, SESSION_KEY).hand_over(token)
    if path is None:
        # A second click on 确认导入 finds the job the first one started.
        started = Job.objects.filter(owner=request.user, kind=IMPORT_JOB, params__token=token)
        if token and (job := started.first()):
            return redirect(job)
        messages.error(request, _("导入预览已失效,请重新上传文件"))
        return redirect("projects:import_upload")
    params = {
        "token": token,
        "path": path,
        "user_id": request.user.pk,
        "back": reverse("projects:import_upload"),
    }
    return redirect(jobs.start_job(request.user, IMPORT_JOB, _("导入项目"), params))
