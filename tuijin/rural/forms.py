"""Rural linkage forms. Choice lists offer only what the user may pick: their own villages,
communities and towns (``permissions.recordable_units``), the zone's parks and enterprises
(``zone_units``, ``Enterprise.visible_to``), their companies (``Company.visible_to``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import check_day
from tuijin.core.versions import VersionedFormMixin, VersionForm
from tuijin.org.access import zone_units
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Enterprise
from tuijin.rural.models import (
    RURAL_KINDS,
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
from tuijin.rural.permissions import recordable_units
from tuijin.supervision.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DAY_FIELDS = ("founded_on", "since", "starts_on", "ends_on", "delivered_on", "due_on", "paid_on")


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _Base(forms.ModelForm):
    """Dates are date pickers checked by ``check_day``; every widget gets Bootstrap's class."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in DAY_FIELDS:
            if name in self.fields:
                self.fields[name].widget = DATE
                self.fields[name].validators.append(check_day)
        bootstrap(self)


class CompanyForm(VersionedFormMixin, _Base):
    unit = UnitChoice(
        label=_("所属村(社区)"), queryset=Unit.objects.none(), empty_label=_("请选择所属村(社区)")
    )

    class Meta:
        model = Company
        fields = ["unit", "name", "kind", "park", "partners", "founded_on", "capital", "business"]
        widgets = {"partners": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = recordable_units(user).order_by("path")
        self.fields["park"].queryset = zone_units(user).filter(kind=UnitKind.PARK)
        self.fields["partners"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["kind"].choices = [("", _("请选择公司类型")), *Company.Kind.choices]
        self.fields["park"].empty_label = _("请选择服务园区")


class ShareholderForm(_Base):
    class Meta:
        model = Shareholder
        fields = ["name", "kind", "share", "households"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择股东类型")), *Shareholder.Kind.choices]


class HouseholdForm(_Base):
    class Meta:
        model = Household
        fields = ["head", "status", "members", "area_mu", "dividend", "link"]


class ParkForm(VersionedFormMixin, _Base):
    unit = UnitChoice(
        label=_("所属村(镇)"), queryset=Unit.objects.none(), empty_label=_("请选择所属村(镇)")
    )

    class Meta:
        model = EnclavePark
        fields = ["unit", "company", "name", "location", "stage", "land_mu", "buildings_m2", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = recordable_units(user).order_by("path")
        self.fields["company"].queryset = Company.objects.visible_to(user)
        self.fields["company"].empty_label = _("请选择运营公司")


class TenantForm(_Base):
    class Meta:
        model = EnclaveTenant
        fields = ["name", "enterprise", "status", "investment", "since"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["enterprise"].empty_label = _("请选择台账企业")
        self.fields["status"].choices = [("", _("请选择状态")), *EnclaveTenant.Status.choices]


class ShareForm(_Base):
    village = UnitChoice(
        label=_("分成村"), queryset=Unit.objects.none(), empty_label=_("请选择分成村")
    )

    class Meta:
        model = EnclaveShare
        fields = ["village", "year", "amount"]

    def __init__(self, *args, user, **kwargs):
        if kwargs.get("instance") is None:
            kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, user=user, **kwargs)
        self.fields["village"].queryset = zone_units(user).filter(
            kind__in=(UnitKind.VILLAGE, UnitKind.COMMUNITY)
        )


class AgreementForm(VersionedFormMixin, _Base):
    class Meta:
        model = Agreement
        fields = [
            "company",
            "enterprise",
            "kind",
            "title",
            "product",
            "starts_on",
            "ends_on",
            "area_mu",
            "quantity_unit",
            "guaranteed_price",
            "guaranteed_return",
            "baseline_per_mu",
            "expected_per_mu",
            "pay_within_days",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["company"].queryset = Company.objects.editable_by(user)
        self.fields["company"].empty_label = _("请选择村级公司/合作社")
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            unit__in=zone_units(user)
        ).order_by("name")
        self.fields["enterprise"].empty_label = _("请选择企业")
        self.fields["kind"].choices = [("", _("请选择协议类型")), *Agreement.Kind.choices]
        if self.instance.pk:
            del self.fields["company"]  # the parties stay; a new partner is a new agreement


class DeliveryForm(_Base):
    unit_price = forms.DecimalField(
        label=_("单价(元)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("留空按协议保底收购价"),
    )
    payment_due = forms.BooleanField(
        label=_("生成应付款(按协议付款期限)"), required=False, initial=True
    )

    class Meta:
        model = Delivery
        fields = ["delivered_on", "quantity", "grade", "unit_price", "note"]

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate(), "payment_due": True})
        super().__init__(*args, user=user, **kwargs)
        self.fields["quantity"].widget.attrs["inputmode"] = "decimal"


class PaymentForm(VersionedFormMixin, _Base):
    class Meta:
        model = Payment
        fields = ["due_on", "amount_due", "paid_on", "amount_paid", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["amount_paid"].required = False


class PayForm(VersionForm):
    paid_on = forms.DateField(label=_("实付日期"), widget=DATE, validators=[check_day])
    amount_paid = forms.DecimalField(
        label=_("实付金额(元)"), min_value=0, max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class IncomeForm(VersionedFormMixin, _Base):
    unit = UnitChoice(
        label=_("村(社区)"), queryset=Unit.objects.none(), empty_label=_("请选择村(社区)")
    )

    class Meta:
        model = VillageIncome
        fields = ["unit", "year", "operating_income", "dividends", "dividend_households", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = recordable_units(user).filter(
            kind__in=(UnitKind.VILLAGE, UnitKind.COMMUNITY)
        )
        if self.instance.pk:
            self.fields["unit"].disabled = True
            self.fields["year"].disabled = True

    def validate_unique(self):
        pass  # the service checks (unit, year) and edits the row that exists


class ReportFilter(forms.Form):
    """The report's query parameters: a year and, optionally, a town (乡镇) or village."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    unit = UnitChoice(label=_("乡镇/村"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=_visible_unit_ids(user), kind__in=RURAL_KINDS
        ).order_by("path")
        self.fields["unit"].empty_label = _("全部")
        bootstrap(self)


def _visible_unit_ids(user):
    from tuijin.org.access import visible_units

    return visible_units(user).values("pk")
