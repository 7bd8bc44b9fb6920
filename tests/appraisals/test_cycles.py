"""Opening a cycle: who is in scope (all of sales or chosen teams, leavers, managers rated by the director), the
movers' rater rule end to end, goals prefilled from the targets; adding and withdrawing a person; closing."""

from datetime import date

import pytest
from django.db.models import Sum

from appraisals.models import Appraisal, Step
from appraisals.services import cycles
from targets.models import RepMonthTarget, TeamMonthTarget
from teams.errors import DomainError
from tests.appraisals.conftest import act, advance, appraisal_of, open_cycle, roll_up


def people(cycle) -> dict[str, tuple[str, str, bool]]:
    return {a.employee.name: (a.team.name, a.rater.name, a.is_manager)
            for a in Appraisal.objects.filter(cycle=cycle).select_related("employee", "team", "rater")}


def test_all_of_sales_brings_every_rep_and_manager_but_not_the_leaver(org, cycle):
    a, b = org.team_a.name, org.team_b.name
    assert people(cycle) == {
        org.rep_a.name: (a, org.manager_a.name, False), org.rep_b.name: (b, org.manager_b.name, False),
        org.mover.name: (a, org.manager_a.name, False),  # Feb–May in A (120 days) against Jun–Jul in B (61)
        org.manager_a.name: (a, org.director.name, True), org.manager_b.name: (b, org.director.name, True),
    }


def test_a_mover_is_rated_by_the_manager_of_most_days(org, plan):
    roll_up()
    phase_two = open_cycle(org, plan, name="二阶段", kind="quarterly", first=date(2017, 5, 1), last=date(2017, 7, 1))
    mover = appraisal_of(phase_two, org.mover)  # May in A (31 days), Jun–Jul in B (61)
    assert (mover.team, mover.rater) == (org.team_b, org.manager_b)
    advance(org, mover, Step.PUBLISHED)  # the rater of most days rates, end to end
    with pytest.raises(DomainError):
        act("rate", mover, org.manager_a, goal_ratings={}, rating=3, comment="x")


def test_chosen_teams_bring_only_their_people(org, plan):
    chosen = open_cycle(org, plan, team_ids=[org.team_b.pk])
    assert set(people(chosen)) == {org.rep_b.name, org.mover.name, org.manager_b.name}


def test_a_leaver_is_in_a_cycle_ending_on_their_last_day(org, plan):
    march = open_cycle(org, plan, name="三月", kind="monthly", first=date(2017, 3, 1), last=date(2017, 3, 1))
    assert org.leaver.name in people(march)


def test_goals_start_with_the_cycles_metrics_and_the_period_targets(org, cycle):
    rep = appraisal_of(cycle, org.rep_a)
    months = {"plan_month__month__gte": date(2017, 2, 1), "plan_month__month__lte": date(2017, 7, 1)}
    expected = RepMonthTarget.objects.filter(employee=org.rep_a, **months).aggregate(s=Sum("deposit_target"))["s"]
    assert list(rep.goals.values_list("metric", "weight", "target")) == [
        ("total_deposits", 70, expected), ("accounts_opened", 30, None)]
    manager = appraisal_of(cycle, org.manager_a)
    team = TeamMonthTarget.objects.filter(team=org.team_a, **months).aggregate(s=Sum("deposit_target"))["s"]
    assert manager.goals.get(metric="total_deposits").target == team


def test_hr_adds_a_person_with_a_reason(org, cycle, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        cycles.cycle_person_add(by=org.hr.user, cycle_id=cycle.pk, employee_id=org.leaver.pk, reason="")
    assert refused.value.field == "reason"
    added = cycles.cycle_person_add(by=org.hr.user, cycle_id=cycle.pk, employee_id=org.leaver.pk, reason="补评")
    assert (added.state, added.rater, added.goals.count()) == (Step.GOALS, org.manager_a, 2)
    with unchanged(), pytest.raises(DomainError) as refused:
        cycles.cycle_person_add(by=org.hr.user, cycle_id=cycle.pk, employee_id=org.leaver.pk, reason="again")
    assert refused.value.field == "employee_id"


def test_a_cycle_closes_once_every_appraisal_is_finished(org, plan, unchanged):
    roll_up()
    march = open_cycle(org, plan, name="三月", kind="monthly", first=date(2017, 3, 1), last=date(2017, 3, 1),
                       team_ids=[org.team_b.pk])
    with unchanged(), pytest.raises(DomainError) as refused:
        cycles.cycle_close(by=org.hr.user, cycle_id=march.pk)
    assert refused.value.field == "cycle_id"
    for appraisal in Appraisal.objects.filter(cycle=march):
        act("withdraw", appraisal, org.hr, reason="试运行")
    assert cycles.cycle_close(by=org.hr.user, cycle_id=march.pk).status == "closed"


def test_hr_edits_the_rating_labels_but_not_their_order(org, unchanged):
    labels = {5: ("卓越", "Outstanding"), 4: ("良好", "Good"), 3: ("合格", "Fair"), 2: ("待改进", "Improve"),
              1: ("不合格", "Poor")}
    assert [r.label_zh for r in cycles.rating_labels_set(by=org.hr.user, labels=labels)][0] == "卓越"
    with unchanged(), pytest.raises(DomainError) as refused:
        cycles.rating_labels_set(by=org.hr.user, labels={5: ("卓越", "x")})
    assert refused.value.field == "labels"
    with unchanged(), pytest.raises(DomainError):
        cycles.rating_labels_set(by=org.director.user, labels=labels)
