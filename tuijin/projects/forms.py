from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import bound_days, search_field
from tuijin.core.uploads import (
    DOCUMENT,
    PHOTO,
    MultipleFileInput,
    MultipleUploadField,
    check_uploads,
)
from tuijin.core.versions import VersionedFormMixin
from tuijin.org.access import visible_units, zone_units
from tuijin.org.models import Person, UnitKind
from tuijin.projects.lights import Thresholds
from tuijin.projects.models import (
    AnnualPlan,
    Approval,
    Enterprise,
    Milestone,
    ProgressReport,
    Project,
    ProjectFile,
)
from tuijin.projects.periods import period_containing, recent_periods
from tuijin.projects.services import RowChange

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FileUploadForm(forms.Form):
    """Photos or documents added to a project page, through the upload pipeline: 照片 must
    be photos (JPEG, PNG, WebP, HEIC), 文件 PDF, .docx, .xlsx or an image."""

    files = MultipleUploadField(label=_("照片或文件"), kind=None)  # the kind is chosen below
    kind = forms.ChoiceField(choices=ProjectFile.Kind.choices, initial=ProjectFile.Kind.PHOTO)

    def clean(self):
        cleaned = super().clean()
        uploads = cleaned.get("files") or []
        if uploads and "kind" in cleaned:
            upload_kind = PHOTO if cleaned["kind"] == ProjectFile.Kind.PHOTO else DOCUMENT
            try:
                cleaned["files"] = check_uploads(uploads, upload_kind)
            except forms.ValidationError as error:
                self.add_error("files", error)
        return cleaned


class YearForm(forms.Form):
    """``?year=`` of a project page: a four-digit year, else the page's default year."""

    year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("年度应为四位数字,如 2026。"),
            "min_value": _("年度应在 2000—2100 之间。"),
            "max_value": _("年度应在 2000—2100 之间。"),
        },
    )

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["year"] is not None:
            return self.cleaned_data["year"]
        return default

    @property
    def error_text(self) -> str:
        return " ".join(self.errors.get("year", [])) if self.is_bound else ""


class EnterpriseQuery(forms.Form):
    """``?q=犇星&key=1`` on the enterprise list; a bad value shows no rows and says why."""

    q = forms.CharField(**search_field(label=_("搜索")))
    key = forms.BooleanField(required=False)

    def values(self) -> dict | None:
        """The parsed parameters, or None when one is unusable (``errors`` say which)."""
        return self.cleaned_data if self.is_valid() else None


def model_values(form: forms.ModelForm) -> dict:
    """A valid ModelForm's cleaned values for its model's fields, for a service call."""
    return {
        name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data
    }


def formset_changes(formset):
    """A valid inline formset as plain row changes (``services.RowChange``), like its save():
    changed or new rows are written, ticked rows deleted, untouched rows left alone."""
    changes = []
    deleted = formset.deleted_forms if formset.can_delete else []
    for form in formset.forms:
        pk = form.instance.pk
        version = form.cleaned_data.get("version") if pk else None
        if form in deleted:
            if pk:
                changes.append(RowChange(pk, delete=True, version=version))
            continue
        if form.has_changed():
            changes.append(RowChange(pk, model_values(form), version=version))
    return changes


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "park",
            "unit",
            "enterprises",
            "content",
            "category",
            "tags",
            "key_level",
            "stage",
            "total_investment",
            "planned_start",
            "actual_start",
            "planned_completion",
            "actual_completion",
            "planned_operation",
            "actual_operation",
            "location",
            "latitude",
            "longitude",
            "leaders",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 2}),
            **{
                f: DATE
                for f in [
                    "planned_start",
                    "actual_start",
                    "planned_completion",
                    "actual_completion",
                    "planned_operation",
                    "actual_operation",
                ]
            },
            "enterprises": forms.SelectMultiple(attrs={"size": 4}),
            "tags": forms.SelectMultiple(attrs={"size": 4}),
            "leaders": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A park is where a project stands and a 包保 leader anyone of the zone: both are
        # chosen within the user's zone (never another zone's); the unit within their scope.
        zone = zone_units(user)
        self.fields["park"].queryset = zone.filter(kind=UnitKind.PARK)
        self.fields["unit"].queryset = visible_units(user)
        self.fields["park"].empty_label = _("请选择所属园区")
        self.fields["unit"].empty_label = _("请选择责任单位")
        self.fields["enterprises"].queryset = Enterprise.objects.visible_to(user)
        self.fields["leaders"].queryset = Person.objects.filter(
            is_active=True, unit__in=zone
        ).select_related("unit")
        bound_days(self)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ReportForm(forms.ModelForm):
    """A progress report, sized for a phone."""

    period = forms.TypedChoiceField(label=_("填报周期"), coerce=str)
    photos = MultipleUploadField(
        label=_("现场照片"),
        kind=PHOTO,
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "class": "form-control"}),
    )

    problem_category = forms.ModelChoiceField(
        label=_("作为问题跟踪"),
        required=False,
        queryset=None,
        empty_label=_("不跟踪(仅记录)"),
        help_text=_("选择类别后,“存在问题”将登记为问题,由责任单位跟踪解决。"),
    )

    class Meta:
        model = ProgressReport
        fields = ["narrative", "progress", "investment", "problems", "progress_drop_reason"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "problems": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "progress_drop_reason": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "progress": forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            "investment": forms.NumberInput(
                attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
            ),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from tuijin.supervision.models import ProblemCategory

        self.fields["problem_category"].queryset = ProblemCategory.objects.all()
        self.fields["problem_category"].widget.attrs["class"] = "form-select"
        self.project = project
        t = Thresholds.current()
        today = timezone.localdate()
        periods = recent_periods(today, t.period_kind, 6)
        reported = dict(project.reports.values_list("period_start", "progress"))
        self.periods = {p.start.isoformat(): p for p in periods}
        # Periods before the project was on the ledger are not owed.
        entered = timezone.localdate(project.created_at) if project.created_at else None
        owed = [p for p in periods if p.start not in reported and (not entered or p.end >= entered)]
        missing = {p.start for p in owed if p.due(t.due_days) < today}

        def label(p) -> str:
            if p.start in reported:
                return p.label() + _("(已填报)")
            return p.label() + (_("(缺报)") if p.start in missing else "")

        self.fields["period"].choices = [(p.start.isoformat(), label(p)) for p in periods]
        # Default: the earliest period still owed (a missed month first), else the current one.
        self.default_period = min(owed) if owed else periods[0]
        self.fields["period"].initial = self.default_period.start.isoformat()
        self.fields["period"].widget.attrs["class"] = "form-select"
        self.missing = sorted(missing)
        self.reported = reported
        earlier = [start for start in reported if start < self.default_period.start]
        if earlier:
            previous = period_containing(max(earlier), t.period_kind)
            self.fields["progress"].help_text = _("上期(%(period)s)为%(n)s%%。") % {
                "period": previous.label(),
                "n": reported[previous.start],
            }

    def clean_period(self):
        period = self.periods.get(self.cleaned_data["period"])
        if period is None:
            raise forms.ValidationError(_("请选择有效的填报周期。"))
        if period.start in self.reported:
            raise forms.ValidationError(
                _("%(period)s已经填报过,如需更正请联系管理员。") % {"period": period.label()}
            )
        return period

    def clean(self):
        data = super().clean()
        if data.get("problem_category") and not (data.get("problems") or "").strip():
            self.add_error("problems", _("要作为问题跟踪,请填写存在的问题。"))
        period, progress = data.get("period"), data.get("progress")
        if period and progress is not None and not (data.get("progress_drop_reason") or "").strip():
            earlier = [start for start in self.reported if start < period.start]
            if earlier and progress < self.reported[max(earlier)]:
                self.add_error(
                    "progress_drop_reason",
                    _("形象进度低于上期(%(n)s%%),请填写进度回退原因。")
                    % {"n": self.reported[max(earlier)]},
                )
        return data


def styled(formset):
    for form in formset.forms:
        for field in form.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
    return formset


class RowForm(VersionedFormMixin, forms.ModelForm):
    """A stored row of a project's list carries its version (no lost updates)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_days(self)


# Rows a project's list may hold. Also the most forms a formset builds, whatever number the
# POST claims (Django's default builds up to 2,000 and renders them all with the errors).
MAX_ROWS = 100
ROWS = {"extra": 1, "max_num": MAX_ROWS, "absolute_max": MAX_ROWS, "validate_max": True}

ApprovalFormSet = inlineformset_factory(
    Project,
    Approval,
    form=RowForm,
    fields=["kind", "planned_date", "actual_date", "note"],
    **ROWS,
    widgets={"planned_date": DATE, "actual_date": DATE},
)
MilestoneFormSet = inlineformset_factory(
    Project,
    Milestone,
    form=RowForm,
    fields=["name", "due_date", "done_date"],
    **ROWS,
    widgets={"due_date": DATE, "done_date": DATE},
)
AnnualPlanFormSet = inlineformset_factory(
    Project,
    AnnualPlan,
    form=RowForm,
    fields=["year", "amount"],
    **ROWS,
)
