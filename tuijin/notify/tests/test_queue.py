"""The queue itself (not immediate mode): tasks go into the configured storage (SQLite file by
default, Redis when REDIS_URL is set — CI runs both) and a worker executes them."""

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY

from tuijin.notify.models import Delivery, Notification
from tuijin.notify.tasks import deliver_task


@pytest.fixture
def real_queue():
    HUEY.immediate = False  # back to the configured storage
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


def work(queue) -> int:
    """What one consumer worker does: take each task and run it."""
    done = 0
    while (task := queue.dequeue()) is not None:
        queue.execute(task)
        done += 1
    return done


def test_storage_is_the_configured_one(real_queue):
    expected = "RedisStorage" if settings.REDIS_URL else "SqliteStorage"
    assert type(real_queue.storage).__name__ == expected


@pytest.mark.django_db(transaction=True)
def test_a_queued_delivery_is_sent_once_by_the_worker_even_if_queued_twice(org, real_queue):
    # Committed for real, as in production: Huey's db_task closes connections that are not in
    # autocommit, which would end a test transaction.
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="leader")
    delivery = Delivery.objects.create(
        key="t:1", event="item_urged", channel="inapp", recipient=leader, title="催办:测试"
    )
    deliver_task(delivery.pk)
    deliver_task(delivery.pk)
    assert len(real_queue) == 2
    assert work(real_queue) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert Notification.objects.filter(recipient=leader, title="催办:测试").count() == 1
