"""Input of the request pages: raising one, each verb's form (all carrying the version the
user saw) and the list's query parameters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import search_field
from tuijin.core.uploads import PHOTO, MultipleUploadField
from tuijin.enterprise_requests.models import Category, CheckResult, Satisfaction, State
from tuijin.org.access import zone_units
from tuijin.projects.models import Enterprise, Project


def _style(form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect):
            field.widget.attrs.setdefault("class", "form-check-input")
        else:
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class RaiseForm(forms.Form):
    """提出诉求, on the phone: the enterprise (when the liaison has several), the category,
    the words, the project it concerns and photos."""

    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=Enterprise.objects.none(), empty_label=_("请选择企业")
    )
    category = forms.ChoiceField(
        label=_("诉求类别"),
        choices=Category.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    description = forms.CharField(
        label=_("诉求内容"),
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("遇到什么问题、需要哪方面协调、希望何时解决")}
        ),
    )
    project = forms.ModelChoiceField(
        label=_("涉及项目"), queryset=Project.objects.none(), required=False
    )
    photos = MultipleUploadField(
        label=_("照片"), kind=PHOTO, required=False, help_text=_("可多选,现场照片、证明材料")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from tuijin.org.access import person_of

        person = person_of(user)
        enterprises = (
            Enterprise.objects.filter(liaison=person) if person else Enterprise.objects.none()
        )
        self.fields["enterprise"].queryset = enterprises
        self.fields["project"].queryset = (
            Project.objects.visible_to(user).filter(enterprises__in=enterprises).distinct()
        )
        if len(enterprises) == 1:
            self.fields["enterprise"].initial = enterprises[0].pk
            self.fields["enterprise"].widget = forms.HiddenInput()
        self.fields["photos"].widget.attrs["accept"] = "image/*"
        self.fields["project"].empty_label = _("— 不涉及具体项目 —")
        _style(self)

    def clean(self):
        data = super().clean()
        project, enterprise = data.get("project"), data.get("enterprise")
        if project and enterprise and not project.enterprises.filter(pk=enterprise.pk).exists():
            self.add_error("project", _("请选择本企业的项目。"))
        return data


STALE_PAGE = _("页面已过期,请刷新后再试。")


class VersionedActionForm(forms.Form):
    # Hidden: a bad value is a tampered or broken page, said in words the user can act on.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )


class AssignForm(VersionedActionForm):
    unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=zone_units(None), empty_label=_("请选择承办单位")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = zone_units(user).exclude(depth=1)
        _style(self)


class TextActionForm(VersionedActionForm):
    text = forms.CharField(
        label=_("说明"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        _style(self)


class RateForm(VersionedActionForm):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("意见建议"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class WithdrawForm(VersionedActionForm):
    text = forms.CharField(
        label=_("撤回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    on_suggestion = forms.BooleanField(label=_("应承办单位建议撤回"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CheckForm(VersionedActionForm):
    result = forms.ChoiceField(
        label=_("核查结论"),
        choices=[
            (CheckResult.GENUINE.value, CheckResult.GENUINE.label),
            (CheckResult.IMPROPER.value, CheckResult.IMPROPER.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("核查情况"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


ACTION_FORMS = {
    "assign": AssignForm,
    "accept": VersionedActionForm,
    "answer": TextActionForm,
    "complex": TextActionForm,
    "reopen": TextActionForm,
    "confirm": VersionedActionForm,
    "rate": RateForm,
    "withdraw": WithdrawForm,
    "check": CheckForm,
}
TEXT_LABELS = {
    "answer": _("答复内容"),
    "complex": _("复杂诉求理由"),
    "reopen": _("未解决的原因"),
}


def action_form(verb: str, data=None, *, user, version=None):
    form_class = ACTION_FORMS[verb]
    kwargs = {"initial": {"version": version}, "prefix": verb}
    if form_class is AssignForm:
        kwargs["user"] = user
    if form_class is TextActionForm:
        kwargs["label"] = TEXT_LABELS[verb]
    return form_class(data, **kwargs)


class ListQuery(forms.Form):
    """The list's filters, parsed (a bad value is an error shown, never a 500)."""

    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部状态")), ("open", _("未办结")), *State.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *Category.choices], required=False
    )
    overdue = forms.BooleanField(label=_("仅超期"), required=False)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=zone_units(None), required=False)
    q = forms.CharField(label=_("搜索"), **search_field())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = zone_units(user).exclude(depth=1)
        self.fields["unit"].empty_label = _("全部承办单位")
        _style(self)
