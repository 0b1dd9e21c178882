"""The shared limits of what users type (core/params.py): days a page may show, search length,
NUL characters refused in Chinese."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from tuijin.core.params import SEARCH_MAX_CHARS, DayField, check_day, search_field
from tuijin.org.models import Person
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


def _forms():
    """Each form a user types a date into, with the date field and the form's other needs."""
    from tuijin.intake.forms import IntakeForm
    from tuijin.meetings.forms import MeetingForm
    from tuijin.projects.forms import ApprovalFormSet, MilestoneFormSet, ProjectForm
    from tuijin.supervision.forms import DeadlineFields, ExtensionForm
    from tuijin.worklogs.forms import ExemptionForm, LogForm

    leader = lambda: Person.objects.get(user__username="leader").user  # noqa: E731
    return [
        (LogForm, {}, "date"),
        (DeadlineFields, {}, "deadline_date"),
        (ExtensionForm, {}, "new_deadline"),
        (IntakeForm, {}, "reference_date"),
        (ExemptionForm, {"people": Person.objects.all()}, "start"),
        (ExemptionForm, {"people": Person.objects.all()}, "end"),
        (ProjectForm, {"user": leader()}, "planned_start"),
        (ProjectForm, {"user": leader()}, "actual_operation"),
        (ApprovalFormSet.form, {}, "planned_date"),
        (MilestoneFormSet.form, {}, "due_date"),
        (MeetingForm, {"user": leader()}, "starts_at"),
    ]


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_every_typed_date_is_between_2000_and_2100(org, value):
    for form_class, kwargs, name in _forms():
        typed = f"{value}T09:00" if name == "starts_at" else value
        form = form_class(data={name: typed, "deadline_mode": "date"}, **kwargs)
        assert "日期应在" in " ".join(form.errors.get(name, [])), (form_class, name)


def test_a_daily_log_of_year_1_is_refused_not_a_500(staff):
    response = staff.post(
        reverse("worklogs:log_create"),
        {"kind": "daily", "date": "0001-01-01", "text": "走访企业",
         "visits-TOTAL_FORMS": "0", "visits-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "日期应在 2000-01-01 至 2100-12-31 之间" in response.content.decode()
    assert not WorkLog.objects.exists()
