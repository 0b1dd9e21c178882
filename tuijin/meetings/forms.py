"""Meeting forms: scheduling a meeting, the agenda and minutes, attendance, decisions (each
becomes a 督办 item), problems settled at the meeting."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import check_day
from tuijin.core.versions import VersionForm
from tuijin.meetings.decision_text import draft_for
from tuijin.meetings.models import Attendance, Meeting, MeetingKind
from tuijin.org.access import person_of, role_of, visible_units
from tuijin.org.models import Person, Role, Unit, UnitKind
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.forms import DeadlineFields, bootstrap

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# --- Query parameters --------------------------------------------------------------------------

# The calendar pages back and forth by month; these bounds keep shift_month inside dt.date.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class CalendarQuery(forms.Form):
    """``?month=2026-11`` on the calendar; a bad value falls back to this month, with a note."""

    month = forms.RegexField(regex=r"^\d{4}-\d{1,2}$", required=False)

    def clean_month(self):
        value = self.cleaned_data["month"]
        if value:
            year, month = (int(part) for part in value.split("-"))
            if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
                raise forms.ValidationError("no such month")
            return dt.date(year, month, 1)
        return None

    def shown(self, today: dt.date) -> tuple[dt.date, str]:
        """The first day of the month to show, and a note when the asked one is unreadable."""
        if self.is_valid():
            return self.cleaned_data["month"] or today.replace(day=1), ""
        return today.replace(day=1), f"无法识别的月份“{self.data.get('month')}”,已显示本月。"


class NewMeetingQuery(forms.Form):
    """``?kind=dispatch`` on the new-meeting page chooses the kind offered first."""

    kind = forms.ChoiceField(choices=MeetingKind.choices, required=False)

    def initial_kind(self) -> str:
        return (self.is_valid() and self.cleaned_data["kind"]) or MeetingKind.ONSITE


# --- Writes -------------------------------------------------------------------------------------


class MeetingForm(forms.ModelForm):
    video_link = forms.URLField(
        label=_("视频会议链接"),
        required=False,
        assume_scheme="https",
        help_text=_("云视频会议填写会议链接"),
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "starts_at",
            "park",
            "place",
            "video_link",
            "chair",
            "invited_units",
        ]
        widgets = {
            "starts_at": DATETIME,
            "invited_units": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "park": _("现场办公会选择所在园区,地点默认为园区名称"),
            "place": _("如:城东产业园人才公寓项目现场、管委会三楼会议室"),
            "invited_units": _("按住 Ctrl(Mac 上为 ⌘)可多选"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=visible_units(user).values("pk"))
        self.fields["park"].queryset = units.filter(kind=UnitKind.PARK)
        self.fields["invited_units"].queryset = units.exclude(
            kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]
        )
        self.fields["chair"].queryset = Person.objects.filter(
            unit__in=units, is_active=True
        ).select_related("unit")
        self.fields["chair"].label_from_instance = lambda p: f"{p.name}({p.unit.name} {p.title})"
        self.fields["kind"].choices = [("", _("请选择会议类型")), *MeetingKind.choices]
        self.fields["park"].empty_label = _("请选择园区")
        self.fields["chair"].empty_label = _("请选择主持人")
        if not self.is_bound and not self.instance.pk and role_of(user) == Role.ZONE_LEADER:
            self.initial.setdefault("chair", person_of(user))  # the leader chairs by default
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["starts_at"].validators.append(check_day)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        park, place, link = data.get("park"), data.get("place"), data.get("video_link")
        if park and not place:
            data["place"] = park.name
        elif not (place or link or "video_link" in self.errors):
            self.add_error("place", _("请填写地点、选择园区或填写视频会议链接。"))
        return data

    def meeting_kwargs(self) -> dict:
        """What ``services.schedule_meeting`` takes (this form never saves)."""
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name != "invited_units"} | {
            "invited_units": list(data["invited_units"])
        }


class TextForm(VersionForm):
    """The agenda or the minutes, with the version the user saw (no lost updates)."""

    text = forms.CharField(
        label=_("内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "form-control"}),
    )


class AgendaForm(TextForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "agenda")
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("议程")
        self.fields["text"].required = True
        self.fields["text"].error_messages["required"] = _("请填写议程。")
        # The proposed agenda it starts with is Chinese (services.propose_agenda).
        self.fields["text"].widget.attrs["lang"] = "zh-hans"


class MinutesForm(TextForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "minutes")
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("会议纪要")
        self.fields["text"].widget.attrs["rows"] = 8


class DecisionForm(DeadlineFields):
    """A decision (议定事项): what it is about (project or enterprise, problem), who leads, who
    helps, who answers for it, what result, by when. The page proposes the fields from the
    text (``draft``); the note-taker confirms them."""

    text = forms.CharField(
        label=_("议定事项"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如:自然资源和规划分局牵头,三天内完成人才公寓地块清表(输入后自动识别下列各项)"),
    )
    requirement = forms.CharField(
        label=_("工作要求"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("督办事项的要求,不填则用议定事项原文"),
    )
    project = forms.ModelChoiceField(
        label=_("项目"), queryset=Project.objects.none(), required=False, empty_label=_("(无)")
    )
    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=Enterprise.objects.none(), required=False, empty_label=_("(无)")
    )
    lead_unit = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Unit.objects.none(), empty_label=_("请选择牵头单位")
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    responsible = forms.ModelChoiceField(
        label=_("责任人"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("(由牵头单位确定)"),
        help_text=_("牵头单位的人员"),
    )
    result_standard = forms.CharField(
        label=_("成效标准"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("到期时要看到什么,如:地块清表完成、具备进场条件"),
    )
    problem = forms.ModelChoiceField(
        label=_("所议问题"), queryset=None, required=False, empty_label=_("(不针对具体问题)")
    )

    field_order = [
        "text",
        "project",
        "enterprise",
        "problem",
        "lead_unit",
        "co_units",
        "responsible",
        "requirement",
        "result_standard",
        "deadline_mode",
        "deadline_days",
        "deadline_date",
    ]

    def __init__(self, *args, user, problems, draft_url: str = "", **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.user = user
        if draft_url:  # typing the text fills in the fields below it (``draft``)
            self.fields["text"].widget.attrs.update(
                {
                    "hx-get": draft_url,
                    "hx-trigger": "input changed delay:600ms",
                    "hx-target": "#decision-fields",
                    "hx-swap": "outerHTML",
                    "hx-include": "#decision-form [name^='decision-']",
                    "hx-sync": "this:replace",
                }
            )
        units = Unit.objects.filter(pk__in=visible_units(user).values("pk")).exclude(
            kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]
        )
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("code")
        self.fields["project"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        self.fields["responsible"].queryset = (
            Person.objects.filter(unit__in=units, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["responsible"].label_from_instance = lambda p: f"{p.unit.name} · {p.name}"
        self.fields["problem"].queryset = problems
        self.fields["problem"].label_from_instance = lambda p: (
            f"{p.category.name}:{p.description[:40]}({p.subject})"
        )
        bootstrap(self)

    def clean(self):
        data = super().clean()
        lead, co_units = data.get("lead_unit"), data.get("co_units") or []
        if lead and lead in co_units:
            self.add_error("co_units", _("牵头单位不必再列为配合单位。"))
        responsible = data.get("responsible")
        if lead and responsible and not responsible.unit.is_within(lead):
            self.add_error(
                "responsible",
                _("%(name)s 不是牵头单位%(unit)s的人员。")
                % {"name": responsible.name, "unit": lead.name},
            )
        return data

    def decision_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "requirement": data["requirement"],
            "project": data.get("project"),
            "enterprise": data.get("enterprise"),
            "lead_unit": data["lead_unit"],
            "co_units": list(data["co_units"]),
            "responsible": data.get("responsible"),
            "result_standard": data["result_standard"],
            "problem": data.get("problem"),
            **self.deadline_kwargs(),
        }

    def draft(self, today: dt.date, park: Unit | None = None) -> tuple[dict, list[str]]:
        """For a GET (an agenda row's link, or the text as typed, sent by htmx): the initial
        values of a fresh form, and what was read from the text. What the sentence names wins
        over what was chosen before; a value that does not validate is dropped; a problem
        brings its project."""
        self.is_valid()  # the errors are not shown: a draft is never saved
        data = getattr(self, "cleaned_data", {})
        initial = {
            name: list(value) if name == "co_units" else value
            for name, value in data.items()
            if value not in (None, "", []) and not (name == "co_units" and not value)
        }
        if (problem := data.get("problem")) and not data.get("project"):
            initial.setdefault("project", problem.project)
        text = data.get("text") or ""
        if not text:
            return initial, []
        draft = draft_for(
            self.user,
            text,
            today=today,
            units=self.fields["lead_unit"].queryset,
            people=self.fields["responsible"].queryset,
            park=park.pk if park else None,
        )
        return initial | draft.initial(), draft.found


class AttendanceForm(VersionForm):
    """Who came and who asked for leave; the invited not ticked are not recorded. With the
    meeting's version the user saw (no lost updates)."""

    present = forms.ModelMultipleChoiceField(
        label=_("出席"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    leave = forms.ModelMultipleChoiceField(
        label=_("请假"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, meeting, **kwargs):
        kwargs.setdefault("prefix", "attendance")
        super().__init__(*args, **kwargs)
        people = invitees(meeting)
        for name in ("present", "leave"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda p: f"{p.unit.name} · {p.name}"
        if not self.is_bound:
            by_status = {}
            for person_pk, status in meeting.attendances.values_list("person", "status"):
                by_status.setdefault(status, []).append(person_pk)
            self.initial = {
                "present": by_status.get(Attendance.Status.PRESENT, []),
                "leave": by_status.get(Attendance.Status.LEAVE, []),
                "version": meeting.version,
            }
        bootstrap(self)

    def clean(self):
        data = super().clean()
        both = set(data.get("present") or []) & set(data.get("leave") or [])
        if both:
            names = "、".join(sorted(p.name for p in both))
            self.add_error("leave", _("%(names)s 已选为出席,不能同时请假。") % {"names": names})
        return data

    def statuses(self) -> dict[int, str]:
        """Person pk → status, what ``services.record_attendance`` takes."""
        wanted = {p.pk: Attendance.Status.PRESENT for p in self.cleaned_data["present"]}
        return wanted | {p.pk: Attendance.Status.LEAVE for p in self.cleaned_data["leave"]}


def invitees(meeting):
    """People of the invited units and the park, the chair, and anyone already recorded."""
    units = list(meeting.invited_units.values_list("pk", flat=True))
    if meeting.park_id:
        units.append(meeting.park_id)
    return (
        Person.objects.filter(is_active=True)
        .filter(Q(unit__in=units) | Q(pk=meeting.chair_id) | Q(attendances__meeting=meeting))
        .distinct()
        .select_related("unit")
        .order_by("unit__path", "name")
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("解决情况"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={"required": _("请填写解决情况。")},
    )
