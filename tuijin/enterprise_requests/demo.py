"""Demo enterprise requests (企业诉求): two per liaison, in different states.

For each liaison's first enterprise, through the services on the story's clock
(``core.democlock``), as the people would:

1. a 用电用能 request raised about five weeks ago: the 督查室 assigns it to the enterprise's
   responsible unit, which accepts and answers; the liaison finds it not resolved and reopens
   it, the unit answers again, the liaison confirms and rates it 基本满意;
2. a 审批 request raised eight working days ago, assigned to 自然资源和规划分局 (who accept
   it) and not yet answered: the answer clock is missed, so the morning's escalation run turns
   it into a 督办 item.

Idempotent: an enterprise that already has requests is left alone.
"""

import datetime as dt

from django.utils import timezone

from tuijin.core.democlock import story_clock
from tuijin.enterprise_requests import services
from tuijin.enterprise_requests.models import Category, EnterpriseRequest, Satisfaction
from tuijin.org.models import Person, Role, Unit
from tuijin.projects.models import Enterprise
from tuijin.supervision.workdays import add_working_days

POWER = (
    "二期主体厂房即将进入设备调试,现有10千伏供电容量不足,需增容至2×8000千伏安,"
    "请协调供电公司尽快完成线路改造和报装。"
)
POWER_ANSWERS = [
    "已与供电公司对接,增容方案已报市供电公司审批,预计两周内批复。",
    "供电公司已批复增容方案,临时线路已于昨日接通,满足设备调试用电;永久线路12月底前完工。",
]
POWER_REOPEN = "方案批复不等于送电,设备调试下周开始,现在仍无法用电。"
PERMIT = "罐区扩建项目的建设工程规划许可证资料已齐,提交10个工作日仍未受理审查,请协助加快办理。"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _working_days_before(today: dt.date, days: int) -> dt.date:
    """The day ``days`` working days before ``today`` (walking back a week at a time)."""
    day = today - dt.timedelta(days=days * 2)
    while add_working_days(day, days) < today:
        day += dt.timedelta(days=1)
    return day


def load_requests(units: dict[str, Unit]) -> list[EnterpriseRequest]:
    today = timezone.localdate()
    duban = Person.objects.filter(role=Role.SUPERVISOR, user__isnull=False).order_by("pk").first()
    if duban is None:
        return []
    made = []
    liaisons = Person.objects.filter(
        role=Role.LIAISON, user__isnull=False, liaison_enterprises__isnull=False
    ).distinct()
    for liaison in liaisons.order_by("pk"):
        enterprise = Enterprise.objects.filter(liaison=liaison).order_by("pk").first()
        if enterprise.requests.exists():
            continue
        project = enterprise.projects.order_by("pk").first()
        made.append(_resolved(liaison, duban, enterprise, project, today))
        made.append(_escalated(liaison, duban, enterprise, project, today, units))
    return made


def _handler(unit: Unit):
    """Someone of the unit who acts for it (its head, else anyone with an account)."""
    people = Person.objects.filter(unit=unit, user__isnull=False, is_active=True)
    return (people.filter(role=Role.UNIT_HEAD).first() or people.order_by("pk").first()).user


def _resolved(liaison, duban, enterprise, project, today):
    raised = _working_days_before(today, 25)
    days = [add_working_days(raised, n) for n in (1, 2, 4, 6, 8)]
    with story_clock(at(raised, 9, 12)):
        request = services.raise_request(
            liaison.user,
            enterprise=enterprise,
            category=Category.POWER,
            description=POWER,
            project=project,
        )
        request = services.assign(duban.user, request.pk, request.version, enterprise.unit)
    handler = _handler(enterprise.unit)
    with story_clock(at(raised, 15, 40)):
        request = services.accept(handler, request.pk, request.version)
    with story_clock(at(days[1], 10, 5)):
        request = services.answer(handler, request.pk, request.version, POWER_ANSWERS[0])
    with story_clock(at(days[2], 8, 50)):
        request = services.reopen(liaison.user, request.pk, request.version, POWER_REOPEN)
    with story_clock(at(days[3], 17, 30)):
        request = services.answer(handler, request.pk, request.version, POWER_ANSWERS[1])
    with story_clock(at(days[4], 9, 0)):
        request = services.confirm(liaison.user, request.pk, request.version)
        return services.rate(
            liaison.user, request.pk, request.version, Satisfaction.BASIC, "第一次答复不够实在。"
        )


def _escalated(liaison, duban, enterprise, project, today, units):
    raised = _working_days_before(today, 8)
    unit = units.get("自然资源和规划分局") or enterprise.unit
    with story_clock(at(raised, 11, 0)):
        request = services.raise_request(
            liaison.user,
            enterprise=enterprise,
            category=Category.APPROVAL,
            description=PERMIT,
            project=project,
        )
    with story_clock(at(add_working_days(raised, 1), 9, 30)):
        request = services.assign(duban.user, request.pk, request.version, unit)
        request = services.accept(_handler(unit), request.pk, request.version)
    services.escalate_overdue(today)  # the morning's run (tasks.escalate_overdue_requests)
    request.refresh_from_db()
    return request


def summary_line(requests: list[EnterpriseRequest]) -> str:
    escalated = sum(1 for r in requests if r.escalated_item_id)
    return f"企业诉求:{len(requests)} 条(其中超期转督办 {escalated} 条)。"
