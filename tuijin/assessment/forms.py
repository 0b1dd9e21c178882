"""Input of the assessment pages: every posted value and query parameter is parsed here."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.assessment.models import SCHEME_VALUE_FIELDS, Scheme, UnitClass
from tuijin.core.params import check_day
from tuijin.core.uploads import DOCUMENT, UploadField
from tuijin.org.models import Person, Role, Unit
from tuijin.supervision.models import SupervisionItem

DATE = forms.DateInput(attrs={"type": "date"})


def _style(form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class MonthField(forms.DateField):
    """A month typed as 2026-11 (the first day of it)."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    default_validators = [check_day]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class OpenPeriodForm(forms.Form):
    month = MonthField(label=_("考核月份"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].initial = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        _style(self)


class SchemeClassQuery(forms.Form):
    unit_class = forms.ChoiceField(choices=UnitClass.choices, required=False)

    def value(self) -> str:
        if self.is_valid() and self.cleaned_data["unit_class"]:
            return self.cleaned_data["unit_class"]
        return UnitClass.DEPARTMENT


class SchemeForm(forms.ModelForm):
    """A new version of a class's scheme (never an edit of one in use)."""

    unit_class = forms.ChoiceField(label=_("单位类别"), choices=UnitClass.choices)
    effective_from = MonthField(label=_("起用月份"))

    class Meta:
        model = Scheme
        fields = [*SCHEME_VALUE_FIELDS, "excluded_units", "note"]
        widgets = {"excluded_units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excluded_units"].queryset = units if units is not None else Unit.objects.none()
        self.fields["effective_from"].initial = timezone.localdate().replace(day=1)
        self.order_fields(["unit_class", "effective_from"])
        _style(self)

    def clean(self):
        data = super().clean()
        bands = [data.get(n) for n in ("grade_excellent", "grade_good", "grade_pass")]
        if None not in bands and not bands[0] >= bands[1] >= bands[2]:
            self.add_error("grade_good", _("等次分数线须满足:优秀 ≥ 良好 ≥ 合格。"))
        return data


class AdjustmentForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), empty_label=_("请选择单位")
    )
    points = forms.DecimalField(
        label=_("分值"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=_("加分为正,减分为负;当月合计按方案上限计"),
    )
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    document = UploadField(label=_("依据文件(表扬信、通报批评等)"), kind=DOCUMENT, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        _style(self)


class VetoForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), empty_label=_("请选择单位")
    )
    reason = forms.CharField(
        label=_("否决理由"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如:发生重大安全生产事故")}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        _style(self)


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = UploadField(label=_("佐证材料"), kind=DOCUMENT, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("upheld", _("申诉成立")), ("refused", _("申诉不成立"))],
        widget=forms.RadioSelect,
    )
    new_score = forms.DecimalField(
        label=_("调整后得分"), max_digits=6, decimal_places=2, required=False
    )
    decision = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["outcome"].widget.attrs.pop("class", None)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "upheld" and data.get("new_score") is None:
            self.add_error("new_score", _("申诉成立时请填写调整后的得分。"))
        return data


class CorrectionForm(forms.Form):
    new_score = forms.DecimalField(label=_("更正后得分"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RatingForm(forms.Form):
    """One score box and comment per unit (built from the month's units)."""

    def __init__(self, *args, units=(), initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_scores = initial_scores or {}
        self.units = list(units)
        for unit in self.units:
            score, comment = initial_scores.get(unit.pk, (None, ""))
            self.fields[f"score_{unit.pk}"] = forms.DecimalField(
                label=unit.name,
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=1,
                initial=score,
                widget=forms.NumberInput(
                    attrs={"inputmode": "decimal", "step": "0.5", "placeholder": "0–100"}
                ),
            )
            self.fields[f"comment_{unit.pk}"] = forms.CharField(
                label=_("评语"), required=False, max_length=200, initial=comment
            )
        _style(self)

    def rows(self):
        for unit in self.units:
            yield unit, self[f"score_{unit.pk}"], self[f"comment_{unit.pk}"]

    def ratings(self) -> dict:
        return {
            unit: (self.cleaned_data[f"score_{unit.pk}"], self.cleaned_data[f"comment_{unit.pk}"])
            for unit in self.units
        }


class InstructionForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=Unit.objects.none(), empty_label=_("请选择单位")
    )
    leader = forms.ModelChoiceField(
        label=_("批示领导"), queryset=Person.objects.none(), empty_label=_("请选择批示领导")
    )
    day = forms.DateField(label=_("批示日期"), widget=DATE, validators=[check_day])
    item = forms.ModelChoiceField(
        label=_("督办事项(可选)"),
        queryset=SupervisionItem.objects.none(),
        required=False,
        empty_label=_("请选择督办事项"),
    )
    text = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, units=None, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        if zone is not None:
            self.fields["leader"].queryset = Person.objects.filter(
                role=Role.ZONE_LEADER, unit__path__startswith=zone.path, is_active=True
            )
        if user is not None:
            self.fields["item"].queryset = (
                SupervisionItem.objects.visible_to(user)
                .select_related("lead_unit")
                .order_by("-assigned_on")
            )
        self.fields["day"].initial = timezone.localdate()
        _style(self)
