"""Builders for supervision tests (the `org` fixture provides units and people)."""

import datetime as dt

from tuijin.org.models import Person, Unit
from tuijin.supervision.models import ProblemCategory, SupervisionItem


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def make_item(
    lead="经济发展局",
    co=(),
    state="assigned",
    assigned_on=dt.date(2026, 11, 16),
    deadline=dt.date(2026, 11, 19),
    reminder_days=1,
    **fields,
) -> SupervisionItem:
    item = SupervisionItem.objects.create(
        title=fields.pop("title", "两处违章建筑拆除"),
        requirement=fields.pop("requirement", "三天后一定要见到成效"),
        result_standard=fields.pop("result_standard", "两处违章建筑拆除、场地清表"),
        assigner=fields.pop("assigner", None) or person("duban"),
        lead_unit=Unit.objects.get(name=lead),
        assigned_on=assigned_on,
        original_deadline=fields.pop("original_deadline", deadline),
        deadline=deadline,
        reminder_days=reminder_days,
        state=state,
        **fields,
    )
    if co:
        item.co_units.set(Unit.objects.filter(name__in=co))
    return item


def category(name="征迁与违建") -> ProblemCategory:
    ProblemCategory.ensure_defaults()
    return ProblemCategory.objects.get(name=name)
