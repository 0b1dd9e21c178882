import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import DayField, bound_days, check_day
from tuijin.core.uploads import PHOTO, MultipleUploadField
from tuijin.org.models import Person
from tuijin.projects.forms import DATE
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.models import ProblemCategory
from tuijin.worklogs.models import Exemption, WorkLog, weekend_of
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
    date = forms.DateField(label=_("日期"), widget=DATE, validators=[check_day])
    text = forms.CharField(
        label=_("工作内容"),
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("今天做了什么、去了哪里、解决了什么")}
        ),
    )
    photos = MultipleUploadField(
        label=_("照片"),
        kind=PHOTO,
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
        label=_("问题类别"),
        queryset=ProblemCategory.objects.all(),
        required=False,
        empty_label=_("请选择问题类别"),
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
    VisitForm,
    formset=BaseVisitFormSet,
    extra=0,
    min_num=0,
    max_num=10,
    validate_max=True,
    absolute_max=10,  # the most forms built, whatever visits-TOTAL_FORMS claims
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
        self.fields["person"].empty_label = _("请选择干部")
        self.fields["reason"].choices = [("", _("请选择原因")), *Exemption.Reason.choices]
        bound_days(self)
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


# --- Query parameters --------------------------------------------------------------------------


class WeekendQuery(forms.Form):
    """``?weekend=2026-11-21`` (any day of it); a bad date falls back to the current weekend."""

    weekend = DayField()

    def shown(self, today: dt.date) -> tuple[dt.date, str]:
        """The Saturday to show, and a note when the asked day is unreadable."""
        if self.is_valid():
            return weekend_of(self.cleaned_data["weekend"] or today), ""
        asked = self.data.get("weekend")
        return weekend_of(today), f"无法识别的日期“{asked}”,已显示本周末。"


class VisitsQuery(forms.Form):
    """``?kind=project&stale=1`` on the visits page."""

    kind = forms.ChoiceField(
        choices=[("enterprise", _("企业")), ("project", _("项目"))], required=False
    )
    stale = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", required=False
    )

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


class RosterQuery(forms.Form):
    """``?unit=12`` on the roster page: one of the units the user sees, else their own."""

    unit = forms.IntegerField(required=False, min_value=1)

    def unit_pk(self) -> int | None:
        return self.cleaned_data["unit"] if self.is_valid() else None


def posted_pk(data, name: str) -> int:
    """An id in a POST body; anything unreadable is 0, which no record has (so a 404)."""
    try:
        return max(int(data.get(name) or 0), 0)
    except ValueError:
        return 0
