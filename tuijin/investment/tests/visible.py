"""How each pipeline record is made, for tests/test_every_record_visible.py (``MAKERS``):
through its service, as each role that may, and the page that shows it."""

import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuijin.investment import services
from tuijin.investment.models import ClockAlert, LeadStage
from tuijin.investment.tests.factories import evidence
from tuijin.org.models import Person, Unit

LEAD_MAKERS = ("zhaoshang", "chengdong", "jingfa", "leader", "admin")
PLANNERS = ("zhaoshang", "leader", "duban", "admin")
_n = itertools.count(1)


def user(name: str):
    return get_user_model().objects.get(username=name)


def own_unit(name: str) -> Unit:
    """The persona's unit, or the 招商局 for those without a handling unit of their own."""
    person = Person.objects.filter(user__username=name).select_related("unit").first()
    if person is None or person.unit.kind == "zone" or name == "admin":
        return Unit.objects.get(name="招商局")
    return person.unit


def lead_as(name: str, **values):
    return services.create_lead(
        user(name),
        force=True,
        name=f"可见性招商项目{next(_n)}号",
        unit=own_unit(name),
        total_investment=Decimal(1000),
        **values,
    )


def change_as(name: str):
    lead = lead_as(name, received_on=timezone.localdate() - dt.timedelta(days=3))
    return services.move_stage(
        user(name),
        lead.pk,
        lead.version,
        to_stage=LeadStage.TALKS,
        on=timezone.localdate(),
        evidence=evidence(f"洽谈纪要{next(_n)}.pdf"),
    )


def alert_as(name: str):
    lead = lead_as(name, received_on=timezone.localdate() - dt.timedelta(days=20))
    services.check_clocks()
    return ClockAlert.objects.filter(lead=lead).first()


def cycle_as(name: str):
    return services.create_cycle(
        user(name), year=2070 + next(_n), title=f"可见性年度谋划{next(_n)}"
    )


def planned_as(name: str):
    cycle = cycle_as("admin")
    return services.add_planned(
        user(name),
        cycle.pk,
        name=f"可见性谋划项目{next(_n)}号",
        unit=own_unit(name),
        land_mu=Decimal(20),
    )


def lead_page(record) -> str:
    lead_id = getattr(record, "lead_id", None) or record.pk
    return reverse("investment:lead_detail", args=[lead_id])


def planned_page(record) -> str:
    return reverse("investment:planned_detail", args=[getattr(record, "planned_id", record.pk)])


def makers(made) -> dict:
    return {
        "investment.lead": [made(LEAD_MAKERS, lead_as, lead_page, lambda r: r.name)],
        "investment.stagechange": [
            made(LEAD_MAKERS, change_as, lead_page, lambda c: c.original_name)
        ],
        "investment.followup": [
            made(
                LEAD_MAKERS,
                lambda name: services.add_follow_up(
                    user(name),
                    lead_as(name).pk,
                    kind="response",
                    on=timezone.localdate(),
                    text=f"已联系投资方{next(_n)}",
                ),
                lead_page,
                lambda f: f.text,
            )
        ],
        "investment.clockalert": [
            made(("zhaoshang", "chengdong"), alert_as, lead_page, lambda a: "线索响应")
        ],
        "investment.clockrules": [
            made(
                PLANNERS,
                lambda name: services.save_clock_rules(
                    user(name), own_unit(name).zone, None, respond_days=2, notice_days=77
                ),
                lambda r: reverse("investment:clock_rules"),
                lambda r: 'value="77"',
            )
        ],
        "investment.planningcycle": [
            made(
                PLANNERS,
                cycle_as,
                lambda c: reverse("investment:cycle_detail", args=[c.pk]),
                lambda c: c.title,
            )
        ],
        "investment.plannedproject": [
            made(
                ("zhaoshang", "chengdong", "jingfa", "admin"),
                planned_as,
                planned_page,
                lambda p: p.name,
            )
        ],
        "investment.plannedupdate": [
            made(
                ("zhaoshang", "chengdong", "jingfa", "admin"),
                lambda name: services.add_planned_update(
                    user(name),
                    planned_as(name).pk,
                    quarter="2023Q2",
                    text=f"已完成用地预审{next(_n)}",
                ),
                planned_page,
                lambda u: u.text,
            )
        ],
    }
