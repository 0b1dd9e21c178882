"""Test records of the rural linkage: the people of 淅河镇 and 挑水村 (and of a second town,
for scoping), a cooperative and its purchase agreement with an enterprise that has a 包保
leader. Written directly (the org fixture has no such people); rural records through the
services."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from tuijin.org.demo import ensure_unit
from tuijin.org.models import Person, Role, Unit, UnitKind
from tuijin.projects.models import Enterprise
from tuijin.rural import notifications, services
from tuijin.rural.models import Agreement, Company, IncomeTier

TOWN, VILLAGE = "淅河镇", "挑水村"
OTHER_TOWN, OTHER_VILLAGE = "万和镇", "新街村"


def person(username: str, name: str, unit: Unit, role=Role.UNIT_STAFF) -> Person:
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User.objects.create(username=username)
    found = Person.objects.filter(user=user).first()
    return found or Person.objects.create(name=name, unit=unit, role=role, user=user)


def setup_people() -> dict:
    """淅河镇's head (xihe), 挑水村's clerk (tiaoshui), and 万和镇 with its staff (wanhe)."""
    IncomeTier.ensure_defaults()
    notifications.ensure_rules()
    town = Unit.objects.get(name=TOWN)
    village = Unit.objects.get(name=VILLAGE)
    zone = town.zone
    other_town = ensure_unit(OTHER_TOWN, UnitKind.TOWN, zone, 210)
    other_village = ensure_unit(OTHER_VILLAGE, UnitKind.VILLAGE, other_town, 0)
    return {
        "town": town,
        "village": village,
        "other_town": other_town,
        "other_village": other_village,
        "xihe": person("xihe", "胡建国", town, Role.UNIT_HEAD).user,
        "tiaoshui": person("tiaoshui", "杨春梅", village).user,
        "wanhe": person("wanhe", "郑华", other_town, Role.UNIT_HEAD).user,
    }


def enterprise(name="品源现代农业(随州)有限公司") -> Enterprise:
    found = Enterprise.objects.filter(name=name).first()
    if found:
        return found
    firm = Enterprise.objects.create(name=name, unit=Unit.objects.get(name=TOWN))
    firm.leaders.set([Person.objects.get(user__username="zhaoshang")])
    return firm


def make_agreement(user, *, village=VILLAGE, title="红辣椒订单收购协议", **values) -> Agreement:
    unit = Unit.objects.get(name=village)
    company = Company.objects.filter(unit=unit).first() or services.create_company(
        user, unit=unit, name=f"{village}辣椒种植专业合作社", kind=Company.Kind.COOPERATIVE
    )
    fields = {
        "enterprise": enterprise(),
        "kind": Agreement.Kind.PURCHASE,
        "title": title,
        "product": "红辣椒",
        "starts_on": dt.date(2026, 3, 1),
        "ends_on": dt.date(2028, 12, 31),
        "area_mu": Decimal(200),
        "guaranteed_price": Decimal("2.00"),
        "baseline_per_mu": Decimal(1000),
        "expected_per_mu": Decimal(4000),
        "pay_within_days": 15,
    } | values
    return services.create_agreement(user, company=company, **fields)
