"""The clocks in working days, each at its boundary: met on its due day, missed the day after;
the weekend skipped; the complex cases' longer clock; the rules edited in the admin (constance)
apply to requests raised afterwards."""

import datetime as dt

import pytest
from constance import config

from tuijin.enterprise_requests import services
from tuijin.enterprise_requests.models import Clock, State
from tuijin.enterprise_requests.tests.factories import RAISED, answered, handled, raise_one, user

FRIDAY = RAISED.date()  # 2026-11-13
MONDAY, WEDNESDAY = dt.date(2026, 11, 16), dt.date(2026, 11, 18)
RESOLVE = dt.date(2026, 12, 4)  # 15 working days: three whole weeks after the Friday
COMPLEX = dt.date(2026, 12, 25)  # 30 working days


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(RAISED, tick=False)
    return time_machine


def test_a_request_raised_on_friday_gets_its_clocks_in_working_days(org, clock):
    request = raise_one()
    assert request.raised_on == FRIDAY
    assert (request.accept_due, request.answer_due, request.resolve_due) == (
        MONDAY,
        WEDNESDAY,
        RESOLVE,
    )
    assert request.state == State.SUBMITTED


def test_the_accept_clock_is_met_on_its_day_and_missed_the_day_after(org, clock):
    request = raise_one()
    assert request.overdue_clocks(MONDAY) == []
    assert request.overdue_clocks(MONDAY + dt.timedelta(days=1)) == [Clock.ACCEPT]
    # Accepted on the due day: the clock stops.
    clock.move_to(dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC), tick=False)
    request = handled(request)
    assert request.overdue_clocks(MONDAY + dt.timedelta(days=1)) == []
    assert request.clocks(MONDAY)[0]["status"] == "met"


def test_the_answer_clock_at_its_boundary(org, clock):
    request = handled(raise_one())
    assert request.overdue_clocks(WEDNESDAY) == []
    assert request.overdue_clocks(WEDNESDAY + dt.timedelta(days=1)) == [Clock.ANSWER]
    request = answered(request)
    assert request.overdue_clocks(WEDNESDAY + dt.timedelta(days=1)) == []
    assert request.state == State.ANSWERED


def test_the_resolve_clock_at_its_boundary(org, clock):
    request = handled(raise_one())
    assert Clock.RESOLVE not in request.overdue_clocks(RESOLVE)
    assert Clock.RESOLVE in request.overdue_clocks(RESOLVE + dt.timedelta(days=1))
    # Waiting for the enterprise is not the unit's delay: no clock runs once it has answered.
    request = answered(request)
    assert request.overdue_clocks(RESOLVE + dt.timedelta(days=30)) == []


def test_a_complex_request_gets_thirty_working_days_with_its_reason(org, clock):
    request = handled(raise_one())
    request = services.mark_complex(
        user("jingfa"), request.pk, request.version, "需供电公司新建线路,跨年度施工"
    )
    assert request.is_complex and request.resolve_due == COMPLEX
    assert Clock.RESOLVE not in request.overdue_clocks(COMPLEX)
    assert Clock.RESOLVE in request.overdue_clocks(COMPLEX + dt.timedelta(days=1))
    assert "需供电公司新建线路" in request.complex_reason


def test_a_complex_request_needs_a_reason(org, clock):
    from django.core.exceptions import ValidationError

    request = handled(raise_one())
    with pytest.raises(ValidationError):
        services.mark_complex(user("jingfa"), request.pk, request.version, "  ")
    request.refresh_from_db()
    assert not request.is_complex and request.resolve_due == RESOLVE


def test_resolved_on_time_is_judged_by_the_answer_that_resolved_it(org, clock):
    request = handled(raise_one())
    clock.move_to(dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC), tick=False)  # the last day
    request = answered(request)
    clock.move_to(dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC), tick=False)  # confirmed later
    request = services.confirm(user("qiye"), request.pk, request.version)
    assert request.state == State.RESOLVED and request.resolved_on_time is True
    assert request.closed_on == dt.date(2026, 12, 10)


def test_an_answer_after_the_resolve_clock_is_not_on_time(org, clock):
    request = handled(raise_one())
    clock.move_to(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=False)  # a working day late
    request = answered(request)
    request = services.confirm(user("qiye"), request.pk, request.version)
    assert request.state == State.RESOLVED and request.resolved_on_time is False


def test_the_rules_edited_in_the_admin_apply_to_new_requests(org, clock):
    config.REQUEST_ACCEPT_DAYS = 2
    config.REQUEST_ANSWER_DAYS = 5
    config.REQUEST_RESOLVE_DAYS = 10
    request = raise_one()
    assert request.accept_due == dt.date(2026, 11, 17)
    assert request.answer_due == dt.date(2026, 11, 20)
    assert request.resolve_due == dt.date(2026, 11, 27)
