"""Confirming a ledger import: a background job (the parse and preview are the view's).

The job reads the file kept at the preview (``core.pending``), parses it again as its owner
(their scope and the data as they are now: a project added or a unit renamed since the
preview fails the job with the parse's own Chinese errors) and applies it with
``services.import_projects``, in bulk and all or nothing. The page shows its steps, then the
counts and a link back to the ledger.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _

from tuijin.core import jobs
from tuijin.projects import services
from tuijin.projects.excel import parse_projects
from tuijin.projects.permissions import can_create_project

IMPORT_JOB = "projects.import"  # registered in apps.py (tuijin.core.jobs)
SHOWN_ERRORS = 20  # errors listed on the job page; the rest are counted
# Progress (%) after each step: the parse is most of the work, the writes the shortest part.
PARSED, PREPARED = 60, 85


def import_job(job, report_progress) -> jobs.Outcome:
    user = jobs.job_request(job).user
    if not can_create_project(user):
        raise jobs.JobError(_("您的角色不能导入项目。"))
    path = job.params.get("path", "")
    if not path.startswith(f"{jobs.IMPORT_DIR}/") or ".." in path:
        raise jobs.JobError(_("任务参数无效"))
    report_progress(0, 100)
    try:
        result = _parse(path, user)
        report_progress(PARSED, 100)
        try:
            outcome = services.import_projects(
                user, result, progress=lambda done, total: report_progress(PREPARED, 100)
            )
        except IntegrityError:
            raise jobs.JobError(
                _(
                    "导入失败,没有保存任何数据:保存时发现数据已被他人改动(如同一编号的项目、"
                    "同名企业或同一年度的计划刚被新建)。请重新上传文件。"
                )
            ) from None
        except (DatabaseError, ValidationError) as exc:
            raise jobs.JobError(_("导入失败,没有保存任何数据:%(e)s") % {"e": exc}) from None
        except PermissionDenied as exc:  # the service's own check of each row
            raise jobs.JobError(str(exc)) from None
    finally:
        default_storage.delete(path)
    message = _("导入完成:新建 %(created)s 个项目,更新 %(updated)s 个项目") % {
        "created": outcome.created,
        "updated": outcome.updated,
    }
    if outcome.unchanged:
        message += _(",%(n)s 个项目没有变化") % {"n": outcome.unchanged}
    if outcome.reports:
        message += _(";填报或更正 %(n)s 期进度") % {"n": outcome.reports}
    if outcome.enterprises:
        message += _(";新建 %(n)s 家企业") % {"n": outcome.enterprises}
    return jobs.Outcome(
        message=message + "。",
        link=reverse("projects:project_list"),
        link_text=_("查看项目台账"),
    )


def _parse(path: str, user):
    """The kept file parsed again as ``user``; the parse's errors fail the job."""
    try:
        stored = default_storage.open(path, "rb")
    except FileNotFoundError:
        raise jobs.JobError(_("导入文件已失效(超过一天未确认或已被清理),请重新上传")) from None
    with stored:
        result = parse_projects(stored, user, filename=path)
    if result.errors:
        lines = [e.text for e in result.errors[:SHOWN_ERRORS]]
        if len(result.errors) > SHOWN_ERRORS:
            lines.append(_("……另有 %(n)s 处错误") % {"n": len(result.errors) - SHOWN_ERRORS})
        head = _(
            "预览之后数据有变化,重新检查时发现 %(n)s 处错误,没有保存任何数据。请修改文件后重新上传:"
        ) % {"n": len(result.errors)}
        raise jobs.JobError("\n".join([head, *lines]))
    return result
