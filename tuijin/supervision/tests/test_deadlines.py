"""Deadlines: calendar days, working days with official holidays and make-up days, overrides."""

import datetime as dt

import pytest

from tuijin.supervision.models import HolidayOverride
from tuijin.supervision.workdays import add_working_days, package_covers, resolve_deadline

D = dt.date


@pytest.mark.django_db
def test_three_working_days_from_september_30_land_after_national_day():
    # Oct 1–7 are holidays; Oct 8 (Thu), Oct 9 (Fri) work, and Saturday Oct 10 is a make-up
    # working day (调休), so it counts.
    assert resolve_deadline(D(2026, 9, 30), "working", 3).date == D(2026, 10, 10)


@pytest.mark.django_db
def test_a_make_up_working_day_counts():
    # Sep 26 (Sat) is not a working day in 2026; Oct 10 (Sat) is.
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert add_working_days(D(2026, 10, 10), 1) == D(2026, 10, 12)  # Sunday Oct 11 is off


@pytest.mark.django_db
def test_three_days_counts_calendar_days():
    assert resolve_deadline(D(2026, 9, 30), "calendar", 3).date == D(2026, 10, 3)


@pytest.mark.django_db
def test_a_date_deadline_is_kept():
    assert resolve_deadline(D(2026, 9, 30), "date", date=D(2026, 12, 31)).date == D(2026, 12, 31)


@pytest.mark.django_db
def test_ordinary_weekend_is_skipped():
    assert resolve_deadline(D(2026, 11, 20), "working", 1).date == D(2026, 11, 23)  # Fri → Mon


@pytest.mark.django_db
def test_a_year_the_package_lacks_warns_and_keeps_the_statutory_holidays():
    assert not package_covers(2027)
    resolved = resolve_deadline(D(2026, 12, 30), "working", 3)
    assert resolved.date == D(2027, 1, 5)  # Dec 31 (Thu), Jan 4 (Mon), Jan 5: 元旦 is off
    assert "2027年的节假日安排(调休)尚未公布或录入" in resolved.warning


@pytest.mark.django_db
def test_overrides_cover_a_missing_year_and_silence_the_warning():
    HolidayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    resolved = resolve_deadline(D(2026, 12, 30), "working", 3)
    assert resolved.date == D(2027, 1, 5)  # Dec 31, Jan 4, Jan 5
    assert resolved.warning == ""


@pytest.mark.django_db
def test_an_override_wins_over_the_package():
    HolidayOverride.objects.create(date=D(2026, 10, 8), is_workday=False, note="临时调整")
    assert resolve_deadline(D(2026, 9, 30), "working", 3).date == D(2026, 10, 12)
