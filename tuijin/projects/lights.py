"""The project light (红黄绿灯), DESIGN §3. Plain functions over plain facts.

Each rule returns zero or more reasons; the project's light is the worst reason's light.
Thresholds come from the admin-editable settings (django-constance) via ``Thresholds.current()``.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from tuijin.projects.models import (
    LIGHT_RANK,
    NOT_STARTED_STAGES,
    REPORTING_STAGES,
    AnnualPlan,
    Approval,
    Light,
    Milestone,
    ProgressReport,
    Stage,
)
from tuijin.projects.periods import period_containing, periods_due_before
from tuijin.projects.reasons import Month, in_words, jsonable_params


@dataclass(frozen=True)
class Thresholds:
    start_red_months: int = 3
    invest_yellow_points: int = 10
    invest_red_points: int = 30
    milestone_red_days: int = 30
    stale_periods: int = 2
    suspended_light: str = Light.RED
    period_kind: str = "month"
    due_days: int = 5

    @classmethod
    def current(cls) -> "Thresholds":
        from constance.utils import get_values_for_keys

        keys = {
            "start_red_months": "LIGHT_START_RED_MONTHS",
            "invest_yellow_points": "LIGHT_INVEST_YELLOW_POINTS",
            "invest_red_points": "LIGHT_INVEST_RED_POINTS",
            "milestone_red_days": "LIGHT_MILESTONE_RED_DAYS",
            "stale_periods": "LIGHT_STALE_PERIODS",
            "suspended_light": "LIGHT_SUSPENDED",
            "period_kind": "REPORT_PERIOD",
            "due_days": "REPORT_DUE_DAYS",
        }
        values = get_values_for_keys(list(keys.values()))  # one query
        return cls(**{field: values[key] for field, key in keys.items()})


@dataclass
class Facts:
    """What the rules need to know about one project."""

    stage: str
    planned_start: dt.date | None = None
    actual_start: dt.date | None = None
    created_on: dt.date | None = None
    annual_plan: Decimal | None = None  # for as_of's year
    completed_this_year: Decimal = Decimal(0)
    open_deadlines: list[tuple[str, dt.date]] = field(default_factory=list)  # (label, due)
    reported_periods: set[dt.date] = field(default_factory=set)  # period starts with a report


@dataclass
class Reason:
    """One sentence behind a light. ``msg`` is the Chinese sentence with ``%(name)s`` places
    (marked with ``gettext_noop``) and ``params`` its values, dates kept as dates: the reason is
    stored so and put into the reader's language when shown (``reason_text``); ``text`` is the
    Chinese sentence (exports, and reasons stored before L11)."""

    light: str
    rule: str
    text: str = ""
    msg: str = ""
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        stored = {"light": str(self.light), "rule": self.rule, "text": self.text}
        if self.msg:
            stored |= {"msg": self.msg, "params": jsonable_params(self.params)}
        return stored


def reason(light: str, rule: str, msg: str, **params) -> Reason:
    """A reason whose sentence is ``msg`` with ``params`` (dates, months, 万元 amounts, periods)."""
    stored = jsonable_params(params)
    with translation.override("zh-hans"):
        text = msg % in_words(stored)
    return Reason(light, rule, text, msg, params)


def month_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def wan(amount: Decimal) -> str:
    return f"{amount:,.0f}万元"


def start_rule(facts: Facts, as_of: dt.date, t: Thresholds) -> list[Reason]:
    """Planned start month reached and not started: yellow; `start_red_months` late: red."""
    if facts.actual_start or facts.stage not in NOT_STARTED_STAGES or not facts.planned_start:
        return []
    months_late = (as_of.year - facts.planned_start.year) * 12 + (
        as_of.month - facts.planned_start.month
    )
    if months_late < 0:
        return []
    planned = Month(facts.planned_start)
    if months_late == 0:
        return [
            reason(
                Light.YELLOW, "start", gettext_noop("计划%(month)s开工,本月尚未开工"), month=planned
            )
        ]
    light = Light.RED if months_late >= t.start_red_months else Light.YELLOW
    return [
        reason(
            light,
            "start",
            gettext_noop("计划%(month)s开工,已延迟%(n)s个月未开工"),
            month=planned,
            n=months_late,
        )
    ]


def elapsed_months(as_of: dt.date) -> int:
    """Months of as_of's year that have ended before as_of's month (序时进度 counts these)."""
    return as_of.month - 1


def investment_rule(facts: Facts, as_of: dt.date, t: Thresholds) -> list[Reason]:
    """Completed investment against time-proportional progress (序时进度)."""
    plan = facts.annual_plan
    months = elapsed_months(as_of)
    if not plan or plan <= 0 or months == 0:
        return []
    expected = plan * months / 12
    behind = (expected - facts.completed_this_year) / plan * 100  # percentage points
    if behind < t.invest_yellow_points:
        return []
    light = Light.RED if behind > t.invest_red_points else Light.YELLOW
    return [
        reason(
            light,
            "investment",
            gettext_noop(
                "%(year)s年计划投资%(plan)s,按序时进度(%(months)s/12)应完成%(expected)s,"
                "实际完成%(done)s,落后%(behind)s个百分点"
            ),
            year=as_of.year,
            plan=Decimal(plan),
            months=months,
            expected=Decimal(expected),
            done=Decimal(facts.completed_this_year),
            behind=f"{behind:.0f}",
        )
    ]


def deadline_rule(facts: Facts, as_of: dt.date, t: Thresholds) -> list[Reason]:
    """Milestones and approvals past due: yellow; more than `milestone_red_days`: red."""
    reasons = []
    for label, due in sorted(facts.open_deadlines, key=lambda item: item[1]):
        days = (as_of - due).days
        if days <= 0:
            continue
        light = Light.RED if days > t.milestone_red_days else Light.YELLOW
        reasons.append(
            reason(
                light,
                "milestone",
                gettext_noop("%(label)s计划%(date)s完成,已逾期%(n)s天"),
                label=label,
                date=due,
                n=days,
            )
        )
    return reasons


def stale_rule(facts: Facts, as_of: dt.date, t: Thresholds) -> list[Reason]:
    """No progress report for the last `stale_periods` periods whose due date has passed."""
    if facts.stage not in REPORTING_STAGES or t.stale_periods <= 0:
        return []
    periods = periods_due_before(as_of, t.period_kind, t.due_days, t.stale_periods)
    first_period = facts.created_on and period_containing(facts.created_on, t.period_kind)
    if first_period and periods[-1].start < first_period.start:
        return []  # the project was not on the ledger for all of them
    if any(p.start in facts.reported_periods for p in periods):
        return []
    return [
        reason(
            Light.YELLOW,
            "stale",
            gettext_noop("已连续%(n)s个填报周期(%(periods)s)未填报进度"),
            n=len(periods),
            periods=list(reversed(periods)),
        )
    ]


def missing_rule(facts: Facts, period) -> list[Reason]:
    """A period of a reporting project with no report is never green (L11): at least
    yellow, whatever the other rules say, and it stays so after a later period is filed
    (a report made up late lifts it no higher than yellow, ``services.revise_period_light``)."""
    if facts.stage not in REPORTING_STAGES or period.start in facts.reported_periods:
        return []
    if facts.created_on and facts.created_on > period.end:
        return []  # not yet on the ledger in that period
    return [
        reason(Light.YELLOW, "missing", gettext_noop("%(periods)s未填报进度"), periods=[period])
    ]


def missing_periods(project, reported, as_of: dt.date, t: Thresholds, count: int = 24) -> list:
    """The due periods (of the last ``count``) a reporting project has no report for, newest
    first: the project page lists them as 缺报 between the reports, a later report or not."""
    if project.stage not in REPORTING_STAGES:
        return []
    entered = project.created_at and timezone.localdate(project.created_at)
    # Months before the first report ever filed predate reporting in Tuijin (a project entered
    # from the paper ledger): owed from then on; a project that never reported, since entry.
    first = min(reported, default=None)
    return [
        period
        for period in periods_due_before(as_of, t.period_kind, t.due_days, count)
        if period.start not in reported
        and not (entered and entered > period.end)
        and not (first and period.start < first)
    ]


def period_light(facts: Facts, period, as_of: dt.date, t: Thresholds) -> tuple[str, list[Reason]]:
    """A project's light for one reporting period: the project light as of the period's due
    date, and never green when the period itself has no report."""
    _, reasons = project_light(facts, as_of, t)
    reasons = [*reasons, *missing_rule(facts, period)]
    reasons.sort(key=lambda r: -LIGHT_RANK[r.light])
    return (reasons[0].light if reasons else Light.GREEN), reasons


def project_light(facts: Facts, as_of: dt.date, t: Thresholds) -> tuple[str, list[Reason]]:
    """The worst light among all rules, with every reason that is not green."""
    if facts.stage == Stage.SUSPENDED:
        return t.suspended_light, [
            reason(t.suspended_light, "suspended", gettext_noop("项目处于停缓建状态"))
        ]
    reasons = [
        *start_rule(facts, as_of, t),
        *investment_rule(facts, as_of, t),
        *deadline_rule(facts, as_of, t),
        *stale_rule(facts, as_of, t),
    ]
    reasons.sort(key=lambda r: -LIGHT_RANK[r.light])
    return (reasons[0].light if reasons else Light.GREEN), reasons


def load_facts(
    projects,
    as_of: dt.date,
    t: Thresholds,
    *,
    through_period: dt.date | None = None,
    known_before: dt.datetime | None = None,
) -> dict[int, Facts]:
    """Facts for many projects in a constant number of queries.

    ``through_period`` counts only reports of periods starting on or before that day;
    ``known_before`` only reports submitted before that moment (a frozen period's view).
    """
    projects = list(projects)
    ids = [p.pk for p in projects]
    facts = {
        p.pk: Facts(
            stage=p.stage,
            planned_start=p.planned_start,
            actual_start=p.actual_start,
            created_on=p.created_at.date() if p.created_at else None,
        )
        for p in projects
    }
    for project_id, amount in AnnualPlan.objects.filter(
        project_id__in=ids, year=as_of.year
    ).values_list("project_id", "amount"):
        facts[project_id].annual_plan = amount
    lookback = as_of - dt.timedelta(days=400)
    completed = defaultdict(Decimal)
    reports = ProgressReport.objects.filter(
        project_id__in=ids,
        period_start__gte=min(lookback, as_of.replace(month=1, day=1)),
        period_start__lte=through_period or as_of,
    )
    if known_before is not None:
        reports = reports.filter(submitted_at__lt=known_before)
    for project_id, start, amount in reports.values_list(
        "project_id", "period_start", "investment"
    ):
        facts[project_id].reported_periods.add(start)
        if start.year == as_of.year:
            completed[project_id] += amount
    for project_id, amount in completed.items():
        facts[project_id].completed_this_year = amount
    for project_id, name, due in Milestone.objects.filter(
        project_id__in=ids, done_date__isnull=True, due_date__lt=as_of
    ).values_list("project_id", "name", "due_date"):
        facts[project_id].open_deadlines.append((f"节点“{name}”", due))
    for project_id, name, due in Approval.objects.filter(
        project_id__in=ids, actual_date__isnull=True, planned_date__lt=as_of
    ).values_list("project_id", "kind__name", "planned_date"):
        facts[project_id].open_deadlines.append((f"前期手续“{name}”", due))
    return facts
