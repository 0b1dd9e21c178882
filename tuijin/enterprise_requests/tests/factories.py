"""Builders for request tests (the `org` fixture provides the units and people): 周婷 (qiye)
is the liaison of a 青春化工园 enterprise whose responsible unit is 经济发展局 and whose 包保
leader is 陈晨 (zhaoshang, a cadre of 招商局), with one project."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from tuijin.enterprise_requests import services
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Enterprise, Project

_numbers = itertools.count(1)
# A Friday in a month without holidays: the weekend is skipped by every clock.
RAISED = dt.datetime(2026, 11, 13, 10, 0, tzinfo=dt.UTC)


def user(name: str):
    return get_user_model().objects.get(username=name)


def person(name: str) -> Person:
    return Person.objects.get(user__username=name)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def make_enterprise(liaison="qiye", leaders=("zhaoshang",), unit_name="经济发展局") -> Enterprise:
    n = next(_numbers)
    enterprise = Enterprise.objects.create(
        name=f"测试诉求企业{n}号",
        unit=unit(unit_name),
        park=unit("青春化工园"),
        liaison=person(liaison) if liaison else None,
    )
    enterprise.leaders.set([person(name) for name in leaders])
    project = Project.objects.create(
        code=f"RQ-{n:04d}",
        name=f"测试诉求项目{n}号",
        park=unit("青春化工园"),
        unit=unit(unit_name),
    )
    project.enterprises.set([enterprise])
    return enterprise


def raise_one(enterprise=None, category="power", text="需增容至2×8000千伏安", **kwargs):
    enterprise = enterprise or make_enterprise()
    return services.raise_request(
        user("qiye"),
        enterprise=enterprise,
        category=category,
        description=text,
        project=enterprise.projects.first(),
        **kwargs,
    )


def handled(request, by="duban", to="经济发展局", handler="jingfa"):
    """Assigned to the unit and accepted by it."""
    request = services.assign(user(by), request.pk, request.version, unit(to))
    return services.accept(user(handler), request.pk, request.version)


def answered(request, text="已协调供电公司,临时线路已接通。", handler="jingfa"):
    return services.answer(user(handler), request.pk, request.version, text)


def now():
    return timezone.now()
