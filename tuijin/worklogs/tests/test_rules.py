"""Who owes a weekend log, who was on time, late or missing; who has not been visited."""

import datetime as dt

import pytest
import time_machine

from tuijin.org.models import Unit
from tuijin.projects.models import KeyLevel
from tuijin.projects.tests.factories import make_enterprise, make_project
from tuijin.worklogs import rules
from tuijin.worklogs.models import Exemption, weekend_of
from tuijin.worklogs.tests.factories import SAT, SUN, local, make_log, on_roster, person, visit_to

DEADLINE = local(SAT + dt.timedelta(days=2), 0)  # Monday 00:00
NOW = local(SAT + dt.timedelta(days=3), 10)  # Tuesday, well past it


def statuses(saturday=SAT, now=NOW) -> dict[str, str]:
    tallies = rules.weekend_roster(Unit.objects.all(), saturday, now)
    return {row.person.name: row.status for tally in tallies for row in tally.rows}


def test_weekend_of_maps_each_day_to_its_saturday():
    assert weekend_of(SAT) == SAT
    assert weekend_of(SUN) == SAT
    assert weekend_of(SAT + dt.timedelta(days=2)) == SAT  # Monday: the weekend just past
    assert weekend_of(SAT + dt.timedelta(days=6)) == SAT  # Friday
    assert weekend_of(SAT + dt.timedelta(days=7)) == SAT + dt.timedelta(days=7)


def test_deadline_is_sunday_midnight_plus_grace(org, settings):
    assert rules.weekend_deadline(SAT) == DEADLINE
    from constance import config

    config.WORKLOG_GRACE_HOURS = 9
    assert rules.weekend_deadline(SAT) == local(SAT + dt.timedelta(days=2), 9)


@pytest.mark.django_db
def test_on_time_up_to_the_deadline_and_late_one_second_after(org):
    on_roster("jingfa_staff", "zhaoshang", "chengdong")
    make_log("jingfa_staff", SUN, submitted=DEADLINE)
    make_log("zhaoshang", SUN, submitted=DEADLINE + dt.timedelta(seconds=1))
    assert statuses() == {"刘洋": rules.ON_TIME, "陈晨": rules.LATE, "孙伟": rules.MISSING}


@pytest.mark.django_db
def test_first_log_decides_and_daily_logs_do_not_count(org):
    on_roster("jingfa_staff", "zhaoshang")
    make_log("jingfa_staff", SAT, submitted=local(SAT, 15))
    make_log("jingfa_staff", SUN, submitted=NOW)  # a second one later changes nothing
    make_log("zhaoshang", SAT - dt.timedelta(days=1), kind="daily", submitted=local(SAT, 9))
    assert statuses() == {"刘洋": rules.ON_TIME, "陈晨": rules.MISSING}


@pytest.mark.django_db
def test_nothing_written_is_pending_until_the_deadline_passes(org):
    on_roster("jingfa_staff")
    assert statuses(now=DEADLINE) == {"刘洋": rules.PENDING}
    assert statuses(now=DEADLINE + dt.timedelta(seconds=1)) == {"刘洋": rules.MISSING}


@pytest.mark.django_db
def test_leave_overlapping_the_weekend_exempts(org):
    on_roster("jingfa_staff", "zhaoshang", "chengdong")
    Exemption.objects.create(person=person("jingfa_staff"), reason="leave", start=SUN, end=SUN)
    # Leave that ended on Friday does not cover the weekend.
    Exemption.objects.create(
        person=person("zhaoshang"), reason="trip", start=SAT - dt.timedelta(days=3),
        end=SAT - dt.timedelta(days=1),
    )  # fmt: skip
    assert statuses() == {"刘洋": rules.EXEMPT, "陈晨": rules.MISSING, "孙伟": rules.MISSING}


@pytest.mark.django_db
def test_only_weekends_from_joining_the_roster_are_owed(org):
    on_roster("jingfa_staff", since=SUN)  # joined on Sunday: owes this weekend
    on_roster("zhaoshang", since=SUN + dt.timedelta(days=1))  # joined Monday: not yet
    assert statuses() == {"刘洋": rules.MISSING}


@pytest.mark.django_db
def test_unit_tally_counts_and_rate(org):
    on_roster("jingfa_staff", "jingfa", since=SAT)
    make_log("jingfa_staff", SAT, submitted=local(SAT, 18))
    (tally,) = rules.weekend_roster(Unit.objects.filter(name="经济发展局"), SAT, NOW)
    assert tally.unit.name == "经济发展局"
    assert (tally.owed, tally.submitted, tally.rate) == (2, 1, 0.5)
    assert tally.counts[rules.MISSING] == 1


@pytest.mark.django_db
def test_roster_query_count_does_not_grow_with_people(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            rules.weekend_roster(Unit.objects.all(), SAT, NOW)
        return len(context)

    on_roster("jingfa_staff")
    make_log("jingfa_staff", SAT)
    one = queries()
    on_roster("zhaoshang", "chengdong", "jingfa", "ziran")
    make_log("zhaoshang", SAT)
    assert queries() == one <= 4  # roster, exemptions, first submissions (+ the grace setting)


# --- Visits -------------------------------------------------------------------------------------

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def key_enterprise(org):
    return make_enterprise("湖北犇星新能源材料有限公司", unit="经济发展局", is_key=True)


def last_duty_visit(user, name, kind="enterprise"):
    records = (rules.key_projects if kind == "project" else rules.key_enterprises)(user, TODAY)
    return records.get(name=name)


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 30, 4, tzinfo=dt.UTC))
@pytest.mark.parametrize(("days_ago", "stale"), [(30, False), (31, True)])
def test_stale_only_after_more_than_n_days(key_enterprise, days_ago, stale):
    from tuijin.worklogs.tests.factories import user

    make_log(
        "jingfa_staff", TODAY - dt.timedelta(days=days_ago), kind="daily",
        visits=[visit_to(key_enterprise)],
    )  # fmt: skip
    record = last_duty_visit(user("leader"), key_enterprise.name)
    assert record.last_duty_visit_on == TODAY - dt.timedelta(days=days_ago)
    assert rules.is_stale(record.last_duty_visit_on, TODAY, 30) is stale
    stale_names = rules.stale_filter(rules.key_enterprises(user("leader"), TODAY), TODAY, 30)
    assert (key_enterprise.name in {e.name for e in stale_names}) is stale


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 30, 4, tzinfo=dt.UTC))
def test_only_leader_or_responsible_unit_visits_count(key_enterprise):
    from tuijin.worklogs.tests.factories import user

    # 城东产业园's head visits 经济发展局's enterprise: seen as the last visit, not as duty.
    make_log("chengdong", TODAY - dt.timedelta(days=2), kind="daily",
             visits=[visit_to(key_enterprise)])  # fmt: skip
    record = last_duty_visit(user("leader"), key_enterprise.name)
    assert record.last_visit_on == TODAY - dt.timedelta(days=2)
    assert record.last_visitor == "孙伟"
    assert record.last_duty_visit_on is None
    assert rules.is_stale(record.last_duty_visit_on, TODAY, 30)
    # Its 包保 leader's visit counts, whatever the leader's unit.
    key_enterprise.leaders.add(person("chengdong"))
    assert last_duty_visit(user("leader"), key_enterprise.name).last_duty_visit_on == (
        TODAY - dt.timedelta(days=2)
    )


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 30, 4, tzinfo=dt.UTC))
def test_month_visits_count_this_month_only(org):
    from tuijin.worklogs.tests.factories import user

    project = make_project(
        "人才公寓", park="城东产业园", unit="城东产业园", key_level=KeyLevel.CITY
    )
    for day in (dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2026, 11, 28)):
        make_log("chengdong", day, kind="daily", visits=[visit_to(project)])
    record = last_duty_visit(user("leader"), "人才公寓", kind="project")
    assert record.month_visits == 2
    assert record.last_duty_visit_on == dt.date(2026, 11, 28)


@pytest.mark.django_db
def test_never_visited_is_stale(key_enterprise):
    from tuijin.worklogs.tests.factories import user

    record = last_duty_visit(user("leader"), key_enterprise.name)
    assert record.last_visit_on is None and record.month_visits == 0
    assert rules.is_stale(None, TODAY, 30)
