"""The notification engine: messages fan out by rules into deliveries (never twice: a
unique key per message and recipient), queued for sending when the transaction commits;
reading the bell and personal settings. Sending and retries are in ``delivery.py``.

The engine knows no domain: the app that publishes writes the words and names the people
of the audiences it knows (see ``audiences.py``).
"""

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.core.versions import Conflict
from tuijin.notify import audiences, tasks
from tuijin.notify.events import URGENT_EVENTS, event_keys
from tuijin.notify.models import (
    PERSONAL_CHANNELS,
    ROBOT_CHANNELS,
    Audience,
    Channel,
    Delivery,
    Notification,
    Preference,
    Rule,
    UnitRobot,
)
from tuijin.org.models import Person, Role, Unit, UnitKind


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
    fanout = Fanout()
    fanout.add(message, unit=unit, people=people, users=users, only=only)
    return fanout.send()


class Fanout:
    """Many messages published at once, as ``publish`` publishes one (the same rules,
    audiences, preferences, keys and order), for the periodic jobs that send hundreds: the
    rules, robots, people, accounts and preferences are read once for all the messages and
    the deliveries inserted in bulk, those already made skipped by the database (the unique
    key), so the job's queries do not grow with its messages::

        fanout = Fanout()
        for item in items:
            fanout.add(message_of(item), unit=item.lead_unit, people=people_of(item))
        created = fanout.send()  # the new deliveries, queued for sending on commit
    """

    def __init__(self):
        self._messages = []

    def add(self, message: Message, *, unit=None, people=None, users=None, only=None) -> None:
        self._messages.append((message, unit, people, users, only))

    def __len__(self) -> int:
        return len(self._messages)

    def send(self) -> list[Delivery]:
        messages, self._messages = self._messages, []
        if not messages:
            return []
        rules = defaultdict(list)  # in the rules' order (event, audience), as publish reads them
        for rule in Rule.objects.filter(
            event__in={message.event for message, *_ in messages}, is_active=True
        ):
            rules[rule.event].append(rule)
        plans = [self._plan(rules[message.event], *rest) for message, *rest in messages]
        people = _UnitPeople([want for plan in plans for _c, want in plan if want[0] == "unit"])
        for plan in plans:
            for _channel, want in plan:
                if want[0] in ("unit", "persons"):
                    people.need_users(want)
        prefs = _preferences({user.pk for plan in plans for user in people.users_in(plan)})
        robots = _robots({want[1].pk for plan in plans for _c, want in plan if want[0] == "robots"})
        now = timezone.now()
        rows, keys = [], set()
        for (message, *_rest), plan in zip(messages, plans, strict=True):
            for channel, want in plan:
                if want[0] == "robots":
                    targets = [("robot", r) for r in robots.get((want[1].pk, channel), [])]
                else:
                    targets = [
                        ("recipient", user)
                        for user in people.users(want)
                        if _wants(prefs.get(user.pk), message.event, channel)
                    ]
                for role, target in targets:
                    row = _delivery_row(message, channel, now, prefs, **{role: target})
                    if row[0] not in keys:  # the first wins, as publish's savepoints did
                        keys.add(row[0])
                        rows.append(row)
        created = _insert(rows)
        if created:
            ids = [d.pk for d in created]
            transaction.on_commit(lambda: _enqueue(ids))
        return created

    @staticmethod
    def _plan(rules, unit, people, users, only) -> list[tuple[str, tuple]]:
        """(channel, what it reaches) for each channel of each rule, in publish's order:
        ("robots", unit), ("users", users), ("unit", audience, unit) or ("persons", people)."""
        plan = []
        for rule in rules:
            wanted = [c for c in rule.channels if only is None or c in only]
            if not wanted:
                continue
            if users is not None:
                personal = ("users", list(users))
            elif not set(wanted) & PERSONAL_CHANNELS:
                personal = ("users", [])
            elif rule.audience in audiences.UNIT_AUDIENCES:
                personal = ("unit", rule.audience, unit) if unit else ("users", [])
            else:
                named = (people or {}).get(rule.audience)
                named = named() if callable(named) else (named or [])
                personal = ("persons", list(named))
            for channel in wanted:
                if channel in ROBOT_CHANNELS:
                    if unit is not None:
                        plan.append((channel, ("robots", unit)))
                elif channel in PERSONAL_CHANNELS:
                    plan.append((channel, personal))
        return plan


def _chunks(values, size: int = 5_000):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _UnitPeople:
    """The people of unit-based audiences (``audiences.resolve`` for many units at once) and
    the active accounts of every person named, each read in one query (per 5,000 ids)."""

    def __init__(self, wants):
        self.units = {want[2].pk: want[2] for want in wants}
        needed = {want[1] for want in wants}
        self.of_unit = defaultdict(list)  # unit pk → its people in UNIT_PEOPLE roles
        self.of_zone = defaultdict(list)  # (zone pk, role) → people of that role in the zone
        self.zone_of = {}
        if needed & {Audience.LEAD_UNIT, Audience.LEAD_UNIT_HEAD}:
            for ids in _chunks(self.units):
                people = Person.objects.filter(unit_id__in=ids, role__in=audiences.UNIT_PEOPLE)
                for person in people.order_by("pk"):
                    self.of_unit[person.unit_id].append(person)
        roles = {audiences.ZONE_ROLES[a] for a in needed if a in audiences.ZONE_ROLES}
        if roles:
            self._load_zones(roles)
        self.accounts = {}
        self._asked = set()

    def _load_zones(self, roles) -> None:
        zones = list(Unit.objects.filter(kind=UnitKind.ZONE))
        for unit in self.units.values():
            # Unit.zone in memory: the deepest zone above the unit (or the unit itself).
            above = [z for z in zones if unit.path.startswith(z.path)]
            self.zone_of[unit.pk] = max(above, key=lambda z: z.depth) if above else unit.zone
        paths = {zone.pk: zone.path for zone in self.zone_of.values()}
        for zone_pks in _chunks(paths, 50):
            within = Q()
            for pk in zone_pks:
                within |= Q(unit__path__startswith=paths[pk])
            for person in (
                Person.objects.filter(within, role__in=roles).select_related("unit").order_by("pk")
            ):
                for pk in zone_pks:
                    if person.unit.path.startswith(paths[pk]):
                        self.of_zone[pk, person.role].append(person)

    def _people(self, want) -> list:
        if want[0] == "persons":
            return want[1]
        _kind, audience, unit = want
        if audience == Audience.LEAD_UNIT:
            return self.of_unit[unit.pk]
        if audience == Audience.LEAD_UNIT_HEAD:
            return [p for p in self.of_unit[unit.pk] if p.role == Role.UNIT_HEAD]
        return self.of_zone[self.zone_of[unit.pk].pk, audiences.ZONE_ROLES[audience]]

    def need_users(self, want) -> None:
        for person in self._people(want):
            if person is not None and person.user_id and person.is_active:
                self._asked.add(person.user_id)

    def _load_users(self) -> None:
        asked, self._asked = self._asked - set(self.accounts), set()
        User = get_user_model()
        for ids in _chunks(asked):
            self.accounts |= {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True)}

    def users(self, want) -> list:
        """As ``audiences.users_of``: active accounts of active people, distinct, by pk."""
        if want[0] == "users":
            return want[1]
        if self._asked:
            self._load_users()
        ids = {p.user_id for p in self._people(want) if p is not None and p.user_id and p.is_active}
        return [self.accounts[pk] for pk in sorted(ids) if pk in self.accounts]

    def users_in(self, plan):
        for _channel, want in plan:
            if want[0] != "robots":
                yield from self.users(want)


def _preferences(user_ids) -> dict:
    found = {}
    for ids in _chunks(user_ids):
        found |= {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    return found


def _robots(unit_ids) -> dict:
    """(unit pk, kind) → the unit's working robots of that kind."""
    found = defaultdict(list)
    for ids in _chunks(unit_ids):
        robots = UnitRobot.objects.filter(
            unit_id__in=ids, is_active=True, broken_at__isnull=True
        ).order_by("pk")
        for robot in robots:
            found[robot.unit_id, robot.kind].append(robot)
    return found


ENQUEUE_ONE_BY_ONE = 20  # up to this many deliveries are queued each on its own
ENQUEUE_BATCH = 50


def _enqueue(ids: list[int]) -> None:
    """Queue the sending: an event's few deliveries one task each (sent in parallel by the
    workers), a periodic job's thousands in tasks of ``ENQUEUE_BATCH``."""
    if len(ids) <= ENQUEUE_ONE_BY_ONE:
        for pk in ids:
            tasks.deliver_task(pk)
        return
    for batch in _chunks(ids, ENQUEUE_BATCH):
        tasks.deliver_batch_task(batch)


def preference(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def _wants(pref: Preference | None, event: str, channel: str) -> bool:
    if pref is not None and event in pref.muted_events:
        return False
    return channel != Channel.EMAIL or pref is None or pref.email


def wants(user, event: str, channel: str) -> bool:
    return _wants(preference(user), event, channel)


def quiet_until(user, event: str, now: dt.datetime) -> dt.datetime | None:
    """End of the user's quiet hours if now falls inside them; overdue alerts ignore them."""
    return _quiet_until(preference(user), event, now)


def _quiet_until(pref: Preference | None, event: str, now: dt.datetime) -> dt.datetime | None:
    if pref is None or event in URGENT_EVENTS or not (pref.quiet_start and pref.quiet_end):
        return None
    local = timezone.localtime(now)
    start, end, t = pref.quiet_start, pref.quiet_end, local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)  # may span midnight
    if not inside:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end))


# The columns a fan-out fills, in the order of ``_delivery_row``; the others take their
# defaults (pending, no attempt, no error …) and created_at the time of the INSERT.
ROW_FIELDS = (
    "key",
    "event",
    "channel",
    "recipient_id",
    "robot_id",
    "title",
    "body",
    "url",
    "mentions",
    "next_attempt_at",
)


def _delivery_row(message: Message, channel: str, now, prefs, *, recipient=None, robot=None):
    """A delivery's values (``ROW_FIELDS``): a tuple, not a model instance, since most rows of
    a periodic run are refused by the unique key and only the new ones become ``Delivery``."""
    who = f"u{recipient.pk}" if recipient else f"r{robot.pk}"
    later = (
        _quiet_until(prefs.get(recipient.pk), message.event, now)
        if channel == Channel.EMAIL
        else None
    )
    return (
        f"{message.event}:{message.key}:{channel}:{who}"[:200],
        message.event,
        channel,
        recipient.pk if recipient else None,
        robot.pk if robot else None,
        message.title[:200],
        message.body,
        message.url,
        list(message.mentions) if robot else [],
        later or now,
    )


def _batch_size(columns: int) -> int:
    """Rows per INSERT … VALUES: 1,000, or fewer where the database takes fewer parameters
    (SQLite as built; Django assumes its old default of 999 parameters)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(1, min(1_000, limit // columns))
    return 1_000


UNNEST_BATCH = 10_000  # rows per INSERT … SELECT FROM unnest(…) on PostgreSQL


def _insert(rows: list[tuple]) -> list[Delivery]:
    """INSERT … ON CONFLICT (key) DO NOTHING RETURNING id, key: the rows already made (by an
    earlier run or another worker at the same moment) are skipped, and only the new ones come
    back, as ``Delivery`` instances in the order given (PostgreSQL, and SQLite ≥ 3.35).
    Written here rather than through ``bulk_create``, which returns no ids with
    ``ignore_conflicts``, and whose compiler spent half of a large reminder run preparing the
    cells one expression at a time. On PostgreSQL each column is one array parameter
    (``unnest``): a VALUES list of 10,000 placeholders a statement cost psycopg more to parse
    on the client than the database took to insert."""
    if not rows:
        return []
    ops = connection.ops
    fields = [Delivery._meta.get_field(name) for name in ROW_FIELDS]
    others = [f for f in Delivery._meta.concrete_fields if f.name != "id" and f not in fields]
    now = timezone.now()
    # Each other column's default, prepared once (created_at: auto_now_add, as save() would).
    constants = [
        f.get_db_prep_save(now if f.name == "created_at" else f.get_default(), connection)
        for f in others
    ]
    columns = ", ".join(ops.quote_name(f.column) for f in fields + others)
    insert = f"INSERT INTO {ops.quote_name(Delivery._meta.db_table)} ({columns}) "
    conflict = (
        f" ON CONFLICT ({ops.quote_name('key')}) DO NOTHING RETURNING id, {ops.quote_name('key')}"
    )
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statements = _unnest_statements(rows, fields, others, constants)
        else:
            statements = _values_statements(rows, fields, constants)
        for sql, params in statements:
            cursor.execute(insert + sql + conflict, params)
            found |= dict((key, pk) for pk, key in cursor.fetchall())
    created = []
    for row in rows:
        if row[0] in found:
            delivery = Delivery(**dict(zip(ROW_FIELDS, row, strict=True)), created_at=now)
            delivery.pk = found[row[0]]
            delivery._state.adding, delivery._state.db = False, connection.alias
            created.append(delivery)
    return created


def _unnest_statements(rows, fields, others, constants):
    """SELECT … FROM unnest(%s::type[], …), one array per column, the defaults as scalars."""
    typed = [
        "text" if f.get_internal_type() == "JSONField" else f.db_type(connection) for f in fields
    ]
    names = [f"c{n}" for n in range(len(fields))]
    select = [
        f"{name}::jsonb" if f.get_internal_type() == "JSONField" else name
        for name, f in zip(names, fields, strict=True)
    ]
    select += [f"%s::{f.db_type(connection)}" for f in others]
    arrays = ", ".join(f"%s::{db_type}[]" for db_type in typed)
    sql = f"SELECT {', '.join(select)} FROM unnest({arrays}) AS v({', '.join(names)})"
    json_columns = [n for n, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
    for batch in _chunks(rows, UNNEST_BATCH):
        columns = [list(column) for column in zip(*batch, strict=True)]
        for n in json_columns:
            columns[n] = [json.dumps(value) for value in columns[n]]
        yield sql, constants + columns


def _values_statements(rows, fields, constants):
    """VALUES (…), (…) with each cell prepared as its field prepares it (SQLite)."""
    # Strings and ids need no preparing; the others (JSON, datetimes) as Django would.
    prepare = [
        None if f.get_internal_type() in ("CharField", "TextField", "ForeignKey") else f
        for f in fields
    ]
    width = len(fields) + len(constants)
    row_sql = "(" + ", ".join(["%s"] * width) + ")"
    for batch in _chunks(rows, _batch_size(width)):
        params = []
        for row in batch:
            params += [
                value if f is None else f.get_db_prep_save(value, connection)
                for f, value in zip(prepare, row, strict=True)
            ]
            params += constants
        yield "VALUES " + ", ".join([row_sql] * len(batch)), params


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
        "muted_events": [value for value in event_keys() if value not in received],
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
