"""个人通知设置 (N4): which events, e-mail or not, quiet hours."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.core.versions import VersionForm
from tuijin.notify.events import event_choices, event_keys
from tuijin.notify.models import Preference

TIME = forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")


class PreferenceForm(VersionForm):
    """Checked events are received; the unchecked ones are stored as muted. The version the page
    showed (0 before the first save) keeps another page's save from being undone."""

    events = forms.MultipleChoiceField(
        label=_("接收的通知"),
        choices=event_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    email = forms.BooleanField(
        label=_("接收邮件"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False, widget=TIME)
    quiet_end = forms.TimeField(label=_("免打扰结束"), required=False, widget=TIME)

    def __init__(self, *args, preference: Preference, **kwargs):
        muted = set(preference.muted_events or [])
        kwargs.setdefault(
            "initial",
            {
                "events": [value for value in event_keys() if value not in muted],
                "email": preference.email,
                "quiet_start": preference.quiet_start,
                "quiet_end": preference.quiet_end,
                "version": preference.version if preference.pk else 0,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if "quiet_start" in data and "quiet_end" in data:  # both parsed (or blank)
            if start and not end:
                self.add_error("quiet_end", _("填写了免打扰开始时间,请同时填写结束时间。"))
            elif end and not start:
                self.add_error("quiet_start", _("填写了免打扰结束时间,请同时填写开始时间。"))
            elif start and start == end:
                self.add_error("quiet_end", _("结束时间不能与开始时间相同。"))
        return data
