"""The investment chart of a project page: monthly completed investment against the plan."""

from decimal import Decimal

from django.utils import dateformat, timezone

from tuijin.core import formats
from tuijin.projects.lights import elapsed_months
from tuijin.projects.models import Project


def month_label(month: int) -> str:
    """A chart's month in the reader's language: 9月 / Sep."""
    day = timezone.localdate().replace(month=month, day=1)
    return f"{month}月" if formats.chinese() else dateformat.format(day, "M")


def investment_series(project: Project, year: int) -> dict:
    """Monthly completed investment, cumulative completed and the 序时进度 line for a year."""
    plan = next((p.amount for p in project.annual_plans.all() if p.year == year), None)
    monthly = [Decimal(0)] * 12
    for report in project.reports.all():
        if report.period_start.year == year:
            monthly[report.period_start.month - 1] += report.investment
    cumulative, total = [], Decimal(0)
    for amount in monthly:
        total += amount
        cumulative.append(float(total))
    today = timezone.localdate()
    reported_months = [m + 1 for m, amount in enumerate(monthly) if amount]
    if year < today.year:
        months_shown = 12
    elif year == today.year:
        months_shown = max([elapsed_months(today), *reported_months])
    else:
        months_shown = 0
    return {
        "year": year,
        "plan": float(plan) if plan is not None else None,
        "months": [month_label(m) for m in range(1, 13)],
        "monthly": [float(a) for a in monthly],
        "cumulative": cumulative[:months_shown],
        # 序时进度 at the end of month m is plan × m / 12.
        "schedule": [round(float(plan) * m / 12, 2) for m in range(1, 13)] if plan else [],
    }
