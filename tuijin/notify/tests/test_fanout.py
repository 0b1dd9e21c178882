"""A Fanout publishes many messages as publish does one (B12): the same deliveries, the
same keys, the queries of one run whatever the number of messages, and a large fan-out
queued in batches, every delivery still sent once."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.notify import services
from tuijin.notify.models import Audience, Delivery, Notification, Preference, Rule, UnitRobot
from tuijin.notify.services import Fanout, Message, publish
from tuijin.notify.tests.conftest import committed  # noqa: F401 (fixture)
from tuijin.org.models import Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org):
    Rule.ensure_defaults()
    unit = Unit.objects.get(name="经济发展局")
    UnitRobot.objects.create(unit=unit, kind="wecom", webhook_url="https://r.invalid/w")
    staff = get_user_model().objects.get(username="jingfa_staff")
    Preference.objects.create(user=staff, muted_events=["item_urged"], email=True)
    return unit


def messages(n: int, event="item_due_soon"):
    return [Message(event=event, key=f"item{i}:d2026-11-19", title=f"临期{i}") for i in range(n)]


def people():
    duban = Person.objects.get(user__username="duban")
    staff = Person.objects.get(user__username="jingfa_staff")
    return {Audience.RESPONSIBLE: lambda: [staff], Audience.ASSIGNER: [duban]}


def test_a_fanout_makes_what_publish_makes_one_by_one(setup):
    events = ["item_due_soon", "item_overdue", "item_urged", "item_escalated"]
    for event in events:
        for message in messages(3, event):
            publish(message, unit=setup, people=people())
    one_by_one = sorted(Delivery.objects.values_list("key", "channel", "recipient", "robot"))
    assert one_by_one
    Delivery.objects.all().delete()
    fanout = Fanout()
    for event in events:
        for message in messages(3, event):
            fanout.add(message, unit=setup, people=people())
    created = fanout.send()
    assert sorted((d.key, d.channel, d.recipient_id, d.robot_id) for d in created) == one_by_one
    assert all(d.pk for d in created)
    # Once made, nothing again: the database skips the existing keys.
    for event in events:
        for message in messages(3, event):
            fanout.add(message, unit=setup, people=people())
    assert fanout.send() == []


def test_a_fanouts_queries_do_not_grow_with_its_messages(setup):
    def run(n):
        Delivery.objects.all().delete()
        fanout = Fanout()
        for message in messages(n):
            fanout.add(message, unit=setup, people=people())
        with CaptureQueriesContext(connection) as captured:
            created = fanout.send()
        return len(created), len(captured)

    few, few_queries = run(3)
    many, many_queries = run(30)
    assert many == 10 * few > 0
    assert many_queries == few_queries <= 8


def test_a_large_fanout_is_queued_in_batches_and_each_delivery_sent_once(
    setup,
    committed,  # noqa: F811
    monkeypatch,
):
    batches = []
    real = services.tasks.deliver_batch_task
    monkeypatch.setattr(
        services.tasks, "deliver_batch_task", lambda ids: batches.append(ids) or real(ids)
    )
    staff = get_user_model().objects.get(username="jingfa_staff")
    fanout = Fanout()
    for message in messages(120):
        fanout.add(message, users=[staff], only={"inapp"})
    with committed():
        created = fanout.send()
    assert len(created) == 120
    assert [len(b) for b in batches] == [50, 50, 20]
    assert Notification.objects.filter(recipient=staff).count() == 120
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_single_delivery_made_twice_is_made_once(setup):
    staff = get_user_model().objects.get(username="jingfa_staff")
    message = Message(event="item_due_soon", key="item1:d2026-11-19", title="临期")
    [first] = publish(message, users=[staff], only={"inapp"})
    assert first.pk and publish(message, users=[staff], only={"inapp"}) == []
    assert Delivery.objects.filter(recipient=staff).count() == 1
