"""The working-day calendar without gaps: statutory holidays for years the package lacks,
the provider behind a small interface, the mark of a provisional deadline."""

import datetime as dt

import chinese_calendar
import pytest
import time_machine
from django.urls import reverse

from tuijin.supervision import workdays
from tuijin.supervision.models import HolidayOverride
from tuijin.supervision.tests.factories import make_item
from tuijin.supervision.workdays import (
    Calendar,
    add_working_days,
    mark_unannounced,
    resolve_deadline,
    statutory_days_off,
)

D = dt.date
DEC_6 = dt.datetime(2026, 12, 6, 2, tzinfo=dt.UTC)


class Covers2027:
    """A newer chinesecalendar: 2027 announced, with 2 January a make-up working day."""

    def covers(self, year):
        return 2004 <= year <= 2027

    def is_workday(self, day):
        if day.year < 2027:
            return chinese_calendar.is_workday(day)
        if day == D(2027, 1, 2):
            return True
        return day.weekday() < 5 and day not in statutory_days_off(2027)


@pytest.fixture
def newer_package(monkeypatch):
    monkeypatch.setattr(workdays, "provider", Covers2027())


def test_the_statutory_holidays_of_2027_come_from_the_lunar_calendar():
    days = statutory_days_off(2027)
    assert days[D(2027, 1, 1)] == "元旦"
    # 除夕 is 5 February 2027 (正月初一 the 6th): 除夕 to 初三, four days.
    assert [d for d, name in sorted(days.items()) if name == "春节"] == [
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
    ]
    assert days[D(2027, 4, 5)] == "清明节"
    assert days[D(2027, 5, 1)] == days[D(2027, 5, 2)] == "劳动节"
    assert days[D(2027, 6, 9)] == "端午节"
    assert days[D(2027, 9, 15)] == "中秋节"
    assert {d for d, name in days.items() if name == "国庆节"} == {
        D(2027, 10, d) for d in (1, 2, 3)
    }
    assert len(days) == 13


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_rule_agrees_with_the_announced_schedules(year):
    # Years the package knows: every statutory day the rule computes was a day off.
    for day, name in statutory_days_off(year).items():
        assert not chinese_calendar.is_workday(day), (day, name)


@pytest.mark.django_db
def test_five_working_days_from_december_28_skip_new_year():
    resolved = resolve_deadline(D(2026, 12, 28), "working", 5)
    # Dec 29, 30, 31, (Jan 1 元旦, weekend), Jan 4, Jan 5.
    assert resolved.date == D(2027, 1, 5)
    assert "2027年" in resolved.warning and "尚未公布" in resolved.warning


@pytest.mark.django_db
def test_twenty_two_working_days_from_december_2_are_not_new_years_day():
    resolved = resolve_deadline(D(2026, 12, 2), "working", 22)
    assert resolved.date != D(2027, 1, 1)
    assert resolved.date == D(2027, 1, 4)


@pytest.mark.django_db
def test_no_working_day_deadline_lands_in_the_spring_festival_of_2027():
    calendar = Calendar.load(D(2027, 1, 1), D(2027, 12, 31))
    for day in (D(2027, 2, 5), D(2027, 2, 8)):  # 除夕 (Fri) and 初三 (Mon)
        assert not calendar.is_workday(day)
    assert add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 9)  # Thu → Tue after 初三
    assert calendar.provisional_years == {2027}


@pytest.mark.django_db
def test_a_deadline_inside_a_covered_year_does_not_warn():
    assert resolve_deadline(D(2026, 11, 2), "working", 5).warning == ""


@pytest.mark.django_db
def test_a_year_with_an_override_row_counts_as_entered():
    HolidayOverride.objects.create(date=D(2027, 1, 2), is_workday=True, note="调休上班")
    resolved = resolve_deadline(D(2026, 12, 28), "working", 5)
    assert resolved.date == D(2027, 1, 4)  # the make-up Saturday counts
    assert resolved.warning == ""
    assert workdays.unannounced_years([2026, 2027, 2028]) == {2028}


@pytest.mark.django_db
def test_a_newer_package_covering_2027_takes_over_without_a_mark(newer_package):
    resolved = resolve_deadline(D(2026, 12, 28), "working", 5)
    assert resolved.date == D(2027, 1, 4)
    assert resolved.warning == ""
    assert workdays.unannounced_years([2027]) == set()


@pytest.fixture
def provisional_item(org):
    return make_item(
        assigned_on=D(2026, 12, 28),
        deadline=D(2027, 1, 5),
        deadline_mode="working",
        deadline_days=5,
    )


def test_the_mark_is_set_only_on_open_working_day_items_of_unannounced_years(provisional_item):
    by_date = make_item(assigned_on=D(2026, 12, 28), deadline=D(2027, 1, 5))
    closed = make_item(
        assigned_on=D(2026, 12, 28),
        deadline=D(2027, 1, 5),
        deadline_mode="working",
        deadline_days=5,
        state="closed",
    )
    this_year = make_item(deadline_mode="working", deadline_days=3)
    items = [provisional_item, by_date, closed, this_year]
    mark_unannounced(items)
    assert [i.holidays_unannounced for i in items] == [True, False, False, False]


def test_the_item_page_and_the_board_mark_the_deadline_until_the_year_is_entered(
    provisional_item, supervisor
):
    page = reverse("supervision:item_detail", args=[provisional_item.pk])
    board = reverse("supervision:item_board")
    with time_machine.travel(DEC_6):
        for url in (page, board):
            html = supervisor.get(url).content.decode()
            assert "data-holidays-unannounced" in html and "节假日安排未公布" in html
            assert "只按法定节假日和周末推算" in html  # the title says why
        HolidayOverride.objects.create(date=D(2027, 1, 2), is_workday=True, note="调休上班")
        for url in (page, board):
            assert "data-holidays-unannounced" not in supervisor.get(url).content.decode()


def test_the_mark_disappears_with_a_package_that_covers_the_year(
    provisional_item, supervisor, newer_package
):
    with time_machine.travel(DEC_6):
        for url in (
            reverse("supervision:item_detail", args=[provisional_item.pk]),
            reverse("supervision:item_board"),
        ):
            assert "data-holidays-unannounced" not in supervisor.get(url).content.decode()
