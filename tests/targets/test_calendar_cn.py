"""China's statutory working calendar (chinesecalendar) and the 2017 plan year it shapes (Feb 2017–Jan 2018)."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets.calculations import (
    month_span,
    split_month_to_weeks,
    week_weights,
    weeks_of_month,
)
from targets.calendar_cn import STATUTORY_CALENDAR, calendar_rows, known_years

PLAN_MONTHS = [(2017, month) for month in range(2, 13)] + [(2018, 1)]
OCTOBER_MONDAYS = [
    date(2017, 10, 2),
    date(2017, 10, 9),
    date(2017, 10, 16),
    date(2017, 10, 23),
]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2017, 9, 30), True),  # Saturday, make-up day for National Day
        (date(2017, 10, 2), False),  # Monday in the National Day holiday
        (date(2017, 10, 9), True),  # first Monday back
        (date(2017, 1, 22), True),  # Sunday, make-up day for Spring Festival
        (date(2017, 2, 4), True),  # Saturday, make-up day for Spring Festival
        (date(2017, 1, 27), False),  # Friday, Spring Festival eve
        (date(2017, 4, 1), True),  # Saturday, make-up day for Qingming
        (date(2017, 4, 4), False),  # Tuesday, Qingming
        (date(2017, 5, 1), False),  # Monday, Labour Day
        (date(2017, 5, 27), True),  # Saturday, make-up day for Dragon Boat
        (date(2017, 5, 30), False),  # Tuesday, Dragon Boat
        (date(2018, 1, 1), False),  # Monday, New Year 2018
        (date(2018, 1, 2), True),
        (date(2017, 12, 30), False),  # Saturday in the New Year range
    ],
)
def test_cn_2017_working_days(day, working):
    assert STATUTORY_CALENDAR.is_working_day(day) is working


def test_make_up_days_are_weekends_and_not_holidays():
    makeup = STATUTORY_CALENDAR.makeup_workdays
    assert all(day.weekday() >= 5 for day in makeup)
    assert not STATUTORY_CALENDAR.holidays & makeup
    assert len({d for d in makeup if d.year == 2017}) == 5


def test_calendar_rows_name_every_day_in_chinese_and_match_the_calendar():
    rows = calendar_rows()
    assert rows == sorted(rows)
    assert {row.day for row in rows if row.kind == "holiday"} == STATUTORY_CALENDAR.holidays
    assert {row.kind for row in rows} == {"holiday", "makeup"}
    assert all(row.name_zh for row in rows)
    assert (date(2017, 10, 4), "holiday", "中秋") in rows
    assert (date(2017, 9, 30), "makeup", "国庆节") in rows


def test_the_package_knows_every_year_from_2004_to_2026():
    assert known_years() == list(range(2004, 2027))


def test_october_2017_has_three_working_weeks():
    assert weeks_of_month(2017, 10) == OCTOBER_MONDAYS
    assert week_weights(2017, 10, STATUTORY_CALENDAR) == dict(
        zip(OCTOBER_MONDAYS, [0, 5, 5, 5], strict=True)
    )


def test_october_2017_target_goes_to_its_three_working_weeks():
    weeks = split_month_to_weeks(1_000_000, 2017, 10, STATUTORY_CALENDAR)
    assert list(weeks.items()) == [
        (date(2017, 10, 2), 0),
        (date(2017, 10, 9), 333_334),
        (date(2017, 10, 16), 333_333),
        (date(2017, 10, 23), 333_333),
    ]
    assert sum(weeks.values()) == 1_000_000
    assert sum(1 for amount in weeks.values() if amount) == 3


def test_september_2017_week_with_the_make_up_saturday_has_six_days():
    assert week_weights(2017, 9, STATUTORY_CALENDAR)[date(2017, 9, 25)] == 6


def test_february_2017_first_week_starts_in_january_and_has_two_working_days():
    # Mon 30 Jan–Sun 5 Feb: Spring Festival until 2 Feb, then Fri 3 and make-up Sat 4.
    assert weeks_of_month(2017, 2)[0] == date(2017, 1, 30)
    assert week_weights(2017, 2, STATUTORY_CALENDAR)[date(2017, 1, 30)] == 2


@pytest.mark.parametrize(("year", "month"), PLAN_MONTHS)
def test_every_plan_month_has_a_working_week(year, month):
    assert any(week_weights(year, month, STATUTORY_CALENDAR).values())


def test_plan_year_weeks_are_disjoint_and_consecutive():
    mondays = [
        monday for year, month in PLAN_MONTHS for monday in weeks_of_month(year, month)
    ]
    assert len(mondays) == len(set(mondays))
    assert all(b - a == timedelta(weeks=1) for a, b in pairwise(mondays))
    assert month_span(2017, 2)[0] == date(2017, 1, 30)
    # Mon 29 Jan 2018 has its Thursday in February, so it opens the next plan year.
    assert month_span(2018, 1)[1] == date(2018, 1, 28)


@given(
    month_index=st.integers(min_value=0, max_value=len(PLAN_MONTHS) - 1),
    target=st.integers(min_value=0, max_value=10**9),
)
def test_plan_month_splits_add_up_and_skip_weeks_without_work(month_index, target):
    year, month = PLAN_MONTHS[month_index]
    weeks = split_month_to_weeks(target, year, month, STATUTORY_CALENDAR)
    assert sum(weeks.values()) == target
    weights = week_weights(year, month, STATUTORY_CALENDAR)
    assert all(weeks[monday] == 0 for monday, days in weights.items() if days == 0)
