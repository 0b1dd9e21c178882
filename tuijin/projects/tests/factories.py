"""Small builders for project tests (the `org` fixture provides the units and people)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from tuijin.org.models import Person, Unit
from tuijin.projects.models import AnnualPlan, Enterprise, ProgressReport, Project, Stage
from tuijin.projects.periods import period_containing

_codes = itertools.count(1)


def make_project(
    name="测试项目", park="青春化工园", unit="经济发展局", leaders=(), enterprises=(), **fields
) -> Project:
    fields.setdefault("stage", Stage.CONSTRUCTION)
    project = Project.objects.create(
        code=fields.pop("code", f"T-{next(_codes):04d}"),
        name=name,
        park=Unit.objects.get(name=park),
        unit=Unit.objects.get(name=unit),
        **fields,
    )
    if leaders:
        project.leaders.set(Person.objects.filter(user__username__in=leaders))
    if enterprises:
        project.enterprises.set(enterprises)
    return project


def make_enterprise(name="测试企业", unit="经济发展局", park="青春化工园", **fields) -> Enterprise:
    return Enterprise.objects.create(
        name=name, unit=Unit.objects.get(name=unit), park=Unit.objects.get(name=park), **fields
    )


def plan(project, amount, year=None) -> AnnualPlan:
    year = year or timezone.localdate().year
    return AnnualPlan.objects.create(project=project, year=year, amount=Decimal(amount))


def report(project, day: dt.date, investment=0, **fields) -> ProgressReport:
    period = period_containing(day, "month")
    return ProgressReport.objects.create(
        project=project,
        period_start=period.start,
        period_end=period.end,
        narrative=fields.pop("narrative", "按计划推进"),
        progress=fields.pop("progress", 50),
        investment=Decimal(investment),
        submitted_at=fields.pop(
            "submitted_at",
            timezone.make_aware(dt.datetime.combine(period.end, dt.time(10))),
        ),
        **fields,
    )
