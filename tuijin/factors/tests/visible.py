"""How each factors record is made, for tests/test_every_record_visible.py (``MAKERS``):
through its service, as each role that may, and the page that shows it."""

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuijin.factors import services
from tuijin.factors.models import Source
from tuijin.org.models import Unit
from tuijin.projects.models import Enterprise, Project

# Those who manage 府南产业园's factors: the zone leader, the desk units (经济发展局, 招商局,
# 自然资源和规划分局) and admins (tuijin/factors/models.py, factor_access).
MANAGERS = ("leader", "jingfa", "jingfa_staff", "zhaoshang", "ziran", "admin")
PARK = "府南产业园"
_numbers = itertools.count(1)


def user(name: str):
    return get_user_model().objects.get(username=name)


def park() -> Unit:
    return Unit.objects.get(name=PARK)


def year() -> int:
    return timezone.localdate().year


def text(what: str) -> str:
    return f"{what}{next(_numbers)}号"


def a_project() -> Project:
    n = next(_numbers)
    return Project.objects.create(
        code=f"YS-{n}", name=f"要素测试项目{n}", park=park(), unit=park(),
        planned_start=dt.date(year(), 12, 1),
    )  # fmt: skip


def park_page(record) -> str:
    return reverse("factors:park", args=[record.park_id]) + f"?year={record.year}"


def supply_as(name):
    return services.add_supply(
        user(name), park=park(), year=year(), source=Source.NEW_LAND, quantity=Decimal(100),
        document_title=text("用地指标通知"),
    )  # fmt: skip


def allocation_as(name):
    supply_as(name)
    project = a_project()
    services.set_need(user(name), project, None, land_mu=Decimal(30))
    return services.reserve(
        user(name), park=park(), year=year(), factor="land", quantity=Decimal(20),
        project=project,
    )  # fmt: skip


def evaluation_as(name):
    return services.open_evaluation(user(name), park().zone, 2000 + next(_numbers) % 90)


def result_as(name):
    evaluation = evaluation_as(name)
    n = next(_numbers)
    enterprise = Enterprise.objects.create(name=f"亩均测试企业{n}", park=park(), unit=park())
    return services.record_result(
        user(name), evaluation, enterprise, land_mu=Decimal(50), tax=Decimal(500)
    )


def makers(made) -> dict:
    """``made``: the test's ``Made`` class (roles, make, page, shows)."""
    return {
        "factors.supplyentry": [made(MANAGERS, supply_as, park_page, lambda s: s.document_title)],
        "factors.allocation": [made(MANAGERS, allocation_as, park_page, lambda a: a.subject_name)],
        "factors.factorneed": [
            made(
                MANAGERS,
                lambda name: services.set_need(user(name), a_project(), None, land_mu=Decimal(12)),
                # The park's demand table (the need's edit page is the ledger project's: only
                # those who see the project open it).
                lambda n: reverse("factors:park", args=[n.project.park_id]),
                lambda n: n.project.name,
            )
        ],
        "factors.factorrules": [
            made(
                MANAGERS,
                lambda name: services.save_rules(
                    user(name),
                    park().zone,
                    None,
                    exclude_green=True,
                    green_tce_per_10k_kwh=Decimal("1.305"),
                    weight_tax=45,
                    weight_sales=20,
                    weight_energy=15,
                    weight_rnd=15,
                    weight_labour=5,
                    class_a=25,
                    class_b=70,
                    class_c=95,
                    desk_keywords="招商,发改,发展和改革,经济发展,自然资源",
                ),
                lambda r: reverse("factors:rules"),
                lambda r: "1.305",
            )
        ],
        "factors.evaluation": [
            made(MANAGERS, evaluation_as, lambda e: e.get_absolute_url(), lambda e: str(e.year))
        ],
        "factors.enterpriseresult": [
            made(
                MANAGERS,
                result_as,
                lambda r: reverse("factors:evaluation", args=[r.evaluation_id]),
                lambda r: r.enterprise.name,
            )
        ],
        "factors.landflag": [
            made(
                MANAGERS,
                lambda name: services.flag_land(
                    user(name),
                    park=park(),
                    year=year(),
                    kind="supplied_not_used",
                    area_mu=Decimal(15),
                    location=text("地块"),
                ),
                lambda f: reverse("factors:park", args=[f.park_id]) + f"?year={f.year}",
                lambda f: f.location,
            )
        ],
    }
