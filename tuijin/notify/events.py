"""What happens in the zone, as messages: 督办 events, daily reminders, the weekly digest.

"压力传导,由上而下": due soon → due today → overdue daily → after N days the lead unit's
head → after 2N days the project's 包保 leaders and the assigner.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tuijin.core.rules_settings import setting
from tuijin.notify.models import Event, Rule
from tuijin.notify.services import Message, publish
from tuijin.supervision.models import OPEN_STATES, SupervisionItem

ITEM_TEXTS = {
    Event.ITEM_ASSIGNED: "新交办督办事项:{title}",
    Event.ITEM_ACCEPTED: "督办事项已签收:{title}",
    Event.ITEM_URGED: "催办:{title}",
    Event.ITEM_RETURNED: "督办事项被退回:{title}",
    Event.ITEM_VERIFIED: "督办事项核查结果:{title}",
    Event.EXTENSION_DECIDED: "延期申请已审批:{title}",
    Event.ITEM_DUE_SOON: "督办临期:{title}",
    Event.ITEM_DUE_TODAY: "督办今天到期:{title}",
    Event.ITEM_OVERDUE: "督办超期:{title}",
    Event.ITEM_ESCALATED: "督办超期升级(单位负责人):{title}",
    Event.ITEM_ESCALATED_LEADER: "督办超期升级(领导):{title}",
}


def deadline_text(item, today: dt.date) -> str:
    days = (item.deadline - today).days
    if days > 0:
        left = f"剩余{days}天"
    elif days == 0:
        left = "今天到期"
    else:
        left = f"超期{-days}天"
    return f"期限{item.deadline:%Y-%m-%d}({left})"


def item_message(event: str, item, key: str, note: str = "", today=None) -> Message:
    today = today or timezone.localdate()
    lines = [
        f"牵头单位:{item.lead_unit.name}",
        f"成效标准:{item.result_standard}",
        deadline_text(item, today),
    ]
    if note:
        lines.append(note)
    return Message(
        event=event,
        key=key,
        title=ITEM_TEXTS[event].format(title=item.title),
        body="\n".join(lines),
        url=item.get_absolute_url(),
    )


def item_changed(event: str, item, note: str = "", extension=None) -> None:
    """A one-off event of an item (交办, 签收, 催办 …): one message per version of the item."""
    key = f"item{item.pk}:v{item.version}"
    publish(
        item_message(event, item, key, note), unit=item.lead_unit, item=item, extension=extension
    )


def problem_escalated(problem) -> None:
    message = Message(
        event=Event.PROBLEM_ESCALATED,
        key=f"problem{problem.pk}:{problem.level}",
        title=f"问题升级至{problem.get_level_display()}:{problem.category.name}",
        body=f"{problem.description}\n责任单位:{problem.unit.name}",
        url=problem.get_absolute_url(),
    )
    publish(message, unit=problem.unit, problem=problem)


def send_item_reminders(today: dt.date | None = None) -> int:
    """Periodic and idempotent: each reminder once per item, threshold and recipient."""
    today = today or timezone.localdate()
    n = setting("ESCALATE_AFTER_DAYS")
    horizon = today + dt.timedelta(days=30)
    items = SupervisionItem.objects.filter(
        state__in=OPEN_STATES, deadline__lte=horizon
    ).select_related("lead_unit", "project", "responsible", "assigner")
    sent = 0
    for item in items:
        days = (item.deadline - today).days
        messages = []
        if days == 0:
            messages.append((Event.ITEM_DUE_TODAY, f"item{item.pk}:d{item.deadline}"))
        elif 0 < days <= item.reminder_days:
            messages.append((Event.ITEM_DUE_SOON, f"item{item.pk}:d{item.deadline}"))
        elif days < 0:
            messages.append((Event.ITEM_OVERDUE, f"item{item.pk}:on{today}"))
            if -days >= n:
                messages.append((Event.ITEM_ESCALATED, f"item{item.pk}:d{item.deadline}"))
            if -days >= 2 * n:
                messages.append((Event.ITEM_ESCALATED_LEADER, f"item{item.pk}:d{item.deadline}"))
        for event, key in messages:
            sent += len(
                publish(item_message(event, item, key, today=today), unit=item.lead_unit, item=item)
            )
    return sent


# --- Weekly digest ------------------------------------------------------------------------------


@dataclass
class Digest:
    since: dt.date
    new_red: list = field(default_factory=list)
    overdue_by_unit: list = field(default_factory=list)  # [(unit name, [items])]
    closed: list = field(default_factory=list)

    def text(self) -> str:
        lines = [f"一、新增红灯项目({len(self.new_red)}个)"]
        lines += [f"- {p.name}({p.park.name}):{p.light_summary}" for p in self.new_red] or ["- 无"]
        total = sum(len(items) for _, items in self.overdue_by_unit)
        lines.append(f"二、超期督办事项({total}项)")
        for unit, items in self.overdue_by_unit:
            lines.append(f"- {unit}:{len(items)}项")
            lines += [f"  · {i.title}(超期{(self.today - i.deadline).days}天)" for i in items]
        if not self.overdue_by_unit:
            lines.append("- 无")
        lines.append(f"三、上周办结({len(self.closed)}项)")
        lines += [
            f"- {i.title}({'按期' if i.closed_on_time else '逾期'})" for i in self.closed
        ] or ["- 无"]
        return "\n".join(lines)

    @property
    def today(self) -> dt.date:
        return self.since + dt.timedelta(days=7)


def build_digest(user, today: dt.date) -> Digest:
    """What a leader should know on Monday morning, as the leader may see it."""
    from tuijin.projects.models import Light, Project

    since = today - dt.timedelta(days=7)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    digest = Digest(since=since)
    digest.new_red = list(
        Project.objects.visible_to(user)
        .filter(light=Light.RED, light_since__gte=start)
        .select_related("park")
        .order_by("park__path", "code")
    )
    visible = SupervisionItem.objects.visible_to(user)
    overdue = (
        visible.filter(state__in=OPEN_STATES, deadline__lt=today)
        .select_related("lead_unit")
        .order_by("lead_unit__path", "deadline", "pk")
    )
    groups: dict[str, list] = {}
    for item in overdue:
        groups.setdefault(item.lead_unit.name, []).append(item)
    digest.overdue_by_unit = list(groups.items())
    digest.closed = list(
        visible.filter(Q(closed_on__gte=since) & Q(closed_on__lt=today)).order_by("closed_on")
    )
    return digest


def send_weekly_digests(today: dt.date | None = None) -> int:
    from tuijin.notify import audiences
    from tuijin.org.models import Unit, UnitKind

    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    sent = 0
    for zone in Unit.objects.filter(kind=UnitKind.ZONE):
        recipients = {
            user.pk: user
            for rule in Rule.objects.filter(event=Event.WEEKLY_DIGEST, is_active=True)
            for user in audiences.resolve(rule.audience, unit=zone)
        }
        for user in recipients.values():
            digest = build_digest(user, today)
            message = Message(
                event=Event.WEEKLY_DIGEST,
                key=f"{year}w{week}",
                title=f"{zone.name}每周推进摘要({today:%Y-%m-%d})",
                body=digest.text(),
                url=reverse("home"),
            )
            sent += len(publish(message, unit=zone, users=[user]))
    return sent
