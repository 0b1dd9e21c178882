"""Overdue requests become 督办 items, once: the daily run escalates a request whose clock was
missed to the unit that owes it, names the 督查室 as assigner, and leaves it alone after."""

import datetime as dt

import pytest

from tuijin.enterprise_requests import services
from tuijin.enterprise_requests.models import EnterpriseRequest, Verb
from tuijin.enterprise_requests.tests.factories import RAISED, answered, handled, raise_one
from tuijin.supervision.models import SupervisionItem

FRIDAY = RAISED.date()
MONDAY, WEDNESDAY = dt.date(2026, 11, 16), dt.date(2026, 11, 18)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(RAISED, tick=False)
    return time_machine


def test_nothing_is_escalated_on_the_due_day(org, clock):
    raise_one()
    assert services.escalate_overdue(MONDAY) == []


def test_an_unassigned_request_past_its_accept_clock_goes_to_the_enterprises_unit(org, clock):
    request = raise_one()
    clock.move_to(dt.datetime(2026, 11, 17, 1, tzinfo=dt.UTC), tick=False)
    [item] = services.escalate_overdue(dt.date(2026, 11, 17))
    assert item.lead_unit == request.enterprise.unit
    assert item.enterprise == request.enterprise and item.project == request.project
    assert item.assigner.user.username == "duban"
    assert "受理" in item.requirement and request.description in item.requirement
    request.refresh_from_db()
    assert request.escalated_item == item
    assert request.steps.filter(verb=Verb.ESCALATE).exists()


def test_escalation_is_idempotent(org, clock):
    request = handled(raise_one())
    late = WEDNESDAY + dt.timedelta(days=1)
    clock.move_to(dt.datetime(2026, 11, 19, 1, tzinfo=dt.UTC), tick=False)
    [item] = services.escalate_overdue(late)
    assert item.lead_unit.name == "经济发展局"
    assert services.escalate_overdue(late) == []
    assert services.escalate_overdue(late + dt.timedelta(days=20)) == []  # the resolve clock too
    assert SupervisionItem.objects.filter(enterprise=request.enterprise).count() == 1
    assert EnterpriseRequest.objects.get(pk=request.pk).escalated_item == item


def test_an_answered_request_is_not_escalated(org, clock):
    answered(handled(raise_one()))
    assert services.escalate_overdue(dt.date(2027, 1, 30)) == []


def test_the_periodic_task_runs_the_escalation(org, clock):
    from tuijin.enterprise_requests.tasks import escalate_overdue_requests

    raise_one()
    clock.move_to(dt.datetime(2026, 11, 20, 1, tzinfo=dt.UTC), tick=False)
    escalate_overdue_requests.call_local()
    assert SupervisionItem.objects.filter(title__startswith="企业诉求超期").count() == 1
