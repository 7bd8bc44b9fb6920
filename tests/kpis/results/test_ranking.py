"""Ranking by attainment, its tie-breaks and exclusions, bottom elimination and consecutive flags."""

from datetime import date
from decimal import Decimal

import pytest

from kpis.results.calculations import Candidate, bottom, consecutive_flags, rank

MARCH = (date(2017, 3, 1), date(2017, 3, 31))  # mid-point 16 March


def rep(n: int, attainment, deposits=0, joined=date(2016, 1, 1), left=None) -> Candidate:
    return Candidate(n, f"S{n:03d}", None if attainment is None else Decimal(attainment), Decimal(deposits),
                     joined, left)


def test_ranked_by_attainment_then_deposits_then_employee_number():
    ranking = rank([rep(1, "0.8", 100), rep(2, "1.2", 50), rep(3, "0.8", 300), rep(4, "0.8", 300)], *MARCH)
    assert [(p.rep, p.rank) for p in ranking.placings] == [(2, 1), (3, 2), (4, 3), (1, 4)]


def test_joiners_after_and_leavers_before_the_mid_point_are_left_out():
    ranking = rank([rep(1, "1"), rep(2, "0.1", joined=date(2017, 3, 17)), rep(3, "0.1", joined=date(2017, 3, 16)),
                    rep(4, "0.1", left=date(2017, 3, 15)), rep(5, None)], *MARCH)
    assert ranking.excluded == {2: "joined_late", 4: "left_early", 5: "no_target"}
    assert [p.rep for p in ranking.placings] == [1, 3]


@pytest.mark.parametrize(("size", "percent", "count", "expected"), [
    (55, Decimal(10), None, 6), (10, Decimal(10), None, 1), (3, Decimal(10), None, 1), (0, Decimal(10), None, 0),
    (10, None, 2, 2), (2, None, 5, 2),
])
def test_bottom_by_percent_or_count(size, percent, count, expected):
    placings = rank([rep(n, Decimal(100 - n) / 100) for n in range(1, size + 1)], *MARCH).placings
    flagged = bottom(placings, count=count, percent=percent)
    assert len(flagged) == expected
    assert flagged == [p.rep for p in placings][size - expected:] if expected else flagged == []


def test_consecutive_flags_count_the_streak_ending_now():
    history = [{1, 2}, {1}, {1, 3}, {1, 2, 3}]
    assert consecutive_flags(history) == {1: 4, 2: 1, 3: 2}
    assert consecutive_flags([]) == {}
