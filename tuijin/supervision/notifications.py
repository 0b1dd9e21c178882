"""督办 and problem events as messages, and the periodic deadline reminders.

The notify engine knows no domain: these functions write the words and name the people of
each audience they know (the item's responsible person, assigner, project leaders, the
extension's requester); notify resolves the unit-based audiences (lead unit, its head, zone
leaders, 督查室) from ``unit`` and fans the message out by the admins' rules. People are
given as callables, so an audience no active rule asks for costs no query.

"压力传导,由上而下": due soon → due today → overdue daily → after N days the lead unit's
head → after 2N days the project's 包保 leaders and the assigner. The daily overdue reminder
reaches people item by item, but a unit's group robots get one list of all its overdue items
(a robot takes 20 messages a minute); robots @ the responsible people by mobile.
"""

import dataclasses
import datetime as dt
import re
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tuijin.core import deadlines
from tuijin.core.rules_settings import setting
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.notify.channels import absolute
from tuijin.notify.models import PERSONAL_CHANNELS, ROBOT_CHANNELS, Audience, Event
from tuijin.notify.services import Fanout, Message, publish
from tuijin.supervision.models import OPEN_STATES, SupervisionItem

ITEM_TEXTS = {
    Event.ITEM_ASSIGNED: "新交办督办事项:{title}",
    Event.ITEM_ACCEPTED: "督办事项已签收:{title}",
    Event.ITEM_URGED: "催办:{title}",
    Event.ITEM_RETURNED: "督办事项被退回:{title}",
    Event.ITEM_VERIFIED: "督办事项核查结果:{title}",
    Event.EXTENSION_REQUESTED: "延期申请待审批:{title}",
    Event.EXTENSION_DECIDED: "延期申请已审批:{title}",
    Event.ITEM_DUE_SOON: "督办临期:{title}",
    Event.ITEM_DUE_TODAY: "督办今天到期:{title}",
    Event.ITEM_OVERDUE: "督办超期:{title}",
    Event.ITEM_FELL_OVERDUE: "督办已超期:{title}",
    Event.ITEM_UNTRUE: "督办核查不属实:{title}",
    Event.ITEM_ESCALATED: "督办超期升级(单位负责人):{title}",
    Event.ITEM_ESCALATED_LEADER: "督办超期升级(领导):{title}",
}


def deadline_text(item) -> str:
    """期限:2026年11月29日(剩余2天), the days counted when the message is read (the bell) or
    sent (e-mail, robots), not when it was written (``core.deadlines``). A closed item's
    message gives the date alone: days left mean nothing once it is 办结."""
    if not item.is_open:
        return f"期限:{cn_date(item.deadline)}"
    return f"期限:{deadlines.due(item.deadline)}"


def item_message(event: str, item, key: str, note: str = "") -> Message:
    lines = [
        f"牵头单位:{item.lead_unit.name}",
        f"成效标准:{item.result_standard}",
        deadline_text(item),
    ]
    if note:
        lines.append(note)
    return Message(
        event=event,
        key=key,
        title=ITEM_TEXTS[event].format(title=item.title),
        body="\n".join(lines),
        url=item.get_absolute_url(),
        mentions=mobiles([item.responsible]),
    )


def mobiles(people) -> list[str]:
    """The mainland mobile numbers (11 digits from 1) among these people's phones, for the
    robots' @; landlines and empty phones are left out."""
    found = []
    for person in people:
        digits = re.sub(r"\D", "", getattr(person, "phone", "") or "").removeprefix("86")
        if re.fullmatch(r"1\d{10}", digits) and digits not in found:
            found.append(digits)
    return found


def overdue_list(unit, items, today: dt.date) -> Message:
    """One message for a unit's robots listing all its overdue items, most overdue first,
    each with its link (made absolute with ``SITE_URL``)."""
    items = sorted(items, key=lambda item: (item.deadline, item.pk))
    lines = [f"以下 {len(items)} 项督办事项已超期,请尽快办理:"]
    for number, item in enumerate(items, 1):
        who = f",责任人{item.responsible.name}" if item.responsible_id else ""
        lines.append(
            f"{number}. {item.title}({deadlines.left(item.deadline)}{who})\n"
            f"{absolute(item.get_absolute_url())}"
        )
    board = reverse("supervision:item_board") + f"?view=overdue&lead_unit={unit.pk}"
    return Message(
        event=Event.ITEM_OVERDUE,
        key=f"unit{unit.pk}:overdue:on{today}",
        title=f"督办超期汇总:{unit.name} {len(items)} 项",
        body="\n".join(lines),
        url=board,
        mentions=mobiles(item.responsible for item in items if item.responsible_id),
    )


def item_people(item, extension=None) -> dict:
    """The people of an item's audiences, each looked up only if a rule asks for it."""
    people = {
        Audience.RESPONSIBLE: lambda: [item.responsible],
        Audience.ASSIGNER: lambda: [item.assigner],
        Audience.PROJECT_LEADERS: lambda: item.project.leaders.all() if item.project_id else [],
    }
    if extension is not None:
        people[Audience.REQUESTER] = lambda: [extension.requested_by]
    return people


def item_changed(event: str, item, note: str = "", extension=None) -> None:
    """A one-off event of an item (交办, 签收, 催办 …): one message per version of the item."""
    key = f"item{item.pk}:v{item.version}"
    publish(
        item_message(event, item, key, note),
        unit=item.lead_unit,
        people=item_people(item, extension),
    )


def deadline_moved(item, note: str) -> None:
    """期限调整 by a change of the holiday calendar. Told as the assignment was (the same
    event's rules: the lead unit, its robots and the responsible person) under its own title,
    since the deadline is a term of the assignment; one message per version of the item."""
    message = item_message(Event.ITEM_ASSIGNED, item, f"item{item.pk}:v{item.version}", note)
    message = dataclasses.replace(message, title=f"督办期限调整:{item.title}")
    publish(message, unit=item.lead_unit, people=item_people(item))


def verified_untrue(item, note: str) -> None:
    """核查不属实: besides the return to the unit, the assigner and the project's 包保 leaders
    are told (leaders hear of untrue reports, not of every verification)."""
    key = f"item{item.pk}:v{item.version}"
    publish(item_message(Event.ITEM_UNTRUE, item, key, note), people=item_people(item))


def problem_escalated(problem) -> None:
    message = Message(
        event=Event.PROBLEM_ESCALATED,
        key=f"problem{problem.pk}:{problem.level}",
        title=f"问题升级至{problem.get_level_display()}:{problem.category.name}",
        body=f"{problem.description}\n责任单位:{problem.unit.name}",
        url=problem.get_absolute_url(),
    )
    leaders = lambda: problem.project.leaders.all() if problem.project_id else []  # noqa: E731
    publish(message, unit=problem.unit, people={Audience.PROJECT_LEADERS: leaders})


HORIZON_DAYS = 30  # no reminder is sent further ahead of a deadline than this


def first_remind_on(item) -> dt.date | None:
    """The first day an item's deadline brings a reminder (临期 starts ``reminder_days``
    before it); None for a closed item. Services set it whenever the deadline, the state or
    the reminder days change."""
    if not item.is_open:
        return None
    return item.deadline - dt.timedelta(days=min(item.reminder_days, HORIZON_DAYS))


def next_remind_on(item, today: dt.date) -> dt.date:
    """The first day after ``today``'s run that brings the item something new: the start of
    its 临期 window, else the deadline (今天到期: 临期 is sent once per deadline), else, once
    overdue, tomorrow (the daily reminder and the escalations)."""
    first = first_remind_on(item)
    if today < first:
        return first
    if today < item.deadline:
        return item.deadline
    return today + dt.timedelta(days=1)


def due_for_reminders(today: dt.date):
    """Open items with something to send on ``today``: their remind_on has come (a missed
    day is caught up), or was never set (written in bulk) and the deadline is near. Served
    by the partial index ``item_remind_on_idx``."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    return SupervisionItem.objects.filter(
        Q(remind_on__lte=today) | Q(remind_on__isnull=True, deadline__lte=horizon),
        state__in=sorted(OPEN_STATES),  # as the partial index names them
    )


def send_item_reminders(today: dt.date | None = None) -> int:
    """Periodic (every 30 minutes) and idempotent: each reminder once per item, threshold and
    recipient. Reads only the items whose ``remind_on`` has come, publishes their messages in
    one ``Fanout`` (rules, people, preferences and robots read once, deliveries inserted in
    bulk) and moves each item's ``remind_on`` to its next day, so a run with nothing new
    costs one query and a run's queries do not grow with its items or deliveries."""
    today = today or timezone.localdate()
    items = list(
        due_for_reminders(today)
        .select_related("lead_unit", "project", "responsible", "assigner")
        .prefetch_related("project__leaders")
    )
    if not items:
        return 0
    n = setting("ESCALATE_AFTER_DAYS")
    fanout = Fanout()
    overdue = defaultdict(list)  # unit → its overdue items, for one message to its robots
    for item in items:
        days = (item.deadline - today).days
        messages = []
        if days == 0:
            messages.append((Event.ITEM_DUE_TODAY, f"item{item.pk}:d{item.deadline}"))
        elif 0 < days <= min(item.reminder_days, HORIZON_DAYS):
            messages.append((Event.ITEM_DUE_SOON, f"item{item.pk}:d{item.deadline}"))
        elif days < 0:
            messages.append((Event.ITEM_OVERDUE, f"item{item.pk}:on{today}"))
            # The assigner (often a leader) hears once per deadline, not every day.
            messages.append((Event.ITEM_FELL_OVERDUE, f"item{item.pk}:d{item.deadline}"))
            if -days >= n:
                messages.append((Event.ITEM_ESCALATED, f"item{item.pk}:d{item.deadline}"))
            if -days >= 2 * n:
                messages.append((Event.ITEM_ESCALATED_LEADER, f"item{item.pk}:d{item.deadline}"))
        for event, key in messages:
            # The robots hear of overdue items in one list per unit (below), not one by one.
            only = PERSONAL_CHANNELS if event == Event.ITEM_OVERDUE else None
            fanout.add(
                item_message(event, item, key),
                unit=item.lead_unit,
                people=item_people(item),
                only=only,
            )
        if days < 0:
            overdue[item.lead_unit].append(item)
    for unit, unit_items in overdue.items():
        fanout.add(overdue_list(unit, unit_items, today), unit=unit, only=ROBOT_CHANNELS)
    sent = len(fanout.send())
    # Each item's next day, one UPDATE per day and deadline (overdue items all share
    # tomorrow; the others their deadline or the start of their window: at most ~60 groups).
    # Only rows still as read: an item closed or given a new deadline meanwhile keeps the
    # remind_on its service has just set.
    groups = defaultdict(list)
    for item in items:
        overdue_now = item.deadline < today
        groups[next_remind_on(item, today), None if overdue_now else item.deadline].append(item.pk)
    for (day, deadline), pks in sorted(groups.items(), key=str):
        still = Q(deadline__lt=today) if deadline is None else Q(deadline=deadline)
        for start in range(0, len(pks), 5_000):
            SupervisionItem.objects.filter(
                still, pk__in=pks[start : start + 5_000], state__in=sorted(OPEN_STATES)
            ).update(remind_on=day)
    return sent
