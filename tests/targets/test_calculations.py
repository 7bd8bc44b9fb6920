"""Pure target arithmetic: allocation, plan weeks, pro-rata team and rep weights."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets.calculations import (
    AllocationError,
    MembershipSpan,
    WorkingCalendar,
    allocate,
    month_span,
    rep_weights_for_team_month,
    split_company_month_to_teams,
    split_month_to_weeks,
    split_rep_month_to_weeks,
    split_team_month_to_reps,
    team_weights_for_month,
    week_monday,
    week_month,
    weeks_of_month,
)
from targets.calendar_cn import STATUTORY_CALENDAR

# Plain Monday–Friday weeks keep hand-computed expectations readable.
PLAIN = WorkingCalendar()
# With PLAIN, March 2017 is the weeks of Mon 27 Feb .. Mon 27 Mar: 5 weeks, 25 working days.
MARCH = (2017, 3)


# --- allocate: tables -------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, {"a": 1, "b": 1}, {"a": 50, "b": 50}),
        (100, {"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        (2, {"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 1, "c": 0}),
        (
            1,
            {"c": 1, "b": 1, "a": 1},
            {"c": 1, "b": 0, "a": 0},
        ),  # first key wins the tie
        (
            10,
            {"a": 0, "b": 3, "c": 1},
            {"a": 0, "b": 8, "c": 2},
        ),  # 7.5 / 2.5 -> tie to b
        (
            7,
            {"a": Decimal("0.5"), "b": Fraction(1, 4), "c": 1},
            {"a": 2, "b": 1, "c": 4},
        ),
        (0, {"a": 1, "b": 2}, {"a": 0, "b": 0}),
        (0, {"a": 0, "b": 0}, {"a": 0, "b": 0}),
        (999, {"only": 5}, {"only": 999}),
        (5, {"a": 1, "b": 1, "c": 98}, {"a": 0, "b": 0, "c": 5}),
    ],
)
def test_allocate_table(total, weights, expected):
    result = allocate(total, weights)
    assert result == expected
    assert list(result) == list(weights)


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (100, {}, "no weights"),
        (0, {}, "no weights"),
        (100, {"a": 0, "b": 0}, "all weights are zero"),
        (100, {"a": 1, "b": -1}, "weight for b is negative"),
        (100, {"a": Decimal("-0.1")}, "weight for a is negative"),
        (-1, {"a": 1}, "total to split is negative"),
        (100, {"a": 0.5}, "must be a whole number, Decimal or Fraction"),
        (100, {"a": Decimal("NaN")}, "not Decimal\\('NaN'\\)"),
    ],
)
def test_allocate_refuses_bad_input_with_a_message(total, weights, message):
    with pytest.raises(AllocationError, match=message):
        allocate(total, weights)


def test_allocate_refuses_non_integer_total():
    with pytest.raises(TypeError, match="whole yuan"):
        allocate(Decimal("100.00"), {"a": 1})


# --- allocate: properties ---------------------------------------------------------

weight_values = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(
        min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False
    ),
    st.fractions(min_value=0, max_value=10**6, max_denominator=1000),
)
weight_lists = st.lists(weight_values, min_size=1, max_size=30).filter(
    lambda ws: any(w > 0 for w in ws)
)


@given(total=st.integers(min_value=0, max_value=10**9), weights=weight_lists)
def test_allocate_sums_exactly_and_stays_within_one_yuan_of_the_exact_share(
    total, weights
):
    mapping = {f"k{i}": w for i, w in enumerate(weights)}
    parts = allocate(total, mapping)

    assert sum(parts.values()) == total
    assert list(parts) == list(mapping)
    weight_sum = sum(Fraction(w) for w in weights)
    for key, weight in mapping.items():
        exact_share = Fraction(total) * Fraction(weight) / weight_sum
        assert abs(parts[key] - exact_share) < 1
        if weight == 0:
            assert parts[key] == 0
    assert allocate(total, mapping) == parts  # deterministic


# --- weeks and months -------------------------------------------------------------


@pytest.mark.parametrize(
    ("monday", "owner"),
    [
        (date(2017, 1, 30), (2017, 2)),  # Thursday is 2 Feb
        (date(2017, 2, 27), (2017, 3)),  # Thursday is 2 Mar
        (date(2017, 12, 25), (2017, 12)),  # Thursday is 28 Dec
        (date(2018, 1, 1), (2018, 1)),  # Thursday is 4 Jan
        (date(2018, 12, 31), (2019, 1)),  # Thursday is 3 Jan 2019: the year changes
        (date(2017, 10, 30), (2017, 11)),  # Thursday is 2 Nov
    ],
)
def test_week_belongs_to_the_month_of_its_thursday(monday, owner):
    assert monday.weekday() == 0
    assert week_month(monday) == owner


def test_week_monday_of_any_day():
    assert week_monday(date(2017, 10, 8)) == date(2017, 10, 2)  # a Sunday
    assert week_monday(date(2017, 10, 2)) == date(2017, 10, 2)


def test_month_span_is_whole_weeks():
    assert weeks_of_month(*MARCH) == [
        date(2017, 2, 27) + timedelta(weeks=i) for i in range(5)
    ]
    assert month_span(*MARCH) == (date(2017, 2, 27), date(2017, 4, 2))


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_lies_in_exactly_one_plan_month(day):
    monday = week_monday(day)
    assert monday.weekday() == 0 and monday <= day < monday + timedelta(days=7)
    year, month = week_month(monday)
    assert monday in weeks_of_month(year, month)
    first, last = month_span(year, month)
    assert first <= day <= last


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 11, 30)))
def test_consecutive_plan_months_tile_without_gap_or_overlap(day):
    year, month = day.year, day.month
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    mondays = weeks_of_month(year, month)
    assert len(mondays) in (4, 5)
    assert month_span(next_year, next_month)[0] == month_span(year, month)[
        1
    ] + timedelta(days=1)


def test_working_calendar_honours_holidays_and_makeup_days():
    saturday, monday = date(2017, 9, 30), date(2017, 10, 2)
    calendar = WorkingCalendar(
        holidays=frozenset({monday}), makeup_workdays=frozenset({saturday})
    )
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(monday)
    assert not calendar.is_working_day(date(2017, 10, 1))  # an ordinary Sunday
    assert calendar.working_days(saturday, date(2017, 10, 6)) == 5  # Sat + Tue..Fri
    assert calendar.working_dates(saturday, monday) == [saturday]
    assert calendar.working_days(monday, saturday) == 0  # end before start


def test_working_calendar_refuses_a_day_both_off_and_worked():
    day = date(2017, 9, 30)
    with pytest.raises(ValueError, match="2017-09-30"):
        WorkingCalendar(holidays=frozenset({day}), makeup_workdays=frozenset({day}))


def test_split_month_to_weeks_plain_month():
    assert split_month_to_weeks(1_000_000, *MARCH, PLAIN) == {
        date(2017, 2, 27) + timedelta(weeks=i): 200_000 for i in range(5)
    }


def test_split_month_to_weeks_refuses_a_month_without_working_days():
    month_off = frozenset(month_span(*MARCH)[0] + timedelta(days=i) for i in range(35))
    with pytest.raises(AllocationError, match="2017-03 has no working day"):
        split_month_to_weeks(1000, *MARCH, WorkingCalendar(holidays=month_off))


# --- team and rep weights ---------------------------------------------------------


def test_rep_joining_mid_month_counts_pro_rata():
    spans = [
        MembershipSpan("ann", "east", date(2016, 6, 1)),
        MembershipSpan("bob", "east", date(2017, 3, 13)),  # 15 of 25 working days
    ]
    assert team_weights_for_month(spans, *MARCH, PLAIN) == {"east": 1 + Fraction(3, 5)}
    assert rep_weights_for_team_month(spans, "east", *MARCH, PLAIN) == {
        "ann": 1,
        "bob": Fraction(3, 5),
    }


def test_rep_moving_mid_month_splits_between_teams_and_headcount_is_kept():
    spans = [
        MembershipSpan("ann", "east", date(2016, 6, 1)),
        MembershipSpan("bob", "east", date(2016, 6, 1), date(2017, 3, 17)),
        MembershipSpan("bob", "west", date(2017, 3, 18)),
        MembershipSpan("cat", "west", date(2016, 6, 1)),
    ]
    weights = team_weights_for_month(spans, *MARCH, PLAIN)
    assert weights == {"east": 1 + Fraction(3, 5), "west": Fraction(2, 5) + 1}
    assert sum(weights.values()) == 3


def test_rep_moving_in_june_counts_for_old_team_in_may_and_new_team_in_july():
    spans = [
        MembershipSpan("bob", "east", date(2017, 2, 1), date(2017, 6, 14)),
        MembershipSpan("bob", "west", date(2017, 6, 15)),
    ]
    assert team_weights_for_month(spans, 2017, 5, STATUTORY_CALENDAR) == {"east": 1}
    assert team_weights_for_month(spans, 2017, 7, STATUTORY_CALENDAR) == {"west": 1}
    june = team_weights_for_month(spans, 2017, 6, STATUTORY_CALENDAR)
    assert set(june) == {"east", "west"} and sum(june.values()) == 1


@given(
    move_offsets=st.lists(
        st.integers(min_value=0, max_value=34), min_size=1, max_size=10
    ),
    target=st.integers(min_value=0, max_value=10**8),
)
def test_reps_present_all_month_add_up_to_the_headcount(move_offsets, target):
    first, _ = month_span(*MARCH)
    spans = []
    for i, offset in enumerate(move_offsets):
        move = first + timedelta(days=offset)  # the rep's first day in the new team
        spans.append(
            MembershipSpan(i, "east", date(2016, 1, 1), move - timedelta(days=1))
        )
        spans.append(MembershipSpan(i, f"team{offset % 3}", move))
    assert sum(team_weights_for_month(spans, *MARCH, PLAIN).values()) == len(
        move_offsets
    )
    teams = split_company_month_to_teams(target, spans, *MARCH, PLAIN)
    assert sum(teams.values()) == target
    for team, team_target in teams.items():
        reps = split_team_month_to_reps(team_target, spans, team, *MARCH, PLAIN)
        assert sum(reps.values()) == team_target


def test_ramp_override_replaces_base_weight_and_keeps_presence():
    spans = [
        MembershipSpan("ann", "east", date(2016, 6, 1)),
        MembershipSpan("bob", "east", date(2017, 2, 1)),  # on probation, full month
        MembershipSpan("cat", "east", date(2017, 3, 13)),  # probation, 3/5 of month
    ]
    ramps = {"bob": Decimal("0.5"), "cat": Decimal("0.5"), "zed": Decimal(9)}
    weights = rep_weights_for_team_month(spans, "east", *MARCH, PLAIN, ramps)
    assert weights == {"ann": 1, "bob": Fraction(1, 2), "cat": Fraction(3, 10)}
    assert split_team_month_to_reps(180_000, spans, "east", *MARCH, PLAIN, ramps) == {
        "ann": 100_000,
        "bob": 50_000,
        "cat": 30_000,
    }


def test_all_zero_ramps_refuse_a_team_target():
    spans = [MembershipSpan("ann", "east", date(2016, 6, 1))]
    zero = {"ann": Decimal(0)}
    assert rep_weights_for_team_month(spans, "east", *MARCH, PLAIN, zero) == {"ann": 0}
    with pytest.raises(
        AllocationError, match="team east has no rep with a weight above zero"
    ):
        split_team_month_to_reps(1000, spans, "east", *MARCH, PLAIN, zero)
    assert split_team_month_to_reps(0, spans, "east", *MARCH, PLAIN, zero) == {"ann": 0}


def test_negative_ramp_is_refused():
    spans = [MembershipSpan("ann", "east", date(2016, 6, 1))]
    with pytest.raises(AllocationError, match="rep ann is negative"):
        rep_weights_for_team_month(spans, "east", *MARCH, PLAIN, {"ann": Decimal(-1)})


def test_company_target_with_nobody_present_is_refused():
    spans = [MembershipSpan("ann", "east", date(2016, 6, 1), date(2016, 12, 31))]
    with pytest.raises(AllocationError, match="no team has a member in 2017-03"):
        split_company_month_to_teams(1000, spans, *MARCH, PLAIN)
    assert split_company_month_to_teams(0, spans, *MARCH, PLAIN) == {}


def test_overlapping_memberships_are_refused():
    spans = [
        MembershipSpan("bob", "east", date(2016, 6, 1), date(2017, 3, 20)),
        MembershipSpan("bob", "west", date(2017, 3, 15)),
    ]
    with pytest.raises(
        AllocationError, match="rep bob is in teams east and west at once"
    ):
        team_weights_for_month(spans, *MARCH, PLAIN)


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        MembershipSpan("bob", "east", date(2017, 3, 15), date(2017, 3, 1))


# --- a rep's month over weeks -----------------------------------------------------


def test_rep_weeks_follow_their_days_in_the_team():
    joined_wednesday = [MembershipSpan("bob", "west", date(2017, 3, 15))]
    assert split_rep_month_to_weeks(13_000, joined_wednesday, *MARCH, PLAIN) == {
        date(2017, 2, 27): 0,
        date(2017, 3, 6): 0,
        date(2017, 3, 13): 3_000,
        date(2017, 3, 20): 5_000,
        date(2017, 3, 27): 5_000,
    }


def test_rep_weeks_with_no_working_day_refuse_a_target():
    gone = [MembershipSpan("bob", "west", date(2016, 1, 1), date(2017, 2, 26))]
    with pytest.raises(AllocationError, match="rep bob has no working day"):
        split_rep_month_to_weeks(1000, gone, *MARCH, PLAIN)
    assert set(split_rep_month_to_weeks(0, gone, *MARCH, PLAIN).values()) == {0}


def test_rep_weeks_need_one_rep_in_one_team():
    spans = [
        MembershipSpan("bob", "west", date(2017, 1, 1), date(2017, 3, 10)),
        MembershipSpan("bob", "east", date(2017, 3, 11)),
    ]
    with pytest.raises(ValueError, match="one rep's memberships of one team"):
        split_rep_month_to_weeks(1000, spans, *MARCH, PLAIN)
