"""Park review forms: setting a review up, its route, an evaluator's scores, the last park's
pledge. Choice lists offer only the user's zone (``zone_units``)."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import check_day
from tuijin.core.versions import VersionedFormMixin
from tuijin.org.access import zone_units
from tuijin.org.models import Person, Role
from tuijin.parkreview import rules
from tuijin.parkreview.models import ParkReview
from tuijin.projects.models import Project
from tuijin.supervision.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
QUARTERS = [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]


class ReviewCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=QUARTERS, coerce=int)
    title = forms.CharField(
        label=_("名称"), max_length=200, required=False, help_text=_("留空则按季度命名")
    )
    tour_date = forms.DateField(label=_("观摩日期"), widget=DATE, validators=[check_day])

    def __init__(self, *args, today: dt.date, **kwargs):
        year, quarter = rules.previous_quarter(today)
        kwargs.setdefault("initial", {"year": year, "quarter": quarter, "tour_date": today})
        super().__init__(*args, **kwargs)
        bootstrap(self)


def evaluator_choices(user):
    """People of the user's zone who log in (评委 score on their phones), liaisons aside."""
    return (
        Person.objects.filter(unit__in=zone_units(user), is_active=True, user__isnull=False)
        .exclude(role=Role.LIAISON)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


class EvaluatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.name}"


class ReviewForm(VersionedFormMixin, forms.ModelForm):
    evaluators = EvaluatorField(
        label=_("评委"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ParkReview
        fields = [
            "title",
            "tour_date",
            "start_time",
            "stops_per_park",
            "exclude_quarters",
            "min_invest_share",
            "stop_minutes",
            "travel_minutes",
            "subjective_weight",
            "trim_from",
            "plan_points",
            "start_points",
            "light_points",
        ]
        widgets = {"tour_date": DATE, "start_time": TIME}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tour_date"].validators.append(check_day)
        self.fields["evaluators"].queryset = evaluator_choices(user)
        if self.instance.pk:
            self.initial["evaluators"] = [e.person_id for e in self.instance.evaluators.all()]
        bootstrap(self)
        self.fields["evaluators"].widget.attrs.pop("class", None)


class CriterionForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("评分项"), max_length=50)
    weight = forms.DecimalField(
        label=_("分值"), min_value=Decimal("0.5"), max_value=100, decimal_places=1
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=20)


def criterion_formset(review, data=None):
    initial = [{"pk": c.pk, "name": c.name, "weight": c.weight} for c in review.criteria.all()]
    formset = CriterionFormSet(data, initial=initial, prefix="criteria")
    for form in formset.forms:
        bootstrap(form)
        form.fields["name"].widget.attrs["class"] = "form-control form-control-sm"
        form.fields["weight"].widget.attrs["class"] = "form-control form-control-sm"
    return formset


class StopForm(forms.Form):
    """One row of the route: a stop of this review (``stops``, by pk), its order and times."""

    stop = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.IntegerField(label=_("顺序"), min_value=1, max_value=999)
    arrive_at = forms.TimeField(label=_("到达时间"), widget=TIME, required=False)
    minutes = forms.IntegerField(label=_("停留(分钟)"), min_value=5, max_value=240)
    remove = forms.BooleanField(label=_("取消"), required=False)

    def __init__(self, *args, stops: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.stops = stops
        self.stop_record = stops.get(_int(self["stop"].value()))

    def clean_stop(self):
        pk = self.cleaned_data["stop"]
        if pk not in self.stops:
            raise forms.ValidationError(_("不是本次观摩的观摩点,请刷新页面后重试。"))
        return pk


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BaseStopFormSet(forms.BaseFormSet):
    """The route's rows: every row names one of the review's stops, each stop once. A row the
    page did not send (more rows than stops) is an error, not skipped."""

    def __init__(self, *args, stops: list, **kwargs):
        self.stop_records = {s.pk: s for s in stops}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"stops": self.stop_records, "empty_permitted": False}

    def clean(self):
        seen = {}
        for number, form in enumerate(self.forms, start=1):
            pk = form.cleaned_data.get("stop")
            if pk is not None and pk in seen:
                raise forms.ValidationError(
                    _("第%(row)s行与第%(first)s行是同一个观摩点,请刷新页面后重试。"),
                    params={"row": number, "first": seen[pk]},
                )
            seen[pk] = number

    def problems(self) -> list[str]:
        """The errors in words, each naming its row and field."""
        if not self.management_form.is_valid():
            return [str(_("观摩点行数不完整,请刷新页面后重试。"))]
        found = [str(e) for e in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            for name, errors in form.errors.items():
                label = _("观摩点") if name in ("stop", "__all__") else form.fields[name].label
                found += [
                    _("第%(row)s行%(field)s:%(error)s")
                    % {"row": number, "field": label, "error": e}
                    for e in errors
                ]
        return found


StopFormSet = forms.formset_factory(StopForm, BaseStopFormSet, extra=0, max_num=500)


class RouteForm(forms.Form):
    """The route's other half: the parks' order and a project to add."""

    add = forms.ModelChoiceField(
        label=_("添加观摩点"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("请选择要添加的观摩点"),
    )

    def __init__(self, *args, review, entries, **kwargs):
        super().__init__(*args, **kwargs)
        taken = review.stops.values("project_id")
        self.fields["add"].queryset = (
            Project.objects.filter(park_id__in=[e.park_id for e in entries])
            .exclude(pk__in=taken)
            .select_related("park")
            .order_by("park__path", "code")
        )
        self.fields["add"].label_from_instance = lambda p: f"{p.park.name} · {p.name}"
        for entry in entries:
            self.fields[f"park_{entry.pk}"] = forms.IntegerField(
                label=entry.park.name, min_value=1, max_value=99, initial=entry.position
            )
        bootstrap(self)

    def problems(self) -> list[str]:
        return [
            f"{self.fields[name].label}:{error}" if name != "__all__" else str(error)
            for name, errors in self.errors.items()
            for error in errors
        ]

    def park_order(self, entries) -> dict[int, int]:
        return {e.pk: self.cleaned_data[f"park_{e.pk}"] for e in entries}


class ScoreForm(forms.Form):
    """An evaluator's sheet for one park: a note per stop, points per criterion, a remark."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    remark = forms.CharField(
        label=_("总体评价"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, stops, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.stops = list(criteria), list(stops)
        notes = sheet.stop_notes if sheet else {}
        points = sheet.points if sheet else {}
        for stop in self.stops:
            self.fields[f"note_{stop.pk}"] = forms.CharField(
                label=_("现场记录"),
                required=False,
                max_length=500,
                initial=notes.get(str(stop.pk), ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for criterion in self.criteria:
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}(0–{criterion.weight:g})",
                min_value=0,
                max_value=criterion.weight,
                decimal_places=1,
                initial=points.get(str(criterion.pk)),
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
            )
        # 0 when there is no sheet yet: one saved since (the same evaluator on another device)
        # is not overwritten unseen.
        self.fields["version"].initial = sheet.version if sheet is not None else 0
        bootstrap(self)

    def note_field(self, stop):
        return self[f"note_{stop.pk}"]

    def point_fields(self):
        return [self[f"points_{c.pk}"] for c in self.criteria]

    def points(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"points_{c.pk}"] for c in self.criteria}

    def stop_notes(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data[f"note_{s.pk}"] for s in self.stops}


class PledgeForm(forms.Form):
    text = forms.CharField(
        label=_("表态内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("兑现期限"), widget=DATE, validators=[check_day])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
