import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.org.access import visible_units
from tuijin.org.models import Person, Unit
from tuijin.projects.forms import DATE, MultipleFileField
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.models import ProblemCategory
from tuijin.worklogs.models import Exemption, WorkLog
from tuijin.worklogs.services import VisitInput


def _style(form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


def default_log_date():
    """Today, or on a weekday the Sunday just past (weekend logs are often written late)."""
    today = timezone.localdate()
    return today if today.weekday() >= 5 else today - dt.timedelta(days=today.weekday() + 1)


class LogForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=WorkLog.Kind.choices)
    date = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(
        label=_("工作内容"),
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("今天做了什么、去了哪里、解决了什么")}
        ),
    )
    photos = MultipleFileField(
        label=_("照片"),
        required=False,
        help_text=_("可多选;拍摄时间从照片中读取"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = "image/*"
        self.fields["date"].initial = default_log_date()
        _style(self)


def subject_choices(user) -> list:
    """Enterprises and projects the user can see, as one grouped select ("e12" / "p34")."""
    enterprises = Enterprise.objects.visible_to(user).order_by("-is_key", "name")
    projects = Project.objects.visible_to(user).order_by("park__path", "name")
    return [
        ("", _("— 请选择走访对象 —")),
        (_("企业"), [(f"e{e.pk}", e.name) for e in enterprises.only("pk", "name")]),
        (_("项目"), [(f"p{p.pk}", p.name) for p in projects.only("pk", "name")]),
    ]


class VisitForm(forms.Form):
    subject = forms.ChoiceField(label=_("走访对象"))
    purpose = forms.CharField(label=_("走访事由"), max_length=200)
    found = forms.CharField(
        label=_("发现的情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    solved = forms.CharField(
        label=_("解决的事项"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problem_category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=ProblemCategory.objects.all(), required=False
    )
    problem_text = forms.CharField(
        label=_("需要协调的问题"),
        required=False,
        help_text=_("填写后将作为问题提交给责任单位"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user=None, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["subject"].choices = choices or []
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("problem_text", "").strip() and not data.get("problem_category"):
            self.add_error("problem_category", _("提出问题时请选择问题类别。"))
        return data

    def to_input(self) -> VisitInput:
        data = self.cleaned_data
        kind, pk = data["subject"][0], int(data["subject"][1:])
        model = Enterprise if kind == "e" else Project
        # Re-read through the scoping function: the posted id is user input.
        subject = model.objects.visible_to(self.user).get(pk=pk)
        return VisitInput(
            enterprise=subject if kind == "e" else None,
            project=subject if kind == "p" else None,
            purpose=data["purpose"],
            found=data.get("found", ""),
            solved=data.get("solved", ""),
            problem_category=data.get("problem_category"),
            problem_text=data.get("problem_text", ""),
        )


class BaseVisitFormSet(forms.BaseFormSet):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        self.choices = subject_choices(user)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"user": self.user, "choices": self.choices}

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            subject = form.cleaned_data.get("subject")
            if subject and subject in seen:
                raise ValidationError(_("同一对象在一篇日志中只需记录一次走访。"))
            seen.add(subject)


VisitFormSet = forms.formset_factory(
    VisitForm, formset=BaseVisitFormSet, extra=0, min_num=0, max_num=10, validate_max=True
)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("批阅意见"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ExemptionForm(forms.ModelForm):
    class Meta:
        model = Exemption
        fields = ["person", "reason", "start", "end", "note"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class LogFilter(django_filters.FilterSet):
    """Filters of the log list; they live in the URL."""

    q = django_filters.CharFilter(method="keyword", label=_("关键词"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method="in_unit", label=_("单位")
    )
    author = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("填写人"))
    kind = django_filters.ChoiceFilter(choices=WorkLog.Kind.choices, label=_("类型"))
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(), field_name="visits__enterprise", label=_("走访企业")
    )
    project = django_filters.ModelChoiceFilter(
        queryset=Project.objects.all(), field_name="visits__project", label=_("走访项目")
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("起始日期"), widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("截止日期"), widget=DATE
    )

    class Meta:
        model = WorkLog
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        # Choices come through the same scoping functions as the rows.
        self.filters["unit"].queryset = visible_units(user)
        self.filters["author"].queryset = Person.objects.visible_to(user)
        self.filters["enterprise"].queryset = Enterprise.objects.visible_to(user)
        self.filters["project"].queryset = Project.objects.visible_to(user)
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else None
            f.widget.attrs.setdefault("class", css or "form-control form-control-sm")

    def keyword(self, queryset, name, value):
        from tuijin.worklogs.search import search

        return search(queryset, value)

    def in_unit(self, queryset, name, value):
        return queryset.filter(unit__in=value.subtree())
