"""The late-payment alert (逾期付款提醒): a message to the town above the village (its people and
group robots) and to the enterprise's 包保 leaders, through notify's ``publish``.

notify knows no domain: the event's name and its rules are this app's. ``ensure_rules`` installs
the default rules (a data migration, the demo and the tests call it); admins edit them in the
admin site like any other rule.
"""

import datetime as dt

from tuijin.core.xlsx import cn_day as cn_date
from tuijin.notify.models import Rule
from tuijin.notify.services import Message, publish
from tuijin.org.models import Unit, UnitKind

EVENT = "rural_payment_late"
IN, WECOM, DING = "inapp", "wecom", "dingtalk"
RULES = [(EVENT, "lead_unit", [IN, WECOM, DING]), (EVENT, "project_leaders", [IN])]


def ensure_rules() -> None:
    for event, audience, channels in RULES:
        Rule.objects.get_or_create(event=event, audience=audience, defaults={"channels": channels})


def town_of(unit: Unit) -> Unit:
    """The town (乡镇) a village belongs to; a unit under no town answers for itself."""
    town = (
        Unit.objects.filter(path__in=unit.ancestor_paths(), kind=UnitKind.TOWN)
        .order_by("-depth")
        .first()
    )
    return town or unit


def payment_late(payment, today: dt.date) -> None:
    agreement = payment.agreement
    village = agreement.unit
    days = payment.days_late(today)
    if payment.paid_on:
        state = f"已于{cn_date(payment.paid_on)}支付,逾期{days}天"
    else:
        state = f"至今未付,已逾期{days}天"
    message = Message(
        event=EVENT,
        key=f"rural-payment{payment.pk}:late",
        title=f"逾期付款:{agreement.enterprise.name}应付{village.name}{payment.amount_due:,.2f}元",
        body=(
            f"{agreement.title}:应于{cn_date(payment.due_on)}支付{payment.amount_due:,.2f}元,"
            f"{state}。请督促企业及时付款。"
        ),
        url=agreement.get_absolute_url() + "#payments",
    )
    publish(
        message,
        unit=town_of(village),
        people={"project_leaders": lambda: list(agreement.enterprise.leaders.all())},
    )
