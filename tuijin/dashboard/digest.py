"""The weekly digest (每周推进摘要): what a leader should know on Monday morning.

Built per recipient from what that user may see (``visible_to``), sent through the notify
engine to the zone's audiences named by the ``weekly_digest`` rules. The periodic task is
``dashboard.tasks.weekly_digest``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tuijin.core import deadlines
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.notify import audiences
from tuijin.notify.models import Event, Rule
from tuijin.notify.services import Fanout, Message
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Light, Project
from tuijin.supervision.models import OPEN_STATES, ItemState, SupervisionItem


@dataclass
class Digest:
    since: dt.date
    new_red: list = field(default_factory=list)
    overdue_by_unit: list = field(default_factory=list)  # [(unit name, [items])]
    closed: list = field(default_factory=list)
    assigned: list = field(default_factory=list)  # new last week, 签收 or not

    def text(self) -> str:
        """The digest's words; each deadline is a ``core.deadlines`` marker, so "超期N天"
        is counted when the digest is read (the bell) or sent (e-mail), not when built."""
        lines = [f"一、新增红灯项目({len(self.new_red)}个)"]
        lines += [f"- {p.name}({p.park.name}):{p.light_summary}" for p in self.new_red] or ["- 无"]
        total = sum(len(items) for _, items in self.overdue_by_unit)
        lines.append(f"二、超期督办事项({total}项)")
        for unit, items in self.overdue_by_unit:
            lines.append(f"- {unit}:{len(items)}项")
            lines += [f"  · {i.title}({deadlines.left(i.deadline)})" for i in items]
        if not self.overdue_by_unit:
            lines.append("- 无")
        lines.append(f"三、上周办结({len(self.closed)}项)")
        lines += [
            f"- {i.title}({'按期' if i.closed_on_time else '逾期'})" for i in self.closed
        ] or ["- 无"]
        # Leaders are not told of each 签收 (notify.defaults): the digest says it once a week.
        waiting = sum(i.state == ItemState.ASSIGNED for i in self.assigned)
        lines.append(f"四、上周新交办({len(self.assigned)}项,{waiting}项待签收)")
        lines += [
            f"- {i.title}({i.lead_unit.name},{i.get_state_display()},"
            f"期限{deadlines.due(i.deadline)})"
            for i in self.assigned
        ] or ["- 无"]
        return "\n".join(lines)

    @property
    def today(self) -> dt.date:
        return self.since + dt.timedelta(days=7)


def build_digest(user, today: dt.date) -> Digest:
    """What a leader should know on Monday morning, as the leader may see it."""
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
    digest.assigned = list(
        visible.filter(assigned_on__gte=since, assigned_on__lt=today)
        .exclude(state=ItemState.CANCELLED)
        .select_related("lead_unit")
        .order_by("assigned_on", "pk")
    )
    return digest


def send_weekly_digests(today: dt.date | None = None) -> int:
    """Monday's digest to each recipient the rules name, each built as that user sees it
    (``build_digest``: a few queries per recipient, through ``visible_to``), all published
    in one ``Fanout``: rules, preferences and deliveries cost the same for 10 leaders or
    1,000."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    rules = list(Rule.objects.filter(event=Event.WEEKLY_DIGEST, is_active=True))
    if not rules:
        return 0
    fanout = Fanout()
    for zone in Unit.objects.filter(kind=UnitKind.ZONE):
        recipients = {
            user.pk: user for rule in rules for user in audiences.resolve(rule.audience, unit=zone)
        }
        for user in recipients.values():
            digest = build_digest(user, today)
            message = Message(
                event=Event.WEEKLY_DIGEST,
                key=f"{year}w{week}",
                title=f"{zone.name}每周推进摘要({cn_date(today)})",
                body=digest.text(),
                url=reverse("home"),
            )
            fanout.add(message, unit=zone, users=[user])
    return len(fanout.send())
