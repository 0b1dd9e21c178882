"""The shared limits of what users type (core/params.py): days a page may show, search length,
NUL characters refused in Chinese."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from tuijin.core.params import SEARCH_MAX_CHARS, DayField, check_day, search_field
from tuijin.worklogs.models import WorkLog


@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_day_outside_2000_to_2100_is_refused_in_chinese(value):
    with pytest.raises(forms.ValidationError, match="日期应在 2000-01-01 至 2100-12-31 之间"):
        DayField().clean(value)


def test_a_day_inside_is_taken_and_a_datetime_is_checked_by_its_day():
    assert DayField().clean("2026-02-28") == dt.date(2026, 2, 28)
    assert DayField().clean("") is None
    check_day(dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC))
    with pytest.raises(forms.ValidationError):
        check_day(dt.datetime(1, 1, 1, tzinfo=dt.UTC))


def test_a_search_longer_than_the_limit_is_refused():
    field = forms.CharField(**search_field())
    assert field.clean("犇星 电解液") == "犇星 电解液"
    with pytest.raises(forms.ValidationError):
        field.clean("长" * (SEARCH_MAX_CHARS + 1))


def test_a_nul_character_is_refused_with_a_chinese_message():
    with pytest.raises(forms.ValidationError, match="含有空字符"):
        forms.CharField().clean("a\x00b")


def test_a_work_log_with_a_nul_character_is_refused_and_the_text_kept(staff):
    response = staff.post(
        reverse("worklogs:log_create"),
        {"kind": "daily", "date": "2026-11-16", "text": "走访\x00企业",
         "visits-TOTAL_FORMS": "0", "visits-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "内容中含有空字符" in response.content.decode()
    assert not WorkLog.objects.exists()
