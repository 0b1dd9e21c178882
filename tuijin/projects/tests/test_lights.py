"""Light rules (DESIGN §3) at their edges. Pure functions over Facts: no database."""

import datetime as dt
from decimal import Decimal

import pytest

from tuijin.projects.lights import Facts, Thresholds, project_light
from tuijin.projects.models import Light, Stage
from tuijin.projects.periods import periods_due_before

T = Thresholds(stale_periods=0)  # the other rules in isolation; stale tests use ALL
ALL = Thresholds()
D = dt.date


def light_of(facts, as_of):
    return project_light(facts, as_of, T)


def texts(facts, as_of):
    return [r.text for r in light_of(facts, as_of)[1]]


# Start delay -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2026, 8, 31), Light.GREEN),  # the month before the planned month
        (D(2026, 9, 1), Light.YELLOW),  # planned month reached
        (D(2026, 11, 30), Light.YELLOW),  # two months late
        (D(2026, 12, 1), Light.RED),  # three months late
    ],
)
def test_start_delay_edges_are_month_boundaries(as_of, expected):
    facts = Facts(stage=Stage.PREPARING, planned_start=D(2026, 9, 15))
    assert light_of(facts, as_of)[0] == expected


def test_start_delay_reason_reads_like_a_person_wrote_it():
    facts = Facts(stage=Stage.PREPARING, planned_start=D(2026, 9, 1))
    assert texts(facts, D(2026, 12, 10)) == ["计划2026年9月开工,已延迟3个月未开工"]
    assert texts(facts, D(2026, 9, 2)) == ["计划2026年9月开工,本月尚未开工"]


def test_started_projects_have_no_start_delay():
    facts = Facts(stage=Stage.CONSTRUCTION, planned_start=D(2026, 1, 1))
    assert light_of(facts, D(2026, 12, 1))[0] == Light.GREEN
    facts = Facts(stage=Stage.PREPARING, planned_start=D(2026, 1, 1), actual_start=D(2026, 2, 1))
    assert light_of(facts, D(2026, 12, 1))[0] == Light.GREEN


def test_start_delay_across_the_new_year():
    facts = Facts(stage=Stage.SIGNED, planned_start=D(2026, 11, 1))
    assert light_of(facts, D(2027, 1, 31))[0] == Light.YELLOW  # 2 months
    assert light_of(facts, D(2027, 2, 1))[0] == Light.RED  # 3 months


def test_red_threshold_is_a_setting():
    facts = Facts(stage=Stage.PREPARING, planned_start=D(2026, 9, 1))
    strict = Thresholds(start_red_months=1)
    assert project_light(facts, D(2026, 10, 1), strict)[0] == Light.RED


# Investment against 序时进度 -----------------------------------------------------------------


def invest(plan, completed, stage=Stage.CONSTRUCTION):
    return Facts(
        stage=stage,
        annual_plan=None if plan is None else Decimal(plan),
        completed_this_year=Decimal(completed),
    )


# As of 2026-07-15 six months have ended: expected = plan × 6/12 = 600 of 1200.
@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        (600, Light.GREEN),  # on schedule
        ("480.01", Light.GREEN),  # 9.999 points behind
        (480, Light.YELLOW),  # exactly 10 points behind
        (240, Light.YELLOW),  # exactly 30 points behind
        ("239.99", Light.RED),  # just over 30
        (0, Light.RED),
        (2000, Light.GREEN),  # ahead
    ],
)
def test_investment_edges_at_10_and_30_points(completed, expected):
    assert light_of(invest(1200, completed), D(2026, 7, 15))[0] == expected


@pytest.mark.parametrize("plan", [None, 0])
def test_no_plan_or_zero_plan_is_not_judged(plan):
    assert light_of(invest(plan, 0), D(2026, 7, 15)) == (Light.GREEN, [])


def test_january_expects_nothing_yet():
    assert light_of(invest(1200, 0), D(2026, 1, 31))[0] == Light.GREEN


def test_month_boundary_counts_only_ended_months():
    facts = invest(1200, 0)
    # 2026-02-28: January has ended → 1/12 expected → 8.3 points behind → green.
    assert light_of(facts, D(2026, 2, 28))[0] == Light.GREEN
    # 2026-03-01: February ended too → 16.7 points → yellow.
    assert light_of(facts, D(2026, 3, 1))[0] == Light.YELLOW


def test_investment_reason_names_the_figures():
    (text,) = texts(invest(12000, 3000), D(2026, 11, 20))
    assert text == (
        "2026年计划投资12,000万元,按序时进度(10/12)应完成10,000万元,"
        "实际完成3,000万元,落后58个百分点"
    )


# Milestones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2026, 10, 1), Light.GREEN),  # due today
        (D(2026, 10, 2), Light.YELLOW),  # 1 day over
        (D(2026, 10, 31), Light.YELLOW),  # exactly 30 days over
        (D(2026, 11, 1), Light.RED),  # 31 days over
    ],
)
def test_milestone_edges(as_of, expected):
    facts = Facts(stage=Stage.CONSTRUCTION, open_deadlines=[("节点“主体封顶”", D(2026, 10, 1))])
    assert light_of(facts, as_of)[0] == expected


def test_milestone_reason():
    facts = Facts(stage=Stage.CONSTRUCTION, open_deadlines=[("节点“主体封顶”", D(2026, 10, 1))])
    assert texts(facts, D(2026, 11, 1)) == ["节点“主体封顶”计划2026年10月1日完成,已逾期31天"]


# Stale reports -------------------------------------------------------------------------------


def test_two_missing_periods_are_yellow():
    # As of 2026-11-20 (due day 5): October and September are due and missing.
    facts = Facts(stage=Stage.CONSTRUCTION, created_on=D(2026, 1, 1))
    light, reasons = project_light(facts, D(2026, 11, 20), ALL)
    assert light == Light.YELLOW
    assert reasons[0].text == "已连续2个填报周期(2026年9月、2026年10月)未填报进度"


def test_one_report_in_the_window_is_enough():
    facts = Facts(
        stage=Stage.CONSTRUCTION, created_on=D(2026, 1, 1), reported_periods={D(2026, 9, 1)}
    )
    assert project_light(facts, D(2026, 11, 20), ALL)[0] == Light.GREEN


def test_a_period_is_not_missing_before_its_due_date():
    # On 2026-11-05 October's report is still on time: the window is August + September.
    assert [p.start for p in periods_due_before(D(2026, 11, 5), "month", 5, 2)] == [
        D(2026, 9, 1),
        D(2026, 8, 1),
    ]
    assert [p.start for p in periods_due_before(D(2026, 11, 6), "month", 5, 2)] == [
        D(2026, 10, 1),
        D(2026, 9, 1),
    ]


def test_new_projects_are_not_stale():
    facts = Facts(stage=Stage.CONSTRUCTION, created_on=D(2026, 10, 15))
    assert project_light(facts, D(2026, 11, 20), ALL)[0] == Light.GREEN


def test_weekly_periods():
    weekly = Thresholds(period_kind="week", due_days=2)
    facts = Facts(stage=Stage.CONSTRUCTION, created_on=D(2026, 1, 1))
    light, reasons = project_light(facts, D(2026, 11, 25), weekly)  # a Wednesday
    assert light == Light.YELLOW
    assert "11月9日—11月15日、11月16日—11月22日" in reasons[0].text


def test_planning_projects_owe_no_reports():
    facts = Facts(stage=Stage.PLANNING, created_on=D(2026, 1, 1))
    assert project_light(facts, D(2026, 11, 20), ALL)[0] == Light.GREEN


# Combination and suspended -------------------------------------------------------------------


def test_worst_component_wins_and_every_reason_is_listed():
    facts = Facts(
        stage=Stage.PREPARING,
        planned_start=D(2026, 10, 1),  # 1 month late: yellow
        annual_plan=Decimal(1200),
        completed_this_year=Decimal(0),  # 83 points behind: red
        created_on=D(2026, 1, 1),
        reported_periods={D(2026, 10, 1)},
    )
    light, reasons = light_of(facts, D(2026, 11, 20))
    assert light == Light.RED
    assert [r.rule for r in reasons] == ["investment", "start"]


def test_suspended_projects_are_red_with_their_reason_only():
    facts = Facts(stage=Stage.SUSPENDED, planned_start=D(2026, 1, 1), annual_plan=Decimal(100))
    light, reasons = light_of(facts, D(2026, 11, 20))
    assert light == Light.RED
    assert [r.text for r in reasons] == ["项目处于停缓建状态"]
    assert (
        project_light(facts, D(2026, 11, 20), Thresholds(suspended_light="yellow"))[0] == "yellow"
    )
