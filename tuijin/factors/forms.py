"""Input parsing for the factors pages: query parameters and posted values, each refusal in
Chinese naming the field (a negative value, a wrong unit)."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tuijin.core.versions import VersionedFormMixin
from tuijin.factors.models import (
    Evaluation,
    Factor,
    FactorNeed,
    FactorRules,
    LandFlagKind,
    Source,
    SupplyEntry,
)

# Units a figure may be typed with, and units that are wrong for it (named in the refusal).
OTHER_UNITS = ["平方米", "㎡", "公顷", "万吨", "千克", "千瓦时", "kwh", "kWh", "度", "元", "吨"]
UNIT_SUFFIXES = {
    "亩": ["亩"],
    "吨标准煤": ["吨标准煤", "吨标煤", "tce"],
    "万千瓦时": ["万千瓦时", "万kwh", "万kWh", "万度"],
    "万元": ["万元", "万"],
    "%": ["%", "%"],
    "人": ["人"],
}


def parse_quantity(text, unit: str, label: str) -> Decimal:
    """A figure in ``unit``: a number, optionally followed by that unit (300、300亩、1,200.5);
    refused, naming ``label``, when negative or followed by another unit."""
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        value = Decimal(str(text))
    else:
        raw = str(text or "").strip().replace(",", "").replace(",", "").replace(" ", "")
        if not raw:
            return Decimal(0)
        for suffix in sorted(UNIT_SUFFIXES.get(unit, []), key=len, reverse=True):
            if raw.lower().endswith(suffix.lower()):
                raw = raw[: -len(suffix)]
                break
        else:
            match = re.match(r"^-?[\d.]+([^\d.].*)$", raw)
            if match:
                raise ValidationError(
                    f"“{label}”的单位应为{unit},不能是“{match.group(1)}”,请换算后填写数字。"
                )
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(f"“{label}”应填写数字(单位{unit})。") from None
    if not value.is_finite():
        raise ValidationError(f"“{label}”应填写数字(单位{unit})。")
    if value < 0:
        raise ValidationError(f"“{label}”不能为负数。")
    if value >= Decimal(10) ** 12:
        raise ValidationError(f"“{label}”过大(单位{unit})。")
    return value.quantize(Decimal("0.01"))


class QuantityField(forms.CharField):
    """A quantity typed with or without its unit."""

    def __init__(self, *, unit: str, **kwargs):
        self.unit = unit
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value):
        value = super().clean(value)
        with translation.override("zh-hans"):  # the refusal names the field in Chinese
            label = str(self.label)
        return parse_quantity(value, self.unit, label)


class Styled:
    """Bootstrap classes on every widget (small: the forms sit under tables)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs.setdefault("class", css)


def this_year() -> int:
    return timezone.localdate().year


def default_year() -> int:
    """The year the sheet opens on: this year, and from October next year's (quotas and the
    next year's starts are planned in the fourth quarter)."""
    today = timezone.localdate()
    return today.year + 1 if today.month >= 10 else today.year


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 2000)
        kwargs.setdefault("max_value", 2100)
        kwargs.setdefault("label", _("年度"))
        super().__init__(**kwargs)


class ParkField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class SheetFilter(forms.Form):
    year = YearField(required=False)

    def year_or_now(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return default_year()


class SupplyForm(Styled, forms.Form):
    year = YearField(initial=default_year)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    quantity = forms.CharField(label=_("数量"), max_length=40)
    document_title = forms.CharField(label=_("来源文件"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source and "quantity" in data:
            from tuijin.factors.models import SOURCE_FACTOR, UNIT

            unit = str(UNIT[SOURCE_FACTOR[Source(source)]])
            try:
                data["quantity"] = parse_quantity(data["quantity"], unit, "数量")
            except ValidationError as error:
                self.add_error("quantity", error)
        return data


class SupplyEditForm(Styled, VersionedFormMixin, forms.ModelForm):
    """A supply entry corrected: its source (within the same kind of factor is not required:
    the factor follows the source), quantity and document."""

    quantity = forms.CharField(label=_("数量"), max_length=40)

    class Meta:
        model = SupplyEntry
        fields = ["year", "source", "quantity", "document_title", "document_number", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("请选择来源")), *Source.choices]

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source and "quantity" in data:
            from tuijin.factors.models import SOURCE_FACTOR, UNIT

            with translation.override("zh-hans"):
                unit = str(UNIT[SOURCE_FACTOR[Source(source)]])
            try:
                data["quantity"] = parse_quantity(data["quantity"], unit, "数量")
            except ValidationError as error:
                self.add_error("quantity", error)
        return data


class ReserveForm(Styled, forms.Form):
    year = YearField(initial=this_year)
    factor = forms.ChoiceField(label=_("要素"), choices=Factor.choices)
    quantity = forms.CharField(label=_("数量"), max_length=40)
    subject = forms.CharField(label=_("项目"), max_length=30)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = {d.key: d for d in subjects}
        self.fields["subject"].widget = forms.Select(
            choices=[("", "—")] + [(d.key, f"{d.name}({d.stage})") for d in subjects],
            attrs={"class": "form-select form-select-sm"},
        )

    def clean_subject(self):
        key = self.cleaned_data["subject"]
        if key not in self.subjects:
            raise ValidationError("请选择本园区的项目或招商线索。")
        return self.subjects[key]

    def clean(self):
        data = super().clean()
        if data.get("factor") and "quantity" in data:
            from tuijin.factors.models import UNIT

            try:
                data["quantity"] = parse_quantity(
                    data["quantity"], str(UNIT[Factor(data["factor"])]), "数量"
                )
            except ValidationError as error:
                self.add_error("quantity", error)
        return data


class CommitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    document = forms.CharField(label=_("批准文件"), max_length=200)


class ReleaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class NeedForm(Styled, VersionedFormMixin, forms.ModelForm):
    land_mu = QuantityField(unit="亩", label=_("用地(亩)"), required=False)
    energy_tce = QuantityField(unit="吨标准煤", label=_("年综合能耗(吨标准煤)"), required=False)
    electricity_10k_kwh = QuantityField(
        unit="万千瓦时", label=_("年用电量(万千瓦时)"), required=False
    )
    green_share = QuantityField(unit="%", label=_("绿电占比(%)"), required=False)

    class Meta:
        model = FactorNeed
        fields = ["land_mu", "energy_tce", "electricity_10k_kwh", "green_share", "expected_start"]
        widgets = {"expected_start": forms.DateInput(attrs={"type": "date"})}

    def clean_green_share(self):
        value = self.cleaned_data["green_share"]
        if value > 100:
            raise ValidationError("“绿电占比(%)”应在0到100之间。")
        return value


class RulesForm(Styled, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FactorRules
        fields = [
            "exclude_green",
            "green_tce_per_10k_kwh",
            "weight_tax",
            "weight_sales",
            "weight_energy",
            "weight_rnd",
            "weight_labour",
            "class_a",
            "class_b",
            "class_c",
            "desk_keywords",
        ]


class EvaluationOpenForm(Styled, forms.Form):
    year = YearField(initial=lambda: this_year() - 1)


class WeightsForm(Styled, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "weight_tax",
            "weight_sales",
            "weight_energy",
            "weight_rnd",
            "weight_labour",
            "class_a",
            "class_b",
            "class_c",
        ]


class FlagForm(Styled, forms.Form):
    year = YearField(initial=this_year)
    kind = forms.ChoiceField(label=_("类型"), choices=LandFlagKind.choices)
    area_mu = QuantityField(unit="亩", label=_("面积(亩)"))
    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=None, required=False, empty_label=_("请选择企业")
    )
    location = forms.CharField(label=_("地块位置"), max_length=200, required=False)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class FreeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    year = YearField(initial=this_year)
    document_title = forms.CharField(label=_("盘活文件"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)


class EscalateForm(forms.Form):
    year = YearField()
    factor = forms.ChoiceField(choices=Factor.choices)
    subject = forms.RegexField(regex=r"^(lead|project)-\d{1,10}$", max_length=30)


class UploadForm(Styled, forms.Form):
    file = forms.FileField(label=_("统计局/税务局数据(.xlsx)"))
