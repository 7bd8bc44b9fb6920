"""What each stored rollup column reads, and the months a change invalidates: pure, no database."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.results.calculations import month_started
from kpis.results.dependencies import (
    MONTH_COLUMNS,
    MONTH_PLACING_COLUMNS,
    PHASE_PLACING_COLUMNS,
    Reads,
    months_invalidated,
    reads,
)
from kpis.results.models import CompanyMonthResult, PeriodPlacing, RepMonthResult, TeamMonthResult


def m(year: int, month: int) -> date:
    return date(year, month, 1)


PLAN_2017 = [m(2017, n) for n in range(2, 13)] + [m(2018, 1)]
WITH_2016 = [m(2016, n) for n in range(1, 13)] + PLAN_2017


def test_every_stored_column_says_what_it_reads():
    """A new column must be declared, else a change could leave it stale without anyone marking it."""
    meta = {"id", "month", "employee", "team", "computed_at"}
    for model in (RepMonthResult, TeamMonthResult, CompanyMonthResult):
        assert {f.name for f in model._meta.concrete_fields} - meta <= set(MONTH_COLUMNS), model
    placing = {f.name for f in PeriodPlacing._meta.concrete_fields} - {"id", "period", "first_month", "employee"}
    assert placing == set(MONTH_PLACING_COLUMNS) == set(PHASE_PLACING_COLUMNS)


@pytest.mark.parametrize(("column", "month", "other", "expected"), [
    ("total_deposits", m(2017, 8), m(2017, 8), True),
    ("total_deposits", m(2017, 8), m(2017, 7), False),
    ("performance_growth_rate", m(2017, 8), m(2017, 7), True),    # 环比: the month before
    ("performance_growth_rate", m(2017, 8), m(2017, 6), False),
    ("performance_growth_rate", m(2018, 1), m(2017, 12), True),   # across the year's end
    ("performance_growth_yoy", m(2017, 8), m(2016, 8), True),     # 同比: a year before
    ("performance_growth_yoy", m(2017, 8), m(2017, 7), False),
    ("customer_base", m(2017, 11), m(2017, 2), True),             # accounts opened in every month before
    ("customer_base", m(2017, 11), m(2017, 11), False),           # the base is taken at the month's start
    ("customer_growth_rate", m(2017, 11), m(2017, 11), True),     # opened in the month ÷ the base
    ("rank_in_company", m(2017, 8), m(2017, 7), False),
])
def test_what_a_month_column_reads(column, month, other, expected):
    assert reads(month, other, MONTH_COLUMNS[column]) is expected


def test_a_streak_reads_every_earlier_period():
    assert reads(m(2017, 9), m(2017, 2), MONTH_PLACING_COLUMNS["consecutive"])
    assert not reads(m(2017, 9), m(2017, 2), MONTH_PLACING_COLUMNS["flagged"])
    assert Reads.PHASE in PHASE_PLACING_COLUMNS["rank"]


@pytest.mark.parametrize(("changed", "known", "expected"), [
    ([], PLAN_2017, []),
    ([m(2017, 10)], PLAN_2017, [m(2017, 10), m(2017, 11), m(2017, 12), m(2018, 1)]),
    ([m(2018, 1)], PLAN_2017, [m(2018, 1)]),
    ([m(2017, 10), m(2017, 3)], PLAN_2017, PLAN_2017[1:]),
    ([date(2017, 10, 17)], PLAN_2017, [m(2017, 10), m(2017, 11), m(2017, 12), m(2018, 1)]),  # any day of it
    ([m(2016, 12)], PLAN_2017, [m(2016, 12), *PLAN_2017]),  # a changed month is stale even without results
    ([m(2016, 8)], WITH_2016, WITH_2016[7:]),
    ([m(2019, 3)], PLAN_2017, [m(2019, 3)]),
])
def test_months_invalidated(changed, known, expected):
    assert months_invalidated(changed, known) == expected


months = st.builds(date, st.integers(2015, 2019), st.integers(1, 12), st.just(1))


def depends(month: date, changed: date) -> bool:
    """The issue's words, written out apart from the module: the month's own figures, the month before (环比), the
    same month a year before (同比), every earlier month (customer base, streaks)."""
    before = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return changed in (month, before, month.replace(year=month.year - 1)) or changed < month


@given(st.sets(months, min_size=1, max_size=4), st.sets(months, max_size=30))
def test_every_month_depending_on_a_changed_month_is_stale_and_none_before_the_first_change(changed, known):
    stale = months_invalidated(changed, known)
    assert set(changed) <= set(stale)
    assert {k for k in known if any(depends(k, c) for c in changed)} <= set(stale)
    assert set(stale) <= set(changed) | set(known)
    assert all(s in changed or any(depends(s, c) for c in changed) for s in stale)  # exactly those
    assert all(month >= min(changed) for month in stale)
    assert stale == sorted(set(stale))


@pytest.mark.parametrize(("month", "as_of", "started"), [
    (m(2017, 11), date(2017, 10, 27), False),
    (m(2017, 11), date(2017, 10, 30), True),   # November's first week starts on Monday 30 October
    (m(2017, 10), date(2017, 10, 1), False),   # 1 October is a Sunday: its week counts in September
    (m(2017, 10), date(2017, 10, 2), True),
    (m(2018, 1), date(2017, 10, 31), False),
])
def test_a_month_has_started_once_its_first_week_has(month, as_of, started):
    assert month_started(month, as_of) is started
