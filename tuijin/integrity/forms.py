"""Integrity forms. Choice lists offer only the user's zone (``zone_units``) and what the user
may read (``visible_to``); the commitment scan is checked by ``core.uploads`` in the form."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import DayField, bound_days, check_day
from tuijin.core.uploads import DOCUMENT, UploadField
from tuijin.core.versions import VersionedFormMixin
from tuijin.integrity.models import (
    Grade,
    NilReport,
    RiskPoint,
    Stage,
    Talk,
    TalkKind,
    TalkState,
)
from tuijin.org.access import zone_units
from tuijin.org.models import Person, Role, UnitKind
from tuijin.projects.models import Project
from tuijin.supervision.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUARTERS = [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.name}"


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.name}" + (f"({obj.title})" if obj.title else "")


class RiskField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.get_stage_display()} · {obj.title}"


def labelled(form):
    """Filters show no label above their fields: each names itself to screen readers."""
    for field in form.fields.values():
        field.widget.attrs.setdefault("aria-label", str(field.label))
    return bootstrap(form)


def units_of(user):
    return zone_units(user).exclude(kind=UnitKind.ZONE)


def people_of(user):
    return (
        Person.objects.filter(unit__in=zone_units(user), is_active=True)
        .exclude(role__in=[Role.LIAISON, Role.ADMIN])
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def talkers_of(user):
    return people_of(user).filter(role__in=[Role.INSPECTOR, Role.ZONE_LEADER])


def projects_of(user):
    return Project.objects.visible_to(user).order_by("name")


class RiskPointForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = RiskPoint
        fields = ["unit", "stage", "title", "grade", "description", "measures", "project"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        widgets |= {"measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(user)
        self.fields["project"].queryset = projects_of(user)
        self.fields["unit"].empty_label = _("请选择单位")
        self.fields["stage"].choices = [("", _("请选择环节")), *Stage.choices]
        self.fields["project"].empty_label = _("请选择项目")
        if self.instance.pk:
            self.fields["is_active"] = forms.BooleanField(
                label=_("在用"), required=False, initial=self.instance.is_active
            )
        bootstrap(self)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TalkForm(VersionedFormMixin, forms.ModelForm):
    """Record a talk held: a due one (its unit fixed) or a new one (the unit chosen)."""

    commitment = UploadField(label=_("承诺书扫描件"), kind=DOCUMENT, required=False)

    class Meta:
        model = Talk
        fields = [
            "unit",
            "kind",
            "held_on",
            "talker",
            "talkees",
            "risk_points",
            "points",
            "follow_up",
        ]
        field_classes = {"talker": PersonField, "talkees": PeopleField, "risk_points": RiskField}
        widgets = {
            "held_on": DATE,
            "points": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "talkees": forms.SelectMultiple(attrs={"size": 6}),
            "risk_points": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units_of(user)
            self.fields["unit"].empty_label = _("请选择谈话对象单位")
        self.fields["kind"].choices = [("", _("请选择谈话类型")), *TalkKind.choices]
        self.fields["talker"].queryset = talkers_of(user)
        self.fields["talker"].empty_label = _("请选择谈话人")
        self.fields["talker"].required = True
        self.fields["talkees"].queryset = people_of(user)
        self.fields["talkees"].required = True
        self.fields["risk_points"].queryset = (
            RiskPoint.objects.visible_to(user).filter(is_active=True).select_related("unit")
        )
        self.fields["held_on"].required = True
        self.fields["held_on"].validators.append(check_day)
        self.fields["points"].required = True
        bootstrap(self)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("commitment", None)
        data.pop("unit", None)
        return data


class PlanTalkForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Talk
        fields = ["unit", "kind", "due_date", "talkees", "project", "trigger_note"]
        field_classes = {"talkees": PeopleField}
        widgets = {"due_date": DATE, "talkees": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(user)
        self.fields["talkees"].queryset = people_of(user)
        self.fields["project"].queryset = projects_of(user)
        self.fields["unit"].empty_label = _("请选择谈话对象单位")
        self.fields["kind"].choices = [("", _("请选择谈话类型")), *TalkKind.choices]
        self.fields["project"].empty_label = _("请选择项目")
        self.fields["due_date"].required = True
        self.fields["kind"].initial = TalkKind.HOLIDAY
        bound_days(self)
        bootstrap(self)


class InterferenceForm(forms.Form):
    occurred_on = forms.DateField(label=_("发生日期"), widget=DATE, validators=[check_day])
    intervener = forms.CharField(
        label=_("插手干预人(姓名、职务)"),
        max_length=100,
        help_text=_("如:某某,某单位副职"),
    )
    project = forms.ModelChoiceField(
        label=_("涉及项目"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("请选择涉及项目"),
    )
    matter = forms.CharField(
        label=_("干预事项(提出的要求)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    response = forms.CharField(
        label=_("处理情况(如何拒绝)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects_of(user)
        bootstrap(self)


class NilAskForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=QUARTERS, coerce=int)

    def __init__(self, *args, today: dt.date, **kwargs):
        kwargs.setdefault("initial", {"year": today.year, "quarter": (today.month - 1) // 3 + 1})
        super().__init__(*args, **kwargs)
        labelled(self)


class NilSubmitForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = NilReport
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TalkFilter(forms.Form):
    """The talk list's filters (in the URL)."""

    kind = forms.ChoiceField(
        label=_("谈话类型"), choices=[("", _("全部类型")), *TalkKind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *TalkState.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=None, required=False, empty_label=_("全部单位")
    )
    since = DayField(label=_("起始日期"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(user)
        labelled(self)


class RiskFilter(forms.Form):
    stage = forms.ChoiceField(
        label=_("环节"), choices=[("", _("全部环节")), *Stage.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=None, required=False, empty_label=_("全部单位")
    )
    # A grade lists the points in use, as the board counts its 二级风险点 (its link).
    grade = forms.ChoiceField(
        label=_("等级"), choices=[("", _("全部等级")), *Grade.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(user)
        labelled(self)


class QuarterFilter(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(choices=QUARTERS, coerce=int, required=False)
