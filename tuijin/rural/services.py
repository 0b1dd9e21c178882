"""Every write to the rural linkage records, one function per verb: each checks its rule
(``permissions``), writes in one transaction under ``audit_context`` with the verb's name, and
refuses a stale form (``core.versions``). A payment that is (or becomes) late is announced
through notify to the town and the enterprise's 包保 leaders (``notifications``)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuijin.core.audit import audit_context
from tuijin.core.versions import locked, unique_write
from tuijin.org.access import person_of
from tuijin.org.models import Unit
from tuijin.projects.models import Enterprise
from tuijin.rural import notifications
from tuijin.rural.models import (
    Agreement,
    Company,
    Delivery,
    EnclavePark,
    EnclaveShare,
    EnclaveTenant,
    Household,
    Payment,
    Shareholder,
    VillageIncome,
)
from tuijin.rural.permissions import can_record, recordable_units

NOT_YOURS = gettext_lazy("只能为本单位及下属村(社区)录入。")


def _recorder(user) -> None:
    if not can_record(user):
        raise PermissionDenied(_("只有乡镇、村(社区)工作人员和区领导可以录入联农信息。"))


def _own_unit(user, unit: Unit) -> None:
    _recorder(user)
    if not recordable_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(str(NOT_YOURS))


def _editable(user, record) -> None:
    _recorder(user)
    if not type(record)._default_manager.editable_by(user).filter(pk=record.pk).exists():
        raise PermissionDenied(_("您不能修改该记录。"))


def _full_clean(record, exclude=()) -> None:
    record.full_clean(exclude=[*exclude, "version"], validate_unique=False)


@transaction.atomic
def create_company(user, *, unit: Unit, partners=(), **values) -> Company:
    """成立村级公司 (乡村合作公司, 社区商贸公司, 强村公司) or register a cooperative."""
    _own_unit(user, unit)
    if Company.objects.filter(name=values.get("name", "")).exists():
        raise ValidationError({"name": _("已有同名公司。")})
    company = Company(unit=unit, **values)
    _full_clean(company, exclude=["partners"])
    with audit_context(actor=user, action="create_company"):
        with unique_write(_("已有同名公司。"), "name"):
            company.save()
        company.partners.set(partners)
    return company


@transaction.atomic
def add_shareholder(user, company: Company, **values) -> Shareholder:
    _editable(user, company)
    row = Shareholder(company=company, **values)
    _full_clean(row, exclude=["company"])
    others = sum((s.share for s in company.shareholders.all()), Decimal(0))
    if others + row.share > 100:
        raise ValidationError({"share": _("持股比例合计超过100%。")})
    with audit_context(actor=user, action="add_shareholder"):
        row.save()
    return row


@transaction.atomic
def add_household(user, company: Company, **values) -> Household:
    _editable(user, company)
    row = Household(company=company, **values)
    _full_clean(row, exclude=["company"])
    with audit_context(actor=user, action="add_household"):
        row.save()
    return row


@transaction.atomic
def create_park(user, *, unit: Unit, **values) -> EnclavePark:
    """建立飞地园区 of a village or town."""
    _own_unit(user, unit)
    company = values.get("company")
    if company is not None and not Company.objects.visible_to(user).filter(pk=company.pk).exists():
        raise PermissionDenied(str(NOT_YOURS))
    if EnclavePark.objects.filter(name=values.get("name", "")).exists():
        raise ValidationError({"name": _("已有同名园区。")})
    park = EnclavePark(unit=unit, **values)
    _full_clean(park)
    with audit_context(actor=user, action="create_park"), unique_write(_("已有同名园区。"), "name"):
        park.save()
    return park


@transaction.atomic
def add_tenant(user, park: EnclavePark, **values) -> EnclaveTenant:
    """An enterprise committed to (确定入驻) or settled in the park."""
    _editable(user, park)
    row = EnclaveTenant(park=park, **values)
    _full_clean(row, exclude=["park"])
    with audit_context(actor=user, action="add_tenant"):
        row.save()
    return row


@transaction.atomic
def add_share(user, park: EnclavePark, *, village: Unit, year: int, amount) -> EnclaveShare:
    """Income the park shared back to a village in a year."""
    _editable(user, park)
    message = _("该村该年度的分成已录入。")
    if EnclaveShare.objects.filter(park=park, village=village, year=year).exists():
        raise ValidationError({"year": message})
    row = EnclaveShare(park=park, village=village, year=year, amount=amount)
    _full_clean(row, exclude=["park"])
    with audit_context(actor=user, action="add_share"), unique_write(message, "year"):
        row.save()
    return row


def _check_agreement(agreement: Agreement) -> None:
    _full_clean(agreement, exclude=["unit"])
    if agreement.kind == Agreement.Kind.PURCHASE and agreement.guaranteed_price is None:
        raise ValidationError({"guaranteed_price": _("订单收购协议须填写保底收购价。")})
    if agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": _("截止日期不能早于起始日期。")})


@transaction.atomic
def create_agreement(user, *, company: Company, **values) -> Agreement:
    """签订联农协议 between an enterprise and a village company or cooperative."""
    _editable(user, company)
    agreement = Agreement(company=company, unit=company.unit, **values)
    _check_agreement(agreement)
    with audit_context(actor=user, action="create_agreement"):
        agreement.save()
    return agreement


WHAT_AGREEMENT = gettext_lazy("该协议")
WHAT_PAYMENT = gettext_lazy("该付款记录")
WHAT_INCOME = gettext_lazy("该村集体收入")


@transaction.atomic
def update_agreement(user, agreement: Agreement, *, version: int | None, fields: dict) -> Agreement:
    _editable(user, agreement)
    agreement = locked(Agreement.objects.all(), agreement.pk, version, str(WHAT_AGREEMENT))
    for name, value in fields.items():
        setattr(agreement, name, value)
    _check_agreement(agreement)
    with audit_context(actor=user, action="update_agreement"):
        agreement.save()
    return agreement


@transaction.atomic
def record_delivery(
    user,
    agreement: Agreement,
    *,
    delivered_on: dt.date,
    quantity: Decimal,
    grade: str = Delivery.Grade.FIRST,
    unit_price: Decimal | None = None,
    note: str = "",
    payment_due: bool = True,
) -> Delivery:
    """交售: a delivery at the given price (the guaranteed price when none is given: the
    guarantee is a floor, a lower price is refused); with ``payment_due`` the payment it
    calls for, due ``pay_within_days`` after the delivery."""
    _editable(user, agreement)
    floor = agreement.guaranteed_price
    price = unit_price if unit_price is not None else floor
    if price is None:
        raise ValidationError({"unit_price": _("请填写单价。")})
    if floor is not None and grade != Delivery.Grade.OFF and price < floor:
        raise ValidationError({"unit_price": _("单价低于协议保底收购价%(p)s元。") % {"p": floor}})
    delivery = Delivery(
        agreement=agreement,
        delivered_on=delivered_on,
        quantity=quantity,
        grade=grade,
        unit_price=price,
        amount=(quantity * price).quantize(Decimal("0.01")),
        recorded_by=person_of(user),
        note=note,
    )
    _full_clean(delivery, exclude=["agreement"])
    with audit_context(actor=user, action="record_delivery"):
        delivery.save()
        if payment_due:
            payment = Payment.objects.create(
                agreement=agreement,
                delivery=delivery,
                due_on=delivered_on + dt.timedelta(days=agreement.pay_within_days),
                amount_due=delivery.amount,
            )
            _alert_if_late(payment)
    return delivery


@transaction.atomic
def add_payment(
    user,
    agreement: Agreement,
    *,
    due_on: dt.date,
    amount_due: Decimal,
    paid_on: dt.date | None = None,
    amount_paid: Decimal | None = None,
    note: str = "",
) -> Payment:
    """A payment owed (rent, guaranteed dividend, service fee …), paid or not yet."""
    _editable(user, agreement)
    payment = Payment(
        agreement=agreement,
        due_on=due_on,
        amount_due=amount_due,
        paid_on=paid_on,
        amount_paid=amount_paid if amount_paid is not None else (amount_due if paid_on else 0),
        note=note,
    )
    _check_payment(payment)
    with audit_context(actor=user, action="add_payment"):
        payment.save()
        _alert_if_late(payment)
    return payment


def _check_payment(payment: Payment) -> None:
    _full_clean(payment, exclude=["agreement", "delivery"])
    if payment.amount_paid and payment.paid_on is None:
        raise ValidationError({"paid_on": _("请填写实付日期。")})
    if payment.paid_on and payment.paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("实付日期不能晚于今天。")})


@transaction.atomic
def pay(
    user,
    payment: Payment,
    *,
    version: int | None,
    paid_on: dt.date,
    amount_paid: Decimal,
    note: str = "",
) -> Payment:
    """Record that a payment was made (登记付款): paid after its due date, it is late."""
    _editable(user, payment.agreement)
    payment = locked(Payment.objects.all(), payment.pk, version, str(WHAT_PAYMENT))
    payment.paid_on, payment.amount_paid = paid_on, amount_paid
    if note:
        payment.note = note
    _check_payment(payment)
    with audit_context(actor=user, action="record_payment"):
        payment.save()
        _alert_if_late(payment)
    return payment


def _alert_if_late(payment: Payment, today: dt.date | None = None) -> bool:
    """Tell the town and the 包保 leaders once, the first time a payment is seen late."""
    today = today or timezone.localdate()
    if payment.alerted_on is not None or not payment.is_late(today):
        return False
    notifications.payment_late(payment, today)
    payment.alerted_on = today
    payment.save(update_fields=["alerted_on"])
    return True


def send_late_payment_alerts(today: dt.date | None = None) -> int:
    """The daily run (``tasks.late_payments``): every unpaid payment past its due date that
    was not announced yet is announced now. Returns how many."""
    today = today or timezone.localdate()
    sent = 0
    late = Payment.objects.filter(paid_on=None, due_on__lt=today, alerted_on=None)
    for payment in late.select_related(
        "agreement__unit", "agreement__enterprise", "agreement__company"
    ):
        with transaction.atomic(), audit_context(action="late_payment_alert"):
            sent += _alert_if_late(payment, today)
    return sent


@transaction.atomic
def save_income(
    user,
    *,
    unit: Unit,
    year: int,
    version: int | None,
    operating_income: Decimal,
    dividends: Decimal,
    dividend_households: int,
    note: str = "",
) -> VillageIncome:
    """A village's collective income of a year: created the first time, then edited."""
    _own_unit(user, unit)
    existing = VillageIncome.objects.filter(unit=unit, year=year).first()
    values = {
        "operating_income": operating_income,
        "dividends": dividends,
        "dividend_households": dividend_households,
        "note": note,
    }
    with audit_context(actor=user, action="save_income"):
        if existing is None:
            income = VillageIncome(unit=unit, year=year, **values)
            _full_clean(income)
            with unique_write(_("该村该年度的收入已录入,请刷新后修改。"), "year"):
                income.save()
            return income
        income = locked(VillageIncome.objects.all(), existing.pk, version, str(WHAT_INCOME))
        for name, value in values.items():
            setattr(income, name, value)
        _full_clean(income)
        income.save()
    return income


# Changing what was recorded: a company or a park (versioned: a stale form is refused), and
# the rows under them (shareholders, households, tenants, shares), each checked against its
# parent's scope. The unit may move only to another of the user's own units.

WHAT_COMPANY = gettext_lazy("该公司")
WHAT_PARK = gettext_lazy("该园区")


def _move_to(user, record, fields: dict) -> None:
    unit = fields.get("unit")
    if unit is not None and unit.pk != record.unit_id:
        _own_unit(user, unit)


@transaction.atomic
def update_company(
    user, company: Company, *, version: int | None, fields: dict, partners=None
) -> Company:
    """修改村级公司: its unit, name, kind, park, partners, date, capital, business."""
    _editable(user, company)
    _move_to(user, company, fields)
    company = locked(Company.objects.all(), company.pk, version, str(WHAT_COMPANY))
    name = fields.get("name", company.name)
    if Company.objects.filter(name=name).exclude(pk=company.pk).exists():
        raise ValidationError({"name": _("已有同名公司。")})
    for name, value in fields.items():
        setattr(company, name, value)
    _full_clean(company, exclude=["partners"])
    with audit_context(actor=user, action="update_company"):
        with unique_write(_("已有同名公司。"), "name"):
            company.save()
        if partners is not None:
            # Partners the user cannot see are not in the form's list: they stay.
            seen = Enterprise.objects.visible_to(user).values("pk")
            unseen = list(company.partners.exclude(pk__in=seen))
            company.partners.set([*partners, *unseen])
    return company


@transaction.atomic
def update_park(user, park: EnclavePark, *, version: int | None, fields: dict) -> EnclavePark:
    """修改飞地园区: its unit, operating company, name, location, stage, land, buildings."""
    _editable(user, park)
    _move_to(user, park, fields)
    company = fields.get("company")
    if company is not None and not Company.objects.visible_to(user).filter(pk=company.pk).exists():
        raise PermissionDenied(str(NOT_YOURS))
    park = locked(EnclavePark.objects.all(), park.pk, version, str(WHAT_PARK))
    name = fields.get("name", park.name)
    if EnclavePark.objects.filter(name=name).exclude(pk=park.pk).exists():
        raise ValidationError({"name": _("已有同名园区。")})
    for name, value in fields.items():
        setattr(park, name, value)
    _full_clean(park)
    with audit_context(actor=user, action="update_park"), unique_write(_("已有同名园区。"), "name"):
        park.save()
    return park


def _change_row(user, row, parent, values: dict, exclude: str):
    _editable(user, parent)
    row = type(row).objects.select_for_update().get(pk=row.pk)
    for name, value in values.items():
        setattr(row, name, value)
    _full_clean(row, exclude=[exclude])
    return row


@transaction.atomic
def update_shareholder(user, row: Shareholder, **values) -> Shareholder:
    row = _change_row(user, row, row.company, values, "company")
    others = sum((s.share for s in row.company.shareholders.exclude(pk=row.pk)), Decimal(0))
    if others + row.share > 100:
        raise ValidationError({"share": _("持股比例合计超过100%。")})
    with audit_context(actor=user, action="update_shareholder"):
        row.save()
    return row


@transaction.atomic
def update_household(user, row: Household, **values) -> Household:
    row = _change_row(user, row, row.company, values, "company")
    with audit_context(actor=user, action="update_household"):
        row.save()
    return row


@transaction.atomic
def update_tenant(user, row: EnclaveTenant, **values) -> EnclaveTenant:
    row = _change_row(user, row, row.park, values, "park")
    with audit_context(actor=user, action="update_tenant"):
        row.save()
    return row


@transaction.atomic
def update_share(user, row: EnclaveShare, **values) -> EnclaveShare:
    row = _change_row(user, row, row.park, values, "park")
    message = _("该村该年度的分成已录入。")
    twins = EnclaveShare.objects.filter(park=row.park, village=row.village, year=row.year)
    if twins.exclude(pk=row.pk).exists():
        raise ValidationError({"year": message})
    with audit_context(actor=user, action="update_share"), unique_write(message, "year"):
        row.save()
    return row


@transaction.atomic
def remove_row(user, row) -> None:
    """Remove a shareholder, household, tenant or share recorded by mistake."""
    parent = row.company if hasattr(row, "company_id") else row.park
    _editable(user, parent)
    with audit_context(actor=user, action=f"remove_{ROW_NAMES[type(row)]}"):
        row.delete()


ROW_NAMES = {
    Shareholder: "shareholder",
    Household: "household",
    EnclaveTenant: "tenant",
    EnclaveShare: "share",
}
