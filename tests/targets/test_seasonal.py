"""Next year's plan from this year's seasons: the pure spread (exact sums, zero months, months without history)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets.calculations import AllocationError, seasonal_targets, seasonal_weights, total_from_growth

TARGETS_2017 = [800_000, 1_000_000, 1_200_000, 1_200_000, 1_200_000, 1_200_000,
                1_200_000, 1_500_000, 1_000_000, 1_200_000, 1_500_000, 1_000_000]
deposits = st.one_of(st.none(), st.integers(min_value=0, max_value=10**8),
                     st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False))


@given(total=st.integers(min_value=0, max_value=10**12), history=st.lists(deposits, min_size=12, max_size=12),
       targets=st.lists(st.integers(min_value=0, max_value=10**8), min_size=12, max_size=12))
def test_the_spread_adds_up_to_the_total_to_the_yuan(total, history, targets):
    spread = seasonal_targets(total, seasonal_weights(history, targets))
    assert sum(spread) == total and len(spread) == 12 and min(spread) >= 0


@given(total=st.integers(min_value=1, max_value=10**12),
       history=st.lists(st.integers(min_value=0, max_value=10**8), min_size=12, max_size=12))
def test_a_month_that_sold_nothing_gets_nothing_unless_every_month_did(total, history):
    spread = seasonal_targets(total, seasonal_weights(history, TARGETS_2017))
    if any(history):
        assert all(part == 0 for part, sold in zip(spread, history, strict=True) if sold == 0)
    else:
        assert max(spread) - min(spread) <= 1  # nothing to weigh: equal shares


@given(total=st.integers(min_value=0, max_value=10**12),
       history=st.lists(st.integers(min_value=1, max_value=10**8), min_size=12, max_size=12))
def test_each_month_is_within_a_yuan_of_its_exact_seasonal_share(total, history):
    spread = seasonal_targets(total, seasonal_weights(history, TARGETS_2017))
    for part, sold in zip(spread, history, strict=True):
        assert abs(part - Fraction(total * sold, sum(history))) < 1


def test_the_peak_months_stay_peaks():
    history = [700_000, 900_000, 1_100_000, 1_100_000, 1_200_000, 1_000_000,
               1_150_000, 1_800_000, 1_050_000, 1_300_000, 1_700_000, 900_000]
    spread = seasonal_targets(15_000_000, seasonal_weights(history, TARGETS_2017))
    assert spread.index(max(spread)) == 7  # 金九: September
    assert spread[10] > spread[9] > spread[11]  # the year-end push in December
    assert sum(spread) == 15_000_000


def test_a_month_without_history_weighs_its_target_at_the_attainment_so_far():
    history = [1_600_000, 2_000_000] + [None] * 10  # two months over, both at 200 %
    weights = seasonal_weights(history, TARGETS_2017)
    assert weights[:2] == [1_600_000, 2_000_000]
    assert weights[2:] == [2 * t for t in TARGETS_2017[2:]]


def test_no_history_at_all_spreads_like_last_years_targets():
    assert seasonal_targets(14_000_000, seasonal_weights([None] * 12, TARGETS_2017)) == TARGETS_2017


@pytest.mark.parametrize(("basis", "growth", "total"), [
    (10_000_000, Decimal("20"), 12_000_000), (10_000_000, Decimal("-100"), 0), (999, Decimal("0.05"), 999),
    (Fraction(1, 2), Decimal("0"), 1), (1_000_001, Decimal("-50"), 500_001),  # halves round up
])
def test_a_growth_percentage_gives_the_new_total_in_whole_yuan(basis, growth, total):
    assert total_from_growth(basis, growth) == total


def test_a_growth_below_minus_100_percent_is_refused():
    with pytest.raises(AllocationError):
        total_from_growth(10_000_000, Decimal("-100.01"))
