"""The notification engine: messages fan out by rules into deliveries (never twice: a
unique key per message and recipient), queued for sending when the transaction commits;
reading the bell and personal settings. Sending and retries are in ``delivery.py``.

The engine knows no domain: the app that publishes writes the words and names the people
of the audiences it knows (see ``audiences.py``).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.core.versions import Conflict
from tuijin.notify import audiences, tasks
from tuijin.notify.models import (
    PERSONAL_CHANNELS,
    ROBOT_CHANNELS,
    URGENT_EVENTS,
    Channel,
    Delivery,
    Event,
    Notification,
    Preference,
    Rule,
    UnitRobot,
)


@dataclass
class Message:
    event: str
    key: str  # what makes this message unique: "item12:deadline2026-11-19", "item12:v5" …
    title: str
    body: str = ""
    url: str = ""
    # Mobile numbers to @ in the group robots' messages (where the channel supports it).
    mentions: list[str] = field(default_factory=list)


def publish(
    message: Message,
    *,
    unit=None,
    people: audiences.People | None = None,
    users=None,
    only=None,
) -> list[Delivery]:
    """Fan a message out by the active rules of its event. Returns the new deliveries (those
    already created by an earlier run are skipped: idempotent). Sending starts on commit.

    ``unit``: whose people, head, zone leaders and 督查室 the unit-based audiences are, and
    whose group robots post it. ``people``: audience → Person rows (or a callable giving
    them) for the audiences the caller knows. ``users``: send to exactly these users.
    ``only``: use only these channels of the rules (e.g. ``PERSONAL_CHANNELS`` for a message
    whose robots get a combined message instead).
    """
    created = []
    for rule in Rule.objects.filter(event=message.event, is_active=True):
        wanted = [c for c in rule.channels if only is None or c in only]
        if not wanted:
            continue
        recipients = (
            users
            if users is not None or not set(wanted) & PERSONAL_CHANNELS
            else audiences.resolve(rule.audience, unit=unit, people=people)
        ) or []
        for channel in wanted:
            if channel in ROBOT_CHANNELS:
                robots = UnitRobot.objects.filter(
                    unit=unit, kind=channel, is_active=True, broken_at__isnull=True
                )
                for robot in robots:
                    created.append(_create(message, channel, robot=robot))
            elif channel in PERSONAL_CHANNELS:
                for user in recipients:
                    if wants(user, message.event, channel):
                        created.append(_create(message, channel, recipient=user))
    created = [d for d in created if d is not None]
    if created:
        ids = [d.pk for d in created]
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[int]) -> None:
    for pk in ids:
        tasks.deliver_task(pk)


def preference(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def wants(user, event: str, channel: str) -> bool:
    pref = preference(user)
    if event in pref.muted_events:
        return False
    return channel != Channel.EMAIL or pref.email


def quiet_until(user, event: str, now: dt.datetime) -> dt.datetime | None:
    """End of the user's quiet hours if now falls inside them; overdue alerts ignore them."""
    pref = preference(user)
    if event in URGENT_EVENTS or not (pref.quiet_start and pref.quiet_end):
        return None
    local = timezone.localtime(now)
    start, end, t = pref.quiet_start, pref.quiet_end, local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)  # may span midnight
    if not inside:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end))


def _create(message: Message, channel: str, *, recipient=None, robot=None) -> Delivery | None:
    who = f"u{recipient.pk}" if recipient else f"r{robot.pk}"
    key = f"{message.event}:{message.key}:{channel}:{who}"[:200]
    now = timezone.now()
    later = quiet_until(recipient, message.event, now) if channel == Channel.EMAIL else None
    try:
        with transaction.atomic():  # a savepoint: a duplicate key must not spoil the caller
            return Delivery.objects.create(
                key=key,
                event=message.event,
                channel=channel,
                recipient=recipient,
                robot=robot,
                title=message.title[:200],
                body=message.body,
                url=message.url,
                mentions=list(message.mentions) if robot else [],
                next_attempt_at=later or now,
            )
    except IntegrityError:
        return None  # already created by an earlier run or another worker


# --- Reading ------------------------------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


PREFERENCES_CHANGED = (
    "您的通知设置刚刚已在其他页面或设备上修改,本次修改未保存。请核对后重新提交,您填写的内容已保留。"
)


@transaction.atomic
def save_preferences(
    user, *, received_events, email: bool, quiet_start=None, quiet_end=None, version=None
) -> Preference:
    """个人通知设置: the events not received are stored as muted.

    `version` is the one the form showed (0: nothing saved yet, None: no check); a save from
    another page or device in between raises ``Conflict`` (``core.versions``)."""
    received = set(received_events)
    values = {
        "muted_events": [value for value in Event.values if value not in received],
        "email": email,
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
    }
    preference = Preference.objects.select_for_update().filter(user=user).first()
    with audit_context(actor=user, action="save_preferences"):
        if preference is None:
            try:
                with transaction.atomic():
                    return Preference.objects.create(user=user, **values)
            except IntegrityError:  # the user's other page created it first
                current = Preference.objects.get(user=user)
                raise Conflict(PREFERENCES_CHANGED, current.version, current.pk) from None
        if version is not None and preference.version != version:
            raise Conflict(PREFERENCES_CHANGED, preference.version, preference.pk)
        for name, value in values.items():
            setattr(preference, name, value)
        preference.save()
    return preference
