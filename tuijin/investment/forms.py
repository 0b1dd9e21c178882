"""Pipeline and planning forms. Choice lists offer only the user's zone (``zone_units``);
query parameters are parsed by forms (a bad value is ignored, never a 500)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import check_day
from tuijin.core.uploads import DOCUMENT, UploadField
from tuijin.core.versions import VersionedFormMixin
from tuijin.investment.funnel import GROUPS
from tuijin.investment.models import (
    ClockRules,
    FollowUpKind,
    Lead,
    LeadStage,
    PlanList,
    PlannedProject,
    SigningKind,
)
from tuijin.investment.services import LEAD_FIELDS, PLANNED_FIELDS
from tuijin.org.access import zone_units
from tuijin.org.models import Person, Role, UnitKind
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _zone_choices(form, user, unit_field="unit", park_field="park", person_fields=("leader",)):
    units = zone_units(user)
    form.fields[unit_field].queryset = units.exclude(kind=UnitKind.ZONE)
    form.fields[park_field].queryset = units.filter(kind=UnitKind.PARK)
    people = (
        Person.objects.filter(unit__in=units, is_active=True)
        .exclude(role=Role.LIAISON)
        .select_related("unit")
    )
    for name in person_fields:
        form.fields[name].queryset = people.filter(
            role__in=[Role.ZONE_LEADER, Role.UNIT_HEAD, Role.CADRE]
        )


class LeadForm(VersionedFormMixin, forms.ModelForm):
    force = forms.BooleanField(
        label=_("仍然登记(已核对不是重复线索)"), required=False, widget=forms.CheckboxInput
    )

    class Meta:
        model = Lead
        fields = LEAD_FIELDS
        widgets = {"expected_start": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, contacts: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not contacts:  # the investor's contact is for the lead's handlers and leaders only
            del self.fields["contact_name"], self.fields["contact_phone"]
        _zone_choices(self, user)
        self.fields["investor"].queryset = Enterprise.objects.visible_to(user)
        self.fields["expected_start"].validators.append(check_day)
        self.fields["investor"].empty_label = _("请选择投资方企业")
        self.fields["park"].empty_label = _("请选择拟落地园区")
        self.fields["unit"].empty_label = _("请选择招商单位")
        self.fields["leader"].empty_label = _("请选择包保领导")
        if self.instance.pk:
            del self.fields["force"]
        bootstrap(self)

    def clean(self):
        data = super().clean()
        signed = self.instance.signed_on if self.instance.pk else None
        start = data.get("expected_start")
        if start and signed and start < signed:
            self.add_error("expected_start", _("预计开工日期不能早于签约日期。"))
        return data


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("变更为"), choices=LeadStage.choices)
    on = forms.DateField(label=_("日期"), widget=DATE, validators=[check_day])
    signing_kind = forms.ChoiceField(
        label=_("签约形式"), choices=[("", "—"), *SigningKind.choices], required=False
    )
    evidence = UploadField(label=_("佐证材料(签约合同、营业执照、开工照片等)"), kind=DOCUMENT)
    project = forms.ModelChoiceField(
        label=_("关联台账项目(开工时)"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("请选择台账项目"),
    )
    new_project_code = forms.CharField(
        label=_("或新建台账项目:项目编号"), max_length=30, required=False
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, lead, moves, **kwargs):
        kwargs.setdefault("initial", {"version": lead.version})
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, LeadStage(s).label) for s in moves]
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("code")
        bootstrap(self)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=FollowUpKind.choices)
    on = forms.DateField(label=_("日期"), widget=DATE, validators=[check_day])
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FundsForm(forms.Form):
    arrived = forms.DecimalField(
        label=_("已到位资金(万元)"), max_digits=14, decimal_places=2, min_value=0
    )
    on = forms.DateField(label=_("到位日期"), widget=DATE, validators=[check_day])
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class NoticeForm(forms.Form):
    on = forms.DateField(
        label=_("通知日期"),
        widget=DATE,
        validators=[check_day],
        error_messages={"required": _("请填写通知日期。")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ItemForm(forms.Form):
    deadline_days = forms.IntegerField(
        label=_("办理期限(工作日)"), min_value=1, max_value=60, initial=5
    )
    requirement = forms.CharField(
        label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeadFilter(forms.Form):
    """The pipeline list's filters (query parameters: a bad value is dropped)."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("阶段"), choices=[("", _("全部阶段")), *LeadStage.choices], required=False
    )
    park = forms.ModelChoiceField(
        label=_("园区"), queryset=None, required=False, empty_label=_("全部园区")
    )
    unit = forms.ModelChoiceField(
        label=_("招商单位"), queryset=None, required=False, empty_label=_("全部单位")
    )
    chain = forms.CharField(label=_("产业链"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("仅看超时"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = zone_units(user)
        self.fields["park"].queryset = units.filter(kind=UnitKind.PARK)
        self.fields["unit"].queryset = units.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.PARK])
        self.fields["q"].widget.attrs["placeholder"] = _("项目名称或投资方")
        self.fields["q"].widget.attrs["aria-label"] = _("搜索")
        bootstrap(self)


class FunnelQuery(forms.Form):
    year = forms.IntegerField(label=_("签约年度"), min_value=2000, max_value=2100, required=False)
    by = forms.ChoiceField(label=_("分组"), choices=list(GROUPS.items()), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ClockRulesForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ClockRules
        fields = [
            "respond_days",
            "assess_days",
            "assess_days_large",
            "large_investment",
            "progress_days",
            "register_days",
            "funds_months",
            "funds_share",
            "start_months",
            "notice_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CycleForm(forms.Form):
    year = forms.IntegerField(label=_("谋划年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    meeting = forms.CharField(label=_("推进会议"), max_length=200, required=False)
    call_deadline = forms.DateField(
        label=_("征集截止"), widget=DATE, validators=[check_day], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PlannedForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PlannedProject
        fields = PLANNED_FIELDS
        widgets = {
            "expected_start": DATE,
            "content": forms.Textarea(attrs={"rows": 2}),
            "schedule": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _zone_choices(self, user, person_fields=("contact_leader",))
        self.fields["expected_start"].validators.append(check_day)
        self.fields["park"].empty_label = _("请选择所在园区")
        self.fields["unit"].empty_label = _("请选择责任单位")
        self.fields["contact_leader"].empty_label = _("请选择联系领导")
        bootstrap(self)


class PlannedUpdateForm(forms.Form):
    quarter = forms.RegexField(
        label=_("季度"),
        regex=r"^20\d\dQ[1-4]$",
        max_length=6,
        help_text=_("如 2023Q1"),
        error_messages={"invalid": _("季度的格式为“2023Q1”。")},
    )
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PlannedFilter(forms.Form):
    plan_list = forms.ChoiceField(
        label=_("清单"), choices=[("", _("全部清单")), *PlanList.choices], required=False
    )
