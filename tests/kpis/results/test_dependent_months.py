"""A month's growth (环比) and customer base are built from the months before it: a change to July must reach
August's stored rows too. The expected numbers are worked out by hand from the figures entered. Every kind of
change (figures, customer bases, the elimination rule, targets, memberships) marks exactly the months that read
it, and a month not begun by today is not ranked."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from kpis import services
from kpis.models import Channel, WeeklyFigures
from kpis.results import services as rollups
from kpis.results.models import CompanyMonthResult, PeriodPlacing, RepMonthResult, RollupMonth, TeamMonthResult
from targets.models import PlanMonth, RepMonthTarget
from targets.services import team_weights_set
from teams import services as team_services
from tests.snapshots import replayed

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


# --- every change marks the months that read it, and their run makes them right --------------------------------

LATER_THAN_JULY = [*(date(2017, m, 1) for m in range(8, 13)), date(2018, 1, 1)]


def stale_months() -> list[date]:
    return sorted(s.month for s in RollupMonth.objects.all() if s.pending)


def check_rollups() -> str:
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    return out.getvalue()


@pytest.fixture
def computed(org, plan) -> None:
    """rep_a's July and August entered (two_months' figures, before July's change) and every month computed."""
    def build() -> None:
        services.customer_base_set(employee=org.rep_a, opening_base=OPENING_BASE, counted_from=date(2017, 2, 1))
        enter(org, JULY_WEEK, new=100_000, existing=20_000, opened=5)
        enter(org, AUGUST_WEEK, new=150_000, existing=30_000, opened=2)
        rollups.recompute_all()

    replayed("july and august computed", build)
    assert stale_months() == []


def test_a_save_in_july_marks_july_for_its_team_and_every_later_month_whole(org, computed):
    enter(org, JULY_WEEK, new=130_000, existing=20_000, opened=8)
    assert stale_months() == [JULY, *LATER_THAN_JULY]
    assert RollupMonth.objects.get(month=JULY).stale_teams == [org.team_a.pk]
    assert {s.stale_teams for s in RollupMonth.objects.filter(month__gt=JULY)} == {None}
    rollups.recompute_pending()
    assert (august(org).performance_growth_rate, august(org).customer_base) == (EXPECTED_GROWTH, EXPECTED_BASE)
    assert "rollups match" in check_rollups()


def test_a_save_in_a_phases_first_month_reaches_the_phase_placing_placed_by_its_last_month(org, computed):
    """August opens phase 3 (August–October): the sweep places the phase once, in October's run, which must
    still sum August's new figures."""
    enter(org, AUGUST_WEEK, new=400_000, existing=30_000, opened=2)
    assert rollups.recompute_pending()[:3] == [AUGUST, date(2017, 9, 1), date(2017, 10, 1)]
    phase = PeriodPlacing.objects.get(period="phase", first_month=AUGUST, employee=org.rep_a)
    rows = RepMonthResult.objects.filter(employee=org.rep_a, month__in=[AUGUST, date(2017, 9, 1), date(2017, 10, 1)])
    assert phase.total_deposits == 430_000 == sum(r.total_deposits for r in rows)
    assert "rollups match" in check_rollups()


def test_a_phase_whose_later_month_fails_is_placed_when_that_month_is_retried(org, computed, monkeypatch):
    real = rollups.recompute_month

    def october_fails(month, **options):
        if month == date(2017, 10, 1):
            raise ValueError("a bad row in October")
        real(month, **options)

    monkeypatch.setattr(rollups, "recompute_month", october_fails)
    enter(org, AUGUST_WEEK, new=400_000, existing=30_000, opened=2)
    assert rollups.recompute_pending() == [AUGUST, date(2017, 9, 1)]  # October failed; the later months wait
    monkeypatch.setattr(rollups, "recompute_month", real)
    rollups.rollups_retry_now([date(2017, 10, 1)])
    rollups.recompute_pending()
    phase = PeriodPlacing.objects.get(period="phase", first_month=AUGUST, employee=org.rep_a)
    assert phase.total_deposits == 430_000
    assert "rollups match" in check_rollups()


def test_a_customer_base_change_marks_and_recomputes_every_month(org, computed):
    services.customer_base_set(employee=org.rep_a, opening_base=OPENING_BASE + 20, counted_from=date(2017, 2, 1))
    assert stale_months() == sorted(PlanMonth.objects.values_list("month", flat=True))
    rollups.recompute_pending()
    # By hand: the opening base 30, plus 5 opened in July before August and 2 in August before September
    assert august(org).customer_base == 30 + 5
    november = RepMonthResult.objects.get(month=date(2017, 11, 1), employee=org.rep_a)
    assert november.customer_base == 30 + 5 + 2
    assert CompanyMonthResult.objects.get(month=date(2017, 11, 1)).customer_base == 30 + 5 + 2
    assert "rollups match" in check_rollups()


def test_setting_the_same_customer_base_again_marks_nothing(org, computed, unchanged):
    with unchanged():
        services.customer_base_set(employee=org.rep_a, opening_base=OPENING_BASE, counted_from=date(2017, 2, 1))
    assert stale_months() == []


def test_an_elimination_rule_change_marks_every_month_and_the_run_flags_by_the_new_rule(org, computed):
    rollups.elimination_rule_set(bottom_count="3", bottom_percent="10", warn_after=2, by=org.director.user)
    assert stale_months() == sorted(PlanMonth.objects.values_list("month", flat=True))
    rollups.recompute_pending()
    flagged = PeriodPlacing.objects.filter(period="month", first_month=AUGUST, flagged=True).count()
    ranked = PeriodPlacing.objects.filter(period="month", first_month=AUGUST, rank__isnull=False).count()
    assert flagged == min(3, ranked) and ranked >= 3
    assert "rollups match" in check_rollups()


def test_a_target_change_in_july_marks_july_and_the_months_after_it_only(org, computed):
    team_weights_set(plan_month=PlanMonth.objects.get(month=JULY), weights={org.team_a.pk: "3", org.team_b.pk: "1"},
                     by=org.director.user)
    assert stale_months() == [JULY, *LATER_THAN_JULY]
    assert RollupMonth.objects.get(month=JULY).stale_teams is None  # a target change: the whole month
    rollups.recompute_pending()
    july = RepMonthResult.objects.get(month=JULY, employee=org.rep_a)
    assert july.deposit_target == RepMonthTarget.objects.get(plan_month__month=JULY, employee=org.rep_a).deposit_target
    assert "rollups match" in check_rollups()


def test_a_membership_from_a_saturday_marks_the_month_its_week_counts_in(org, computed):
    # Saturday 2 September is in the week of Monday 28 August, which counts in August (Thursday 31 August)
    team_services.membership_start(employee=org.rep_b, team=org.team_a, starts_on=date(2017, 9, 2))
    assert stale_months()[0] == AUGUST


# --- months not begun are not ranked ----------------------------------------------------------------------------

NOT_BEGUN = [date(2017, 11, 1), date(2017, 12, 1), date(2018, 1, 1)]


def test_months_not_begun_have_no_ranks_flags_or_streaks(org, plan, settings):
    settings.AS_OF_DATE = date(2017, 10, 27)  # the demo's today: November's first week starts on 30 October
    rollups.elimination_rule_set(bottom_count="2", bottom_percent="10", warn_after=2, by=org.director.user)
    rollups.recompute_all()
    for month in NOT_BEGUN:
        assert not RepMonthResult.objects.filter(month=month).exclude(rank_in_company=None, rank_in_team=None).exists()
        assert not TeamMonthResult.objects.filter(month=month).exclude(rank=None).exists()
        assert not PeriodPlacing.objects.filter(period="month", first_month=month).exists()
        assert RepMonthResult.objects.filter(month=month).exists()  # the rows are there, unranked
    assert not PeriodPlacing.objects.filter(period="phase", first_month=date(2017, 11, 1)).exists()  # phase 4
    october = PeriodPlacing.objects.filter(period="month", first_month=date(2017, 10, 1))
    assert october.filter(flagged=True).count() == 2 and october.filter(rank__isnull=False).exists()
    assert PeriodPlacing.objects.filter(period="phase", first_month=date(2017, 8, 1), flagged=True).exists()
    assert "rollups match" in check_rollups()

    settings.AS_OF_DATE = date(2017, 10, 30)  # November has begun: the nightly run ranks it
    rollups.recompute_all()
    november = PeriodPlacing.objects.filter(period="month", first_month=date(2017, 11, 1))
    assert november.filter(flagged=True).count() == 2
    assert not RepMonthResult.objects.filter(month=date(2017, 11, 1), rank_in_company=None).exclude(
        attainment=None).exists()
    phase_4 = PeriodPlacing.objects.filter(period="phase", first_month=date(2017, 11, 1))
    assert phase_4.exists() and not PeriodPlacing.objects.filter(first_month=date(2017, 12, 1)).exists()
    assert "rollups match" in check_rollups()


def test_a_phase_counts_only_its_begun_months(org, plan, settings):
    settings.AS_OF_DATE = date(2017, 9, 15)  # phase 3 is August–October: August and September have begun
    enter(org, AUGUST_WEEK, new=100_000, existing=0, opened=0)
    enter(org, date(2017, 10, 9), new=900_000, existing=0, opened=0)  # October figures, entered early
    rollups.recompute_all()
    phase = PeriodPlacing.objects.get(period="phase", first_month=AUGUST, employee=org.rep_a)
    begun = RepMonthResult.objects.filter(employee=org.rep_a, month__in=[AUGUST, date(2017, 9, 1)])
    assert phase.total_deposits == 100_000 == sum(r.total_deposits for r in begun)
    assert phase.attainment == (Decimal(100_000) / sum(r.deposit_target for r in begun)).quantize(Decimal("0.000001"))
