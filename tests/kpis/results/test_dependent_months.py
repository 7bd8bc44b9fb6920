"""A month's growth (环比) and customer base are built from the months before it: a change to July must reach
August's stored rows too. The expected numbers are worked out by hand from the figures entered."""

from datetime import date
from decimal import Decimal

import pytest

from kpis import services
from kpis.models import Channel, WeeklyFigures
from kpis.results import services as rollups
from kpis.results.models import RepMonthResult

JULY, AUGUST = date(2017, 7, 1), date(2017, 8, 1)
JULY_WEEK = date(2017, 7, 10)    # Thursday 13 July: a July week
AUGUST_WEEK = date(2017, 8, 7)   # Thursday 10 August: an August week
OPENING_BASE = 10


def enter(org, week: date, *, new: int, existing: int, opened: int) -> None:
    values = {"new_customers": 0, "engaged_customers": 0, "accounts_opened": opened,
              "new_customer_deposits": new, "existing_customer_deposits": existing, "trading_volume": 0}
    saved = WeeklyFigures.objects.filter(employee=org.rep_a, week=week).first()
    version = saved.version if saved else None  # a change names the version it replaces
    services.weekly_figures_save(week=week, rows=[services.RepWeekInput(org.rep_a.pk, values, version)],
                                 by=org.director.user, channel=Channel.GRID)


def august(org) -> RepMonthResult:
    return RepMonthResult.objects.get(month=AUGUST, employee=org.rep_a)


@pytest.fixture
def two_months(org, plan) -> None:
    """rep_a: an opening base of 10; July 100,000 + 20,000 deposited and 5 accounts opened; August 150,000 +
    30,000 and 2 opened. Both months computed the normal way: the saves mark them stale, the pending run."""
    services.customer_base_set(employee=org.rep_a, opening_base=OPENING_BASE, counted_from=date(2017, 2, 1))
    enter(org, JULY_WEEK, new=100_000, existing=20_000, opened=5)
    enter(org, AUGUST_WEEK, new=150_000, existing=30_000, opened=2)
    assert set(rollups.recompute_pending()) >= {JULY, AUGUST}
    row = august(org)
    # growth = (August total − July total) ÷ July total = (180,000 − 120,000) ÷ 120,000 = 0.5
    assert row.performance_growth_rate == Decimal("0.500000")
    assert row.customer_base == 10 + 5  # opening base + accounts opened before August
    # July changes: 130,000 + 20,000 = 150,000 deposited, 8 accounts opened
    enter(org, JULY_WEEK, new=130_000, existing=20_000, opened=8)


# August after July's change, by hand:
#   July total  = 130,000 + 20,000 = 150,000; August total = 150,000 + 30,000 = 180,000
#   growth      = (180,000 − 150,000) ÷ 150,000 = 0.2
#   base        = 10 + 8 = 18
#   customer growth rate = 2 ÷ 18 = 0.111111 (six places)
EXPECTED_GROWTH = Decimal("0.200000")
EXPECTED_BASE = 18
EXPECTED_CUSTOMER_GROWTH = Decimal("0.111111")


def test_a_change_to_july_reaches_augusts_growth_and_customer_base(org, two_months):
    rollups.recompute_pending()  # what the run queued by the save does
    row = august(org)
    assert (row.performance_growth_rate, row.customer_base, row.customer_growth_rate) == (
        EXPECTED_GROWTH, EXPECTED_BASE, EXPECTED_CUSTOMER_GROWTH)


def test_the_hand_computed_august_is_what_a_full_recompute_gives(org, two_months):
    """Proves the expected numbers above: recomputing every month gives them."""
    rollups.recompute_all()
    row = august(org)
    assert (row.performance_growth_rate, row.customer_base, row.customer_growth_rate) == (
        EXPECTED_GROWTH, EXPECTED_BASE, EXPECTED_CUSTOMER_GROWTH)
