"""Bad input and out-of-turn acts: each refused with the field named and the rule said, nothing changed."""

from datetime import date

import pytest

from appraisals.models import Step
from appraisals.services import acts, cycles
from teams.errors import DomainError
from tests.appraisals.conftest import DEADLINES, act, advance, appraisal_of, open_cycle, ratings, roll_up


def _refused(unchanged, field: str, call, *args, **kwargs) -> DomainError:
    with unchanged(), pytest.raises(DomainError) as refused:
        call(*args, **kwargs)
    assert refused.value.field == field, refused.value.message
    return refused.value


@pytest.fixture
def rep_a(org, cycle):
    return appraisal_of(cycle, org.rep_a)


@pytest.mark.parametrize("weights", [(70, 20), (80, 40), (100, 0), (50.5, 49.5)])
def test_goal_weights_not_summing_to_100_are_refused(org, rep_a, unchanged, weights):
    goals = [{"metric": "total_deposits", "weight": weights[0], "target": 100},
             {"metric": "accounts_opened", "weight": weights[1], "target": 5}]
    error = _refused(unchanged, "weight", act, "save_goals", rep_a, org.manager_a, goals=goals)
    assert "100" in error.message


def test_a_goal_without_a_target_is_not_confirmed(org, rep_a, unchanged):
    _refused(unchanged, "target", act, "confirm_goals", rep_a, org.manager_a)  # accounts_opened has no target yet


def test_a_goal_of_an_unknown_metric_is_refused(org, rep_a, unchanged):
    goals = [{"metric": "attainment", "weight": 100, "target": 1}]
    _refused(unchanged, "goals", act, "save_goals", rep_a, org.manager_a, goals=goals)


@pytest.mark.parametrize(("field", "fields"), [
    ("rating", {"rating": 6}), ("rating", {"rating": 0}), ("rating", {"rating": "5"}),
    ("goal_ratings", {"goal_ratings": {"total_deposits": 7, "accounts_opened": 3}}),
    ("goal_ratings", {"goal_ratings": {"total_deposits": 3}}),
    ("comment", {"comment": "  "}),
    ("reason", {"rating": 1}),  # the goals rate 4: a rating of 1 is three levels away and gives no reason
])
def test_a_rating_off_the_scale_or_unexplained_is_refused(org, rep_a, unchanged, field, fields):
    advance(org, rep_a, Step.RATING)
    given = {"goal_ratings": ratings(rep_a), "rating": 4, "comment": "好", **fields}
    _refused(unchanged, field, act, "rate", rep_a, org.manager_a, **given)


def test_a_rating_far_from_the_computed_one_is_kept_with_its_reason(org, rep_a):
    advance(org, rep_a, Step.RATING)
    rated = act("rate", rep_a, org.manager_a, goal_ratings=ratings(rep_a, 2), rating=5, comment="好",
                reason="大客户贡献")
    assert (rated.score, rated.computed_rating, rated.rating, rated.rating_reason) == (2, 2, 5, "大客户贡献")


def test_frozen_goals_cannot_be_edited(org, rep_a, unchanged):
    advance(org, rep_a, Step.SELF_REVIEW)
    goals = [{"metric": "total_deposits", "weight": 100, "target": 1}]
    error = _refused(unchanged, "state", act, "save_goals", rep_a, org.manager_a, goals=goals)
    assert "Self review" in error.message


@pytest.mark.parametrize(("action", "who", "fields"), [
    ("verify", "hr", {}), ("rate", "manager_a", {"goal_ratings": {}, "rating": 4, "comment": "x"}),
    ("submit_review", "rep_a", {"text": "x", "self_ratings": {}}), ("publish", "hr", {}),
])
def test_an_act_on_a_step_that_is_not_current_is_refused(org, rep_a, unchanged, action, who, fields):
    _refused(unchanged, "state", act, action, rep_a, org.by_role(who), **fields)


def test_publishing_an_unconfirmed_appraisal_is_refused(org, rep_a, unchanged):
    advance(org, rep_a, Step.CONFIRMATION)
    _refused(unchanged, "state", act, "publish", rep_a, org.hr)


def test_a_rep_cannot_rate_themselves(org, rep_a, unchanged):
    advance(org, rep_a, Step.RATING)
    error = _refused(unchanged, "action", act, "rate", rep_a, org.rep_a, goal_ratings=ratings(rep_a), rating=5,
                     comment="我很好")
    assert "rater" in error.message


def test_a_manager_cannot_act_on_another_teams_appraisal(org, rep_a, unchanged):
    _refused(unchanged, "appraisal_id", act, "confirm_goals", rep_a, org.manager_b)


def test_a_second_act_on_the_same_version_is_refused_naming_who_acted(org, rep_a, unchanged):
    advance(org, rep_a, Step.CONFIRMATION)
    rep_a.refresh_from_db()
    read = rep_a.version
    acts.appraisal_confirm(by=org.rep_a.user, appraisal_id=rep_a.pk, version=read)
    error = _refused(unchanged, "version", acts.appraisal_disagree, by=org.rep_a.user, appraisal_id=rep_a.pk,
                     version=read, comment="不同意")
    assert org.rep_a.name in error.message and "Confirm the result" in error.message
    rep_a.refresh_from_db()
    assert (rep_a.state, rep_a.disagreement) == (Step.CONFIRMED, "")


def test_a_deadline_before_the_period_starts_is_refused(org, plan, unchanged):
    deadlines = {**DEADLINES, "goals": date(2017, 1, 20)}
    error = _refused(unchanged, "deadlines", open_cycle, org, plan, deadlines=deadlines)
    assert "2017-02-01" in error.message


def test_deadlines_out_of_the_steps_order_are_refused(org, cycle, unchanged):
    deadlines = {**DEADLINES, "rating": date(2017, 8, 1)}
    _refused(unchanged, "deadlines", cycles.deadlines_set, by=org.hr.user, cycle_id=cycle.pk, deadlines=deadlines)


@pytest.mark.parametrize(("field", "options"), [
    ("first_month", {"kind": "quarterly"}),  # Feb–Jul is two phases
    ("kind", {"kind": "weekly"}),
    ("goal_metrics", {"goal_metrics": [{"metric": "total_deposits", "weight": 90}]}),
    ("goal_metrics", {"goal_metrics": [{"metric": "close_rate", "weight": 100}]}),
    ("team_ids", {"team_ids": [987654]}),
    ("name", {"name": " "}),
])
def test_a_cycle_with_bad_input_is_not_opened(org, plan, unchanged, field, options):
    _refused(unchanged, field, open_cycle, org, plan, **options)


def test_only_hr_opens_a_cycle(org, plan, unchanged):
    with unchanged(), pytest.raises(DomainError):
        cycles.cycle_open(by=org.director.user, name="x", kind="monthly", plan=plan, first_month=date(2017, 3, 1),
                          last_month=date(2017, 3, 1), goal_metrics=[{"metric": "total_deposits", "weight": 100}],
                          deadlines={})


def test_an_annual_rating_needs_every_ability_condition(org, plan, unchanged):
    roll_up()
    annual = open_cycle(org, plan, name="2017 年度", kind="annual", first=date(2017, 2, 1), last=date(2018, 1, 1))
    appraisal = appraisal_of(annual, org.rep_a)
    advance(org, appraisal, Step.RATING)
    base = {"goal_ratings": ratings(appraisal), "rating": 4, "comment": "好"}
    _refused(unchanged, "ability", act, "rate", appraisal, org.manager_a, **base)
    _refused(unchanged, "ability", act, "rate", appraisal, org.manager_a,
             ability={c: (6, "") for c in ("skills", "experience", "conduct", "contribution", "potential")}, **base)
    ability = {c: (4, "稳定") for c in ("skills", "experience", "conduct", "contribution", "potential")}
    rated = act("rate", appraisal, org.manager_a, ability=ability, **base)
    assert rated.ability_scores.count() == 5
