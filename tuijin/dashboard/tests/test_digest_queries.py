"""The weekly digest's cost per recipient (B12): each leader's digest is built through
``visible_to`` (a few queries each), but the rules, preferences and deliveries are read and
written once for all of them."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuijin.dashboard.digest import send_weekly_digests
from tuijin.notify.models import Delivery, Rule
from tuijin.org.models import Person, Role, Unit
from tuijin.supervision.tests.factories import make_item

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)
# What one more recipient may cost: who they are (person, zone) and the digest's four
# sections. Publishing them one by one cost 13 (rules, robots, preferences, savepoints).
PER_RECIPIENT = 6


def add_zone_leaders(n: int, start: int) -> None:
    zone = Unit.objects.get(name="随州高新区")
    for i in range(start, start + n):
        account = get_user_model().objects.create_user(f"lingdao{i}", password=None)
        Person.objects.create(name=f"领导{i}", unit=zone, role=Role.ZONE_LEADER, user=account)


def queries() -> tuple[int, int]:
    """(deliveries, queries) of a fresh Monday run."""
    Delivery.objects.filter(event="weekly_digest").delete()
    with CaptureQueriesContext(connection) as captured:
        sent = send_weekly_digests(MONDAY)
    return sent, len(captured)


def test_each_more_recipient_costs_only_their_own_digest(org):
    Rule.ensure_defaults()
    make_item(lead="经济发展局", title="超期事项", deadline=dt.date(2026, 11, 20))
    make_item(lead="城东产业园", title="新交办", assigned_on=dt.date(2026, 11, 18))
    add_zone_leaders(2, 0)
    few, few_queries = queries()
    add_zone_leaders(6, 2)
    many, many_queries = queries()
    assert many == few + 6 * 2  # in-app and e-mail for each new leader
    assert many_queries - few_queries <= 6 * PER_RECIPIENT
