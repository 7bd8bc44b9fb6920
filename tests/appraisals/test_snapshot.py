"""Data collection: the actuals frozen when the self review is submitted, a later correction changing nothing
frozen (only the notice), re-collection allowed before sign-off and refused after it, and stale months refused."""

from decimal import Decimal

import pytest

from appraisals.models import Goal, Step
from appraisals.selectors import figures_changed
from teams.errors import DomainError
from tests.appraisals.conftest import FEBRUARY_WEEK, act, advance, appraisal_of, enter, roll_up
from tests.snapshots import replayed


def actuals(appraisal) -> dict[str, Decimal]:
    return dict(Goal.objects.filter(appraisal=appraisal).values_list("metric", "actual"))


@pytest.fixture
def collected(org, cycle):
    """rep_a's appraisal in verification, their February figures frozen (5,000 deposits, 2 accounts)."""
    def build():
        enter(org, org.rep_a)
        roll_up()
        return advance(org, appraisal_of(cycle, org.rep_a), Step.VERIFICATION)

    return replayed("collected", build)


def test_submitting_the_self_review_freezes_the_rolled_up_figures(collected):
    assert actuals(collected) == {"total_deposits": Decimal("5000.00"), "accounts_opened": Decimal("2.00")}
    assert collected.snapshot_at is not None
    assert figures_changed(collected) == []


def test_a_correction_after_collection_changes_no_frozen_actual_and_shows_the_difference(org, collected):
    enter(org, org.rep_a, deposits=8000)
    roll_up()
    advance(org, collected, Step.CONFIRMED)
    assert actuals(collected)["total_deposits"] == Decimal("5000.00")
    (change,) = figures_changed(collected)
    assert (change.metric, change.frozen, change.current, change.difference) == (
        "total_deposits", Decimal("5000.00"), Decimal("8000.00"), Decimal("3000.00"))


def test_hr_may_collect_the_figures_again_before_sign_off(org, collected):
    enter(org, org.rep_a, deposits=8000)
    roll_up()
    again = act("recollect", collected, org.hr)
    assert actuals(again)["total_deposits"] == Decimal("8000.00")
    assert figures_changed(again) == []
    assert again.snapshot_at > collected.snapshot_at


def test_collecting_again_is_refused_once_the_rater_signed(org, collected, unchanged):
    advance(org, collected, Step.CONFIRMATION)
    enter(org, org.rep_a, deposits=8000)
    roll_up()
    with unchanged(), pytest.raises(DomainError) as refused:
        act("recollect", collected, org.hr)
    assert refused.value.field == "state"


def test_figures_are_not_collected_while_a_month_of_the_period_is_stale(org, cycle, unchanged):
    appraisal = advance(org, appraisal_of(cycle, org.rep_a), Step.SELF_REVIEW)
    enter(org, org.rep_a, week=FEBRUARY_WEEK)  # February goes stale until the rollups run
    with unchanged(), pytest.raises(DomainError) as refused:
        act("submit_review", appraisal, org.rep_a, text="述职", self_ratings={"total_deposits": 4,
                                                                             "accounts_opened": 4})
    assert refused.value.field == "figures" and "2017-02" in refused.value.message


def test_a_managers_actuals_are_their_teams_rollups(org, cycle):
    enter(org, org.rep_a)
    enter(org, org.leaver, deposits=1000, opened=1)
    roll_up()
    appraisal = advance(org, appraisal_of(cycle, org.manager_a), Step.VERIFICATION)
    assert actuals(appraisal) == {"total_deposits": Decimal("6000.00"), "accounts_opened": Decimal("3.00")}


def test_collection_is_one_query_for_every_goal_and_month(org, cycle, django_assert_num_queries):
    from appraisals.services.figures import collect

    appraisal = appraisal_of(cycle, org.mover)
    goals = list(appraisal.goals.all())
    # 1. the stale months of the period; 2. the sums of every goal's metric over the period's rows
    with django_assert_num_queries(2):
        collect(appraisal, goals)
