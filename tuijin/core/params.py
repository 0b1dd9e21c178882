"""Fields for what a user types into a page's query parameters, shared by the apps' forms and
filters (C8: query parameters are parsed by forms, never by ``int()`` or ``strptime`` in views).

A value outside these limits is a form error with Django's Chinese message naming the limit,
never a 500: a search of 100,000 characters made SQLite refuse the LIKE pattern ("pattern too
complex"), a day in year 1 or 9999 overflowed ``datetime.date`` when a page showed the week
around it. Ids need no field of their own: an id no column can hold finds no row
(``core/lookups.py``).
"""

import datetime as dt

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

SEARCH_MAX_CHARS = 100
# The days and years a page may be asked to show (the calendar pages by month inside these).
FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)


def search_field(**kwargs) -> dict:
    """Keyword arguments of a search box's CharField (or django-filter's CharFilter)."""
    return {"required": False, "max_length": SEARCH_MAX_CHARS, **kwargs}


def check_day(value) -> None:
    """Validator of a date or datetime field: between FIRST_DAY and LAST_DAY. A datetime in year
    1 overflowed when stored (Asia/Shanghai is ahead of UTC, so 0001-01-01T00:00 is in year 0)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(
            _("日期应在 %(first)s 至 %(last)s 之间。"),
            code="out_of_range",
            params={"first": FIRST_DAY, "last": LAST_DAY},
        )


def bound_days(form: forms.BaseForm) -> forms.BaseForm:
    """Every date and datetime field of the form checked with ``check_day`` (for a ModelForm,
    whose fields come from the model; a plain form passes ``validators=[check_day]``)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(check_day)
    return form


class DayField(forms.DateField):
    """A day a page shows (optional), between FIRST_DAY and LAST_DAY."""

    default_validators = [check_day]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def explain_null_characters() -> None:
    """Every form's text field refuses a NUL character (PostgreSQL cannot store one); Django's
    Chinese message for it reads "不允许是用空字符串" (an empty string), which it is not."""
    ProhibitNullCharactersValidator.message = _("内容中含有空字符(\\x00),请删除后重新提交。")
