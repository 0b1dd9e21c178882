"""The one form of the public app: which photo to show or hide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PhotoChoiceForm(forms.Form):
    photo = forms.ModelChoiceField(
        queryset=None,
        label=_("照片"),
        error_messages={
            "required": _("请选择照片。"),
            "invalid_choice": _("该照片不属于本项目,或已删除。"),
        },
    )
    public = forms.TypedChoiceField(
        label=_("公开"),
        choices=[("1", _("公开")), ("0", _("取消公开"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("请选择公开或取消公开。")},
    )

    def __init__(self, *args, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].queryset = photos

    def error_text(self) -> str:
        return " ".join(str(e) for errors in self.errors.values() for e in errors)
