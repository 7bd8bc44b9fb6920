"""The reading selectors: what waits for each role, in one query at any size; published results for the apps
that use them; an appraisal's history."""

from datetime import date

import pytest

from appraisals.models import Step
from appraisals.selectors import history, latest_result, published_results, to_act_on
from appraisals.services import cycles
from teams import access
from tests import factories
from tests.appraisals.conftest import LABELS, advance, appraisal_of, open_cycle, roll_up


def waiting(who) -> set[str]:
    return {a.employee.name for a in to_act_on(access.principal_of(who.user))}


def test_each_role_sees_what_waits_for_it(org, cycle):
    advance(org, appraisal_of(cycle, org.rep_a), Step.SELF_REVIEW)
    advance(org, appraisal_of(cycle, org.manager_b), Step.VERIFICATION)
    assert waiting(org.manager_a) == {org.mover.name}  # rep_a's goals are confirmed: their self review is next
    assert waiting(org.rep_a) == {org.rep_a.name}
    assert waiting(org.director) == {org.manager_a.name, org.manager_b.name}  # goals to set, evidence to verify
    assert waiting(org.hr) == set()
    assert waiting(org.rep_b) == set()


@pytest.mark.parametrize("extra_reps", [0, 6])
def test_to_act_on_is_one_query_at_any_size(org, plan, django_assert_num_queries, extra_reps):
    for _n in range(extra_reps):
        factories.employee(team=org.team_a)
    roll_up()
    open_cycle(org, plan)
    p = access.principal_of(org.manager_a.user)
    # 1. the appraisals whose step the manager holds, joined with employee, team, rater and cycle
    with django_assert_num_queries(1):
        assert len(to_act_on(p)) == 2 + extra_reps


def test_published_results_are_the_latest_first(org, plan):
    cycles.rating_labels_set(by=org.hr.user, labels=LABELS)
    roll_up()
    first = open_cycle(org, plan, name="三月", kind="monthly", first=date(2017, 3, 1), last=date(2017, 3, 1))
    second = open_cycle(org, plan, name="四月", kind="monthly", first=date(2017, 4, 1), last=date(2017, 4, 1))
    for cycle in (second, first):
        advance(org, appraisal_of(cycle, org.rep_a), Step.PUBLISHED)
    advance(org, appraisal_of(first, org.rep_b), Step.CONFIRMED)  # not published: not a result
    results = published_results([org.rep_a.pk, org.rep_b.pk])
    assert [r.cycle_name for r in results[org.rep_a.pk]] == ["四月", "三月"]
    assert org.rep_b.pk not in results
    assert latest_result(org.rep_a.pk).label_zh == "良好"


def test_history_lists_each_act_in_order(org, cycle):
    appraisal = advance(org, appraisal_of(cycle, org.rep_a), Step.RATING)
    assert [s.event.action for s in history(appraisal)] == ["confirm_goals", "submit_review", "verify"]
