"""The appraisal arithmetic (no database): weights, score and level, the reason rule, the movers' rater rule,
the under-three feedback rule, the deadlines' order, who holds a step and a cycle's period."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisals import calculations as calc
from appraisals.calculations import Span

levels = st.integers(min_value=1, max_value=5)


@pytest.mark.parametrize(("weights", "valid"), [
    ([100], True), ([70, 30], True), ([50, 25, 25], True), ([70, 20], False), ([70, 40], False), ([], False),
    ([100, 0], False), ([110, -10], False), ([True] * 100, False), ([50.0, 50], False),
])
def test_weights_must_be_positive_whole_percentages_summing_to_100(weights, valid):
    assert calc.weights_sum_to_100(weights) is valid


@given(st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6))
def test_weights_are_valid_exactly_when_they_sum_to_100(weights):
    assert calc.weights_sum_to_100(weights) == (sum(weights) == 100)


@pytest.mark.parametrize(("goals", "expected"), [
    ([(100, 5)], Decimal("5.00")), ([(70, 4), (30, 2)], Decimal("3.40")), ([(50, 3), (50, 4)], Decimal("3.50")),
    ([(33, 5), (33, 4), (34, 1)], Decimal("3.31")), ([(1, 5), (99, 1)], Decimal("1.04")),
])
def test_score_follows_the_weights(goals, expected):
    assert calc.score(goals) == expected


@pytest.mark.parametrize(("weighted", "level"), [
    (Decimal("1.00"), 1), (Decimal("1.49"), 1), (Decimal("1.50"), 2), (Decimal("2.50"), 3), (Decimal("3.49"), 3),
    (Decimal("4.50"), 5), (Decimal("5.00"), 5),
])
def test_computed_rating_rounds_the_score_half_up(weighted, level):
    assert calc.computed_rating(weighted) == level


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=100), levels), min_size=1, max_size=5))
def test_score_stays_between_the_lowest_and_highest_rating_given(goals):
    total = sum(w for w, _r in goals)
    normalised = [(w * 100 / total, r) for w, r in goals]  # weights summing to 100, as a valid appraisal's do
    weighted = calc.score([(Decimal(w), r) for w, r in normalised])
    ratings = [r for _w, r in goals]
    assert Decimal(min(ratings)) - calc.CENT <= weighted <= Decimal(max(ratings)) + calc.CENT
    assert min(ratings) <= calc.computed_rating(weighted) <= max(ratings)


@given(levels)
def test_equal_ratings_compute_that_rating(level):
    assert calc.computed_rating(calc.score([(60, level), (40, level)])) == level


@pytest.mark.parametrize(("computed", "chosen", "needed"), [
    (3, 3, False), (3, 4, False), (3, 2, False), (3, 5, True), (3, 1, True), (1, 5, True), (5, 4, False),
])
def test_a_rating_two_or_more_levels_from_the_computed_one_needs_a_reason(computed, chosen, needed):
    assert calc.needs_reason(computed, chosen) is needed


@given(levels, levels)
def test_needs_reason_is_symmetric(a, b):
    assert calc.needs_reason(a, b) == calc.needs_reason(b, a) == (abs(a - b) >= 2)


@pytest.mark.parametrize(("value", "valid"), [(1, True), (5, True), (0, False), (6, False), (-1, False),
                                              ("3", False), (3.0, False), (True, False), (None, False)])
def test_a_rating_is_a_whole_level_from_1_to_5(value, valid):
    assert calc.is_level(value) is valid


H1 = (date(2017, 2, 1), date(2017, 7, 31))  # the 2017 plan's first half


@pytest.mark.parametrize(("spans", "team"), [
    ([Span(1, date(2016, 1, 4), None)], 1),
    # the org fixture's mover: team 1 until May, team 2 from June 1 → Feb–May (120 days) beat Jun–Jul (61)
    ([Span(1, date(2016, 1, 4), date(2017, 5, 31)), Span(2, date(2017, 6, 1), None)], 1),
    ([Span(1, date(2016, 1, 4), date(2017, 3, 31)), Span(2, date(2017, 4, 1), None)], 2),
    ([Span(1, date(2017, 2, 1), date(2017, 5, 2)), Span(2, date(2017, 5, 3), date(2017, 8, 1))], 1),  # 91 to 90
    # two spells in one team count together
    ([Span(1, date(2017, 2, 1), date(2017, 3, 31)), Span(2, date(2017, 4, 1), date(2017, 5, 31)),
      Span(1, date(2017, 6, 1), None)], 1),
    ([Span(1, date(2015, 1, 1), date(2016, 12, 31))], None),
    ([], None),
])
def test_rater_team_is_where_most_days_of_the_period_were_spent(spans, team):
    assert calc.rater_team(spans, *H1) == team


def test_a_tie_of_days_goes_to_the_later_team_in_either_order():
    first, last = date(2017, 1, 1), date(2017, 1, 10)
    early, late = Span(7, first, date(2017, 1, 5)), Span(3, date(2017, 1, 6), None)
    assert calc.rater_team([early, late], first, last) == 3
    assert calc.rater_team([late, early], first, last) == 3


@given(st.integers(min_value=1, max_value=180))
def test_a_single_move_goes_to_the_team_of_the_longer_part(split):
    first, last = H1
    move_on = first + timedelta(days=split)
    spans = [Span(1, date(2016, 1, 1), move_on - timedelta(days=1)), Span(2, move_on, None)]
    before, after = (move_on - first).days, (last - move_on).days + 1
    assert calc.rater_team(spans, first, last) == (1 if before > after else 2)


@pytest.mark.parametrize(("count", "shown"), [(0, False), (1, False), (2, False), (3, True), (10, True)])
def test_fewer_than_three_answers_are_not_shown(count, shown):
    assert calc.feedback_visible(count) is shown


START = date(2017, 2, 1)


@pytest.mark.parametrize(("deadlines", "problem"), [
    ({}, None),
    ({"goals": date(2017, 2, 10), "self_review": date(2017, 2, 20), "rating": date(2017, 3, 1)}, None),
    ({"goals": date(2017, 2, 1), "self_review": date(2017, 2, 1)}, None),  # the same day is in order
    ({"goals": date(2017, 1, 31)}, calc.DeadlineProblem("goals", "before_period")),
    ({"goals": date(2017, 2, 10), "rating": date(2017, 2, 5)},
     calc.DeadlineProblem("rating", "before_earlier", "goals")),
    ({"published": date(2017, 3, 1)}, calc.DeadlineProblem("published", "unknown")),
])
def test_deadlines_start_with_the_period_and_follow_the_steps(deadlines, problem):
    assert calc.deadlines_in_order(deadlines, START) == problem


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=len(calc.DEADLINE_STEPS),
                max_size=len(calc.DEADLINE_STEPS)))
def test_deadlines_are_in_order_exactly_when_sorted(offsets):
    deadlines = {step: START + timedelta(days=d) for step, d in zip(calc.DEADLINE_STEPS, offsets, strict=True)}
    assert (calc.deadlines_in_order(deadlines, START) is None) == (offsets == sorted(offsets))


@pytest.mark.parametrize(("state", "is_manager", "who"), [
    ("goals", False, calc.RATER), ("self_review", False, calc.APPRAISEE), ("feedback", False, calc.HR),
    ("verification", False, calc.HR), ("verification", True, calc.DIRECTOR), ("rating", True, calc.RATER),
    ("confirmation", False, calc.APPRAISEE), ("disputed", False, calc.HR), ("confirmed", True, calc.HR),
    ("published", False, None), ("withdrawn", False, None),
])
def test_holder_of_each_step(state, is_manager, who):
    assert calc.holder(state, is_manager) == who


def _months(first: date, count: int) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


PHASES = [_months(date(2017, 2, 1), 3), _months(date(2017, 5, 1), 3), _months(date(2017, 8, 1), 3),
          _months(date(2017, 11, 1), 3)]


@pytest.mark.parametrize(("kind", "first", "last", "fits"), [
    ("monthly", date(2017, 3, 1), date(2017, 3, 1), True),
    ("monthly", date(2017, 3, 1), date(2017, 4, 1), False),
    ("monthly", date(2016, 3, 1), date(2016, 3, 1), False),  # not a month of the plan
    ("quarterly", date(2017, 2, 1), date(2017, 4, 1), True),
    ("quarterly", date(2017, 3, 1), date(2017, 5, 1), False),  # across two phases
    ("half_year", date(2017, 2, 1), date(2017, 7, 1), True),
    ("half_year", date(2017, 5, 1), date(2017, 10, 1), True),
    ("half_year", date(2017, 2, 1), date(2017, 4, 1), False),
    ("annual", date(2017, 2, 1), date(2018, 1, 1), True),
    ("annual", date(2017, 2, 1), date(2017, 7, 1), False),
    ("quarterly", date(2017, 4, 1), date(2017, 2, 1), False),  # backwards
    ("weekly", date(2017, 2, 1), date(2017, 2, 1), False),
])
def test_a_cycles_period_is_a_month_a_phase_two_phases_or_the_plan(kind, first, last, fits):
    assert calc.period_fits(kind, first, last, PHASES) is fits


@pytest.mark.parametrize(("rating", "below"), [
    (1, True), (2, True), (3, False), (4, False), (5, False), (None, False), (0, False), (True, False), ("2", False),
])
def test_below_satisfactory_is_needs_improvement_or_unsatisfactory(rating, below):
    assert calc.below_satisfactory(rating) is below


def test_satisfactory_is_the_scales_satisfactory_level():
    from appraisals.models import Level

    assert calc.SATISFACTORY == Level.SATISFACTORY
    assert [level for level in Level.values if calc.below_satisfactory(level)] == [
        Level.NEEDS_IMPROVEMENT, Level.UNSATISFACTORY]
