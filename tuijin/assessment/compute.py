"""The month's computation as a background job (``core.jobs``): progress per unit on the job
page, then a sentence and a link to the ranking. The job acts as its owner, whose right to
compute is checked again by the service."""

from django.core.exceptions import PermissionDenied

from tuijin.assessment import services
from tuijin.assessment.models import Period
from tuijin.core import jobs


def compute_job(job, report_progress) -> jobs.Outcome:
    user = jobs.job_request(job).user
    try:
        period = services.compute_period(user, int(job.params["period"]), report_progress)
    except (services.AssessmentError, PermissionDenied) as exc:
        raise jobs.JobError("".join(getattr(exc, "messages", [str(exc)]))) from None
    except (Period.DoesNotExist, KeyError, ValueError):
        raise jobs.JobError("考核月份不存在") from None
    return jobs.Outcome(
        message=f"{period}已计算完成:{period.scores.count()}个单位。",
        link=period.get_absolute_url(),
        link_text="查看排名",
    )
