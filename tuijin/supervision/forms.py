import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import check_day
from tuijin.core.uploads import DOCUMENT, PHOTO, MultipleFileInput, MultipleUploadField
from tuijin.core.versions import VersionForm
from tuijin.org.access import person_of, visible_units, zone_units
from tuijin.org.models import Person, Unit
from tuijin.projects.forms import DATE
from tuijin.supervision.models import (
    ASSIGNER_ROLES,
    Problem,
    ProblemCategory,
    SupervisionItem,
    Verification,
)

MODE_CHOICES = SupervisionItem.DeadlineMode.choices


def bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.RadioSelect):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class DeadlineFields(forms.Form):
    """期限: a date, or N calendar / working days from today."""

    deadline_mode = forms.ChoiceField(label=_("期限方式"), choices=MODE_CHOICES, initial="calendar")
    deadline_days = forms.IntegerField(
        label=_("天数"), min_value=1, max_value=365, required=False, initial=3
    )
    deadline_date = forms.DateField(
        label=_("期限日期"), required=False, widget=DATE, validators=[check_day]
    )

    def clean(self):
        data = super().clean()
        mode = data.get("deadline_mode")
        if mode == "date" and not data.get("deadline_date"):
            self.add_error("deadline_date", _("请选择期限日期。"))
        if mode in ("calendar", "working") and not data.get("deadline_days"):
            self.add_error("deadline_days", _("请填写期限天数。"))
        return data

    def deadline_kwargs(self) -> dict:
        return {
            "deadline_mode": self.cleaned_data["deadline_mode"],
            "deadline_days": self.cleaned_data.get("deadline_days"),
            "deadline_date": self.cleaned_data.get("deadline_date"),
        }


class DirectiveForm(DeadlineFields):
    """现场交办 from a phone: the problem found, what must be done, by when."""

    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=ProblemCategory.objects.all(),
        empty_label=_("请选择问题类别"),
    )
    problem_text = forms.CharField(label=_("发现问题"), widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(label=_("要求"), widget=forms.Textarea(attrs={"rows": 2}))
    result_standard = forms.CharField(
        label=_("成效标准"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("到期时要看到什么,如:两处违章建筑拆除、场地清表"),
    )

    field_order = [
        "problem_text",
        "category",
        "requirement",
        "result_standard",
        "deadline_mode",
        "deadline_days",
        "deadline_date",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ItemForm(DeadlineFields, forms.ModelForm):
    class Meta:
        model = SupervisionItem
        fields = [
            "title",
            "requirement",
            "result_standard",
            "source",
            "project",
            "lead_unit",
            "co_units",
            "responsible",
        ]
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 3}),
            "result_standard": forms.Textarea(attrs={"rows": 2}),
            "co_units": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from tuijin.projects.models import Project

        units = visible_units(user)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["project"].queryset = Project.objects.visible_to(user)
        self.fields["responsible"].queryset = Person.objects.filter(
            unit__in=units, is_active=True
        ).select_related("unit")
        self.fields["project"].empty_label = _("请选择项目")
        self.fields["lead_unit"].empty_label = _("请选择牵头单位")
        self.fields["responsible"].empty_label = _("请选择责任人")
        bootstrap(self)

    def clean(self):
        data = super().clean()
        lead, co_units = data.get("lead_unit"), data.get("co_units") or []
        if lead and lead in co_units:
            self.add_error("co_units", _("牵头单位不必再列为配合单位。"))
        return data


class NoteForm(VersionForm):
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ReasonForm(VersionForm):
    note = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class FeedbackForm(VersionForm):
    text = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"})
    )
    photos = MultipleUploadField(
        label=_("佐证照片"),
        kind=PHOTO,
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "class": "form-control"}),
    )
    attachments = MultipleUploadField(
        label=_("附件"),
        kind=DOCUMENT,
        required=False,
        help_text=DOCUMENT.lazy_help("批复、纪要等文件:"),
        widget=MultipleFileInput(attrs={"class": "form-control"}),
    )
    latitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )


class VerificationForm(FeedbackForm):
    result = forms.ChoiceField(
        label=_("核查结论"),
        choices=Verification.Result.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    field_order = ["result", "text", "photos"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("核查情况")
        del self.fields["attachments"]  # the verifier's evidence is photos


class ExtensionForm(VersionForm):
    new_deadline = forms.DateField(
        label=_("申请延至"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        validators=[check_day],
    )
    reason = forms.CharField(
        label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class DecisionForm(VersionForm):
    """审批延期: approve (the requested date, or another) or refuse, with a reason."""

    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审批"),
        coerce=lambda v: v == "1",
        choices=[("1", _("同意")), ("0", _("不同意"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    new_deadline = forms.DateField(
        label=_("批准延至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=[check_day],
        help_text=_("默认为申请的日期,可改动"),
    )
    note = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("不同意或改动日期时必填"),
    )

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not (data.get("note") or "").strip():
            self.add_error("note", _("不同意延期须写明理由。"))
        return data


class ScheduleVerificationForm(VersionForm):
    """安排现场核查: the day, the time and who goes (the 督查室 and zone leaders of the zone
    and the people of the lead unit are offered)."""

    day = forms.DateField(
        label=_("核查日期"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=[check_day],
    )
    time = forms.TimeField(
        label=_("时间"),
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
        initial=dt.time(9, 0),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("核查人员"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    takes_item = True  # the view passes user and item: the people offered depend on both

    def __init__(self, *args, user, item, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(is_active=True).filter(
            Q(unit__in=zone_units(user), role__in=ASSIGNER_ROLES) | Q(unit=item.lead_unit_id)
        )
        self.fields["people"].queryset = people.select_related("unit").order_by(
            "unit__path", "name"
        )
        self.fields["people"].label_from_instance = lambda p: f"{p.name}({p.unit.name})"
        if not self.is_bound:
            self.initial.setdefault("day", timezone.localdate() + dt.timedelta(days=1))
            if me := person_of(user):
                self.initial.setdefault("people", [me.pk])

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("核查日期不能早于今天。"))
        return day

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        return data


class IdListField(forms.Field):
    """Record ids posted as repeated values (checkboxes); anything else is a field error."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("所选事项无法识别,请重新勾选。")}

    def __init__(self, *, max_count=500, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple) or len(value) > self.max_count:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        ids = []
        for raw in value:
            if not str(raw).isdecimal() or not 0 < int(raw) < 2**31:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(raw))
        return ids


class UrgeItemsForm(forms.Form):
    """催办所选 on the board: the ticked items, an optional word, the board's filters to return to."""

    items = IdListField(label=_("所选事项"), required=False)
    note = forms.CharField(label=_("催办说明"), required=False, max_length=200)
    back = forms.CharField(required=False, max_length=2000)


class ProblemForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=ProblemCategory.objects.all(),
        empty_label=_("请选择问题类别"),
    )
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


ACTION_FORMS = {
    "accept": VersionForm,
    "start": VersionForm,
    "report": FeedbackForm,
    "start_verification": ScheduleVerificationForm,
    "verify": VerificationForm,
    "return": ReasonForm,
    "cancel": ReasonForm,
    "urge": NoteForm,
    "request_extension": ExtensionForm,
    "decide_extension": DecisionForm,
}


def unit_choices(user):
    return Unit.objects.filter(pk__in=visible_units(user).values("pk"))


# --- Query parameters -------------------------------------------------------------------------


class ProblemListForm(forms.Form):
    """The problem list's GET parameters; a bad value falls back to its default.

    ``unresolved`` (未解决: 待解决 and 协调中) has a value of its own, so each status value
    means one thing: ``open`` is Problem.Status.OPEN (待解决) only."""

    status = forms.ChoiceField(
        choices=[("unresolved", _("未解决")), *Problem.Status.choices, ("all", _("全部"))],
        required=False,
    )
    level = forms.ChoiceField(choices=Problem.Level.choices, required=False)
    category = forms.IntegerField(min_value=1, required=False)

    DEFAULTS = {"status": "unresolved", "level": "", "category": None}

    def values(self) -> tuple[dict, bool]:
        """The parsed filters, and whether any value had to be dropped."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned.get(name) or default for name, default in self.DEFAULTS.items()}
        return values, bool(self.errors)


class ItemPrefillForm(forms.Form):
    """``?project=<id>`` on the new-item page: a project to prefill (anything else: none)."""

    project = forms.IntegerField(min_value=1, required=False)

    def project_pk(self) -> int | None:
        return self.cleaned_data["project"] if self.is_valid() else None
