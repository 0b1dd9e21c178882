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

from constance.signals import config_updated
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from tuijin.core import deadlines
from tuijin.core.rules_settings import setting
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.notify.channels import absolute
from tuijin.notify.models import PERSONAL_CHANNELS, ROBOT_CHANNELS, Audience, Event
from tuijin.notify.services import Fanout, Message, publish
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Project
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


def item_message(event: str, item, key: str, note: str = "", url: str | None = None) -> Message:
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
        url=url or item.get_absolute_url(),
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


def overdue_list(unit, items, today: dt.date, url_of=None) -> Message:
    """One message for a unit's robots listing all its overdue items, most overdue first,
    each with its link (made absolute with ``SITE_URL``)."""
    url_of = url_of or (lambda item: item.get_absolute_url())
    items = sorted(items, key=lambda item: (item.deadline, item.pk))
    lines = [f"以下 {len(items)} 项督办事项已超期,请尽快办理:"]
    for number, item in enumerate(items, 1):
        who = f",责任人{item.responsible.name}" if item.responsible_id else ""
        lines.append(
            f"{number}. {item.title}({deadlines.left(item.deadline)}{who})\n"
            f"{absolute(url_of(item))}"
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


def last_run(item) -> dt.date | None:
    """The day of the last run that read this overdue item with its current deadline, if a
    run has read it since that deadline came: such a run set ``remind_on`` to the day after
    it, past the deadline, and built every once-per-deadline message due by then (a missed
    day is caught up from there). A ``remind_on`` set by a service (the deadline or the state
    changed) is never past the deadline: None, nothing is known to be sent."""
    if item.remind_on is None or item.remind_on <= item.deadline:
        return None
    return item.remind_on - dt.timedelta(days=1)


def due_for_reminders(today: dt.date):
    """Open items with something to send on ``today``: their remind_on has come (a missed
    day is caught up), or was never set (written in bulk) and the deadline is near. Served
    by the partial index ``item_remind_on_idx``."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    return SupervisionItem.objects.filter(
        Q(remind_on__lte=today) | Q(remind_on__isnull=True, deadline__lte=horizon),
        state__in=sorted(OPEN_STATES),  # as the partial index names them
    )


# The item's columns the run reads (the others, such as the requirement's text, are left).
REMINDER_FIELDS = (
    "title",
    "result_standard",
    "project",
    "assigner",
    "lead_unit",
    "responsible",
    "reminder_days",
    "deadline",
    "remind_on",
    "state",
)


def reminder_items(today: dt.date) -> list:
    """The items due for reminders with their lead units and people, each unit and person
    read once however many items share them (constant queries)."""
    items = list(due_for_reminders(today).only(*REMINDER_FIELDS))
    if not items:
        return items
    units = Unit.objects.in_bulk({item.lead_unit_id for item in items})
    ids = {item.responsible_id for item in items} | {item.assigner_id for item in items}
    people = Person.objects.in_bulk(ids - {None})
    fields = [SupervisionItem._meta.get_field(name) for name in ("responsible", "assigner")]
    lead_unit = SupervisionItem._meta.get_field("lead_unit")
    for item in items:
        lead_unit.set_cached_value(item, units[item.lead_unit_id])
        for field in fields:
            field.set_cached_value(item, people.get(getattr(item, field.attname)))
    return items


class ProjectLeaders:
    """The projects' 包保 leaders for a run's messages, read the first time a rule asks for
    them for an event: one query for all the projects of that event's messages (none if no
    rule asks), instead of one per item or of every item's leaders read in advance."""

    def __init__(self):
        self.projects = defaultdict(set)  # event → the projects of its messages
        self.of = defaultdict(list)  # project pk → its leaders
        self.read = set()

    def of_project(self, event: str, project_id: int):
        self.projects[event].add(project_id)
        return lambda: self.get(event, project_id)

    def get(self, event: str, project_id: int) -> list:
        wanted = self.projects[event] - self.read
        if project_id in wanted:
            self.read |= wanted
            through = Project.leaders.through
            for start in range(0, len(wanted), 5_000):
                ids = sorted(wanted)[start : start + 5_000]
                rows = through.objects.filter(project_id__in=ids).select_related("person")
                for row in rows.order_by("pk"):
                    self.of[row.project_id].append(row.person)
        return self.of[project_id]


def item_urls():
    """``item.get_absolute_url()`` for many items: the URL reversed once, the pk put in."""
    marker = "9" * 18
    head, _marker, tail = reverse("supervision:item_detail", args=[int(marker)]).partition(marker)
    return lambda item: f"{head}{item.pk}{tail}"


def send_item_reminders(today: dt.date | None = None) -> int:
    """Periodic (every 30 minutes) and idempotent: each reminder once per item, threshold and
    recipient. Reads only the items whose ``remind_on`` has come, publishes their messages in
    one ``Fanout`` (rules, people, preferences and robots read once, deliveries inserted in
    bulk) and moves each item's ``remind_on`` to its next day, so a run with nothing new
    costs one query and a run's queries do not grow with its items or deliveries."""
    today = today or timezone.localdate()
    items = reminder_items(today)
    if not items:
        return 0
    url_of = item_urls()
    leaders = ProjectLeaders()
    n = setting("ESCALATE_AFTER_DAYS")
    once_overdue = [
        (Event.ITEM_FELL_OVERDUE, dt.timedelta(days=1)),
        (Event.ITEM_ESCALATED, dt.timedelta(days=n)),
        (Event.ITEM_ESCALATED_LEADER, dt.timedelta(days=2 * n)),
    ]
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
            # Once per deadline, each on the day its threshold is crossed (or the first run
            # after it): the assigner (often a leader) hears it fell overdue, then the
            # escalations. Those crossed by an earlier run for this deadline were built then.
            last = last_run(item)
            for event, after in once_overdue:
                if -days >= after.days and (last is None or last < item.deadline + after):
                    messages.append((event, f"item{item.pk}:d{item.deadline}"))
        for event, key in messages:
            # The robots hear of overdue items in one list per unit (below), not one by one.
            only = PERSONAL_CHANNELS if event == Event.ITEM_OVERDUE else None
            people = item_people(item)
            if item.project_id:
                people[Audience.PROJECT_LEADERS] = leaders.of_project(event, item.project_id)
            fanout.add(
                item_message(event, item, key, url=url_of(item)),
                unit=item.lead_unit,
                people=people,
                only=only,
            )
        if days < 0:
            overdue[item.lead_unit].append(item)
    for unit, unit_items in overdue.items():
        fanout.add(overdue_list(unit, unit_items, today, url_of), unit=unit, only=ROBOT_CHANNELS)
    sent = len(fanout.send())
    # Each item's next day, one UPDATE per day (overdue items all share tomorrow; the others
    # their deadline or the start of their window: at most ~60 days) and 5,000 items. Only
    # rows still as read (open, the same deadline): an item closed or given a new deadline
    # meanwhile keeps the remind_on its service has just set, so the messages of its new
    # deadline are not taken for sent (``last_run``).
    by_day = defaultdict(list)
    for item in items:
        by_day[next_remind_on(item, today)].append(item)
    for day, group in sorted(by_day.items()):
        for start in range(0, len(group), 5_000):
            by_deadline = defaultdict(list)
            for item in group[start : start + 5_000]:
                by_deadline[item.deadline].append(item.pk)
            still = Q()
            for deadline, pks in by_deadline.items():
                still |= Q(deadline=deadline, pk__in=pks)
            SupervisionItem.objects.filter(still, state__in=sorted(OPEN_STATES)).update(
                remind_on=day
            )
    return sent


@receiver(config_updated, dispatch_uid="tuijin_supervision_escalation_changed")
def _escalation_threshold_changed(sender, key, old_value, new_value, **kwargs):
    """A new 超期升级 threshold is judged again for every open item on the next run: an item's
    escalations are built only on the run that crosses a threshold, so without this a lowered
    threshold would never escalate the items already past it. ``remind_on`` is the run's
    bookkeeping (not audited); the setting's change itself is audited."""
    if key == "ESCALATE_AFTER_DAYS" and old_value != new_value:
        SupervisionItem.objects.filter(state__in=OPEN_STATES).update(remind_on=None)
