"""Intake's "N个工作日" uses the 督办 calendar: 2027 has its statutory holidays too."""

import datetime as dt

from tuijin.intake.extract.dates import resolve_deadline


def test_five_working_days_from_28_december_skip_new_years_day():
    deadline = resolve_deadline("5个工作日内完成", dt.date(2026, 12, 28))
    assert deadline == dt.date(2027, 1, 5)
