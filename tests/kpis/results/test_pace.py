"""Pace on hand-checked examples, including October 2017's three working weeks (no database)."""

from datetime import date
from decimal import Decimal

from kpis.results.calculations import pace
from targets.calculations import split_month_to_weeks
from targets.calendar_cn import STATUTORY_CALENDAR

OCTOBER = split_month_to_weeks(1_000_000, 2017, 10, STATUTORY_CALENDAR)  # 0 / 333,334 / 333,333 / 333,333


def test_october_2017_mid_week():
    result = pace(weekly_targets=OCTOBER, actuals={date(2017, 10, 9): Decimal(300_000),
                                                   date(2017, 10, 16): Decimal(100_000)},
                  as_of=date(2017, 10, 18), calendar=STATUTORY_CALENDAR)
    # 333,334 for the week of 9 Oct + 3 of 5 working days of 333,333 (the holiday week weighs nothing)
    assert result.target_to_date == Decimal("533333.80")
    assert result.actual_to_date == Decimal("400000.00")
    assert result.gap == Decimal("-133333.80")
    assert result.needed_per_week == Decimal("600000.00")  # one working week (23 Oct) is left
    # 400,000 over 10 reported working days = 40,000 a day; 2 days left this week + 5 next
    assert result.projected_end == Decimal("680000.00")
    assert (result.reported_weeks, result.missing_weeks) == (2, 0)


def test_a_missing_week_is_missing_not_zero():
    result = pace(weekly_targets=OCTOBER, actuals={date(2017, 10, 16): Decimal(100_000)},
                  as_of=date(2017, 10, 18), calendar=STATUTORY_CALENDAR)
    assert (result.reported_weeks, result.missing_weeks) == (1, 1)
    # the run rate comes from the one reported week (20,000 a working day), not from two weeks
    assert result.projected_end == Decimal("240000.00")


def test_a_finished_period():
    met = pace(weekly_targets=OCTOBER, actuals={w: Decimal(400_000) for w in OCTOBER},
               as_of=date(2017, 11, 30), calendar=STATUTORY_CALENDAR)
    assert met.needed_per_week == 0 and met.projected_end == met.actual_to_date == Decimal("1600000.00")
    short = pace(weekly_targets=OCTOBER, actuals={date(2017, 10, 9): Decimal(1)},
                 as_of=date(2017, 11, 30), calendar=STATUTORY_CALENDAR)
    assert short.needed_per_week is None  # no week left to make it up
    assert short.target_to_date == Decimal(1_000_000)


def test_nothing_reported_yet_has_no_projection():
    result = pace(weekly_targets=OCTOBER, actuals={}, as_of=date(2017, 10, 1), calendar=STATUTORY_CALENDAR)
    assert result.projected_end is None
    assert result.target_to_date == 0
    assert result.needed_per_week == Decimal("333333.33")  # 1,000,000 over the three working weeks
