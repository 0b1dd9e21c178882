from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.api.models import AccessToken
from tuijin.org.access import can_write


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=60,
        help_text=_("用途,如:统计局数据对接"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    scope = forms.ChoiceField(
        label=_("权限"),
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(30, _("30 天")), (90, _("90 天")), (365, _("365 天"))],
        initial=90,  # services.LIFETIMES
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_write(user):  # inspectors and liaison-less accounts read only
            self.fields["scope"].choices = [
                c for c in AccessToken.Scope.choices if c[0] == AccessToken.Scope.READ
            ]
