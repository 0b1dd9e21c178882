"""A sample request for the URL walk (tests/test_every_url.py): raised by the enterprise of the
target unit's project, assigned to the target unit and accepted by it (办理中), made here so
the walks need no more than the demo. Seen by its enterprise's liaison and 包保 leaders, the
handling unit, the 督查室, zone leaders and admins; not by inspectors."""

from django.utils import timezone

from tuijin.enterprise_requests.models import Category, EnterpriseRequest, State
from tuijin.enterprise_requests.services import deadlines
from tuijin.org.models import Person, Role

# Every verb of the action URL (enterprise_requests:request_action), walked one by one.
VERBS = ("assign", "accept", "answer", "complex", "reopen", "confirm", "rate", "withdraw", "check")


def walk_records(unit, project) -> dict:
    enterprise = project.enterprises.first()
    raised_by = enterprise.liaison or Person.objects.filter(role=Role.SUPERVISOR).first()
    now = timezone.now()
    today = timezone.localdate()
    request = EnterpriseRequest.objects.create(
        enterprise=enterprise,
        project=project,
        category=Category.POWER,
        description=f"{unit.name}承办的用电诉求",
        raised_by=raised_by,
        raised_at=now,
        raised_on=today,
        state=State.HANDLING,
        unit=unit,
        assigned_at=now,
        accepted_at=now,
        **deadlines(today),
    )
    return {"enterprise_request": request}
