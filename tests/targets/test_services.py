"""Plan and target writes on PostgreSQL: the 2017 plan, exact splits, weights, revisions and reconciliation."""

from datetime import date

import pytest
from django.db.models import Sum

from targets import demo, selectors, services
from targets.models import (
    Phase,
    PlanMonth,
    PlanYear,
    RepMonthTarget,
    RepWeekTarget,
    TargetProposal,
    TargetRevision,
    TeamMonthTarget,
    TeamWeight,
)
from targets.services import PhaseSpec
from teams.errors import DomainError
from teams.models import StateEvent
from tests import factories


def team_targets(plan_month: PlanMonth) -> dict[str, int]:
    return dict(plan_month.team_targets.values_list("team__name", "deposit_target"))


def rep_target(plan_month: PlanMonth, employee, team=None) -> int:
    rows = plan_month.rep_targets.filter(employee=employee)
    return rows.filter(team=team).get().deposit_target if team else rows.get().deposit_target


def months_of(employee, team) -> list[date]:
    return list(RepMonthTarget.objects.filter(employee=employee, team=team)
                .order_by("plan_month__month").values_list("plan_month__month", flat=True))


# --- the 2017 plan and its exact splits ----------------------------------------------------


def test_2017_plan_has_the_seeds_phase_and_year_totals(draft_plan):
    overview = selectors.plan_overview(draft_plan)
    assert [p.deposit_target for p in overview.phases] == [3_000_000, 3_600_000, 3_700_000, 3_700_000]
    assert overview.deposit_target == 14_000_000
    assert [m.month for m in overview.months] == [date(2017, m, 1) for m in range(2, 13)] + [date(2018, 1, 1)]


def test_approved_plan_team_targets_add_up_to_every_month(plan):
    months = PlanMonth.objects.filter(plan=plan).annotate(teams=Sum("team_targets__deposit_target"))
    assert len(months) == 12
    assert all(m.teams == m.deposit_target for m in months)


def test_every_teams_rep_targets_add_up_to_the_team_target(plan):
    rows = TeamMonthTarget.objects.filter(plan_month__plan=plan)
    teams = {(t.plan_month_id, t.team_id): t.deposit_target for t in rows}
    reps = RepMonthTarget.objects.filter(plan_month__plan=plan).values("plan_month", "team").annotate(
        total=Sum("deposit_target"))
    assert len(teams) == 24
    assert {(r["plan_month"], r["team"]): r["total"] for r in reps} == teams


def test_every_reps_week_targets_add_up_to_the_rep_month_target(plan):
    months = {(r.plan_month_id, r.team_id, r.employee_id): r.deposit_target
              for r in RepMonthTarget.objects.filter(plan_month__plan=plan)}
    weeks = RepWeekTarget.objects.filter(plan_month__plan=plan).values("plan_month", "team", "employee").annotate(
        total=Sum("deposit_target"))
    assert {(w["plan_month"], w["team"], w["employee"]): w["total"] for w in weeks} == months


def test_october_2017_week_of_national_day_has_zero_targets_for_every_rep(org, plan, month_of):
    october = month_of(2017, 10)
    reps = set(october.rep_targets.values_list("employee", flat=True))
    holiday_week = RepWeekTarget.objects.filter(plan_month=october, week=date(2017, 10, 2))
    assert reps == {org.rep_a.pk, org.rep_b.pk, org.mover.pk}
    assert set(holiday_week.values_list("employee", flat=True)) == reps
    assert set(holiday_week.values_list("deposit_target", flat=True)) == {0}
    working_weeks = RepWeekTarget.objects.filter(plan_month=october, deposit_target__gt=0).values("week").distinct()
    assert working_weeks.count() == 3


def test_mid_month_joiner_gets_a_pro_rata_smaller_target(org, draft_plan, month_of):
    joiner = factories.employee(team=org.team_a, hired=date(2017, 3, 15))
    services.plan_approve(plan=draft_plan, version=draft_plan.version, by=org.director.user)
    march = month_of(2017, 3)
    full, joined = rep_target(march, org.rep_a), rep_target(march, joiner)
    # Plan-month March runs 27 Feb – 2 Apr: 26 working days (1 Apr is a make-up day); the joiner works 14.
    assert joined < full
    assert abs(joined * 26 - full * 14) < 26


def test_rep_who_moved_in_june_has_old_team_rows_until_the_move_and_new_team_rows_after(org, plan, month_of):
    may_and_before = [date(2017, m, 1) for m in range(2, 6)]
    june_on = [date(2017, m, 1) for m in range(6, 13)] + [date(2018, 1, 1)]
    # The week of Monday 29 May has its Thursday in June, so 31 May (in team A) belongs to plan-month June.
    assert months_of(org.mover, org.team_a) == [*may_and_before, date(2017, 6, 1)]
    assert months_of(org.mover, org.team_b) == june_on
    june = month_of(2017, 6)
    assert rep_target(june, org.mover, org.team_a) < rep_target(june, org.mover, org.team_b)
    weeks = RepWeekTarget.objects.filter(employee=org.mover, deposit_target__gt=0)
    assert max(weeks.filter(team=org.team_a).values_list("week", flat=True)) == date(2017, 5, 29)
    assert min(weeks.filter(team=org.team_b).values_list("week", flat=True)) == date(2017, 5, 29)


def test_plan_starting_in_january_with_two_phases_of_six_months_is_created_and_approved(org, calendar):
    plan = services.plan_create(name="2025年度计划", first_month=date(2025, 1, 1),
                                phases=[PhaseSpec("上半年", 6), PhaseSpec("下半年", 6)],
                                month_targets=[1_000_000] * 6 + [1_500_000] * 6, by=org.director.user)
    plan = services.plan_approve(plan=plan, version=plan.version, by=org.director.user)
    overview = selectors.plan_overview(plan)
    assert [(p.phase.name, len(p.months), p.deposit_target) for p in overview.phases] == [
        ("上半年", 6, 6_000_000), ("下半年", 6, 9_000_000)]
    assert overview.months[-1].month == date(2025, 12, 1)
    assert all(selectors.team_month_total(m) == m.deposit_target for m in overview.months)


# --- weights --------------------------------------------------------------------------------


def test_a_ramp_of_one_half_halves_a_reps_share(org, plan, month_of):
    july = month_of(2017, 7)
    services.rep_weights_set(plan_month=july, team=org.team_b, weights={org.mover.pk: "0.5"}, by=org.manager_b.user)
    assert team_targets(july)["猛虎队"] == 800_000
    assert (rep_target(july, org.rep_b), rep_target(july, org.mover)) == (533_333, 266_667)


def test_team_weight_override_replaces_headcount(org, plan, month_of):
    august = month_of(2017, 8)
    assert team_targets(august) == {"先锋队": 400_000, "猛虎队": 800_000}  # by headcount: 1 rep and 2 reps
    services.team_weights_set(plan_month=august, weights={org.team_a.pk: "3", org.team_b.pk: "1"},
                              by=org.director.user)
    assert team_targets(august) == {"先锋队": 900_000, "猛虎队": 300_000}
    assert (rep_target(august, org.rep_b), rep_target(august, org.mover)) == (150_000, 150_000)


def test_all_zero_team_weights_are_refused_and_nothing_is_saved(org, plan, month_of, unchanged):
    august = month_of(2017, 8)
    services.team_weights_set(plan_month=august, weights={org.team_a.pk: "3"}, by=org.director.user)
    before = team_targets(august)
    with unchanged(), pytest.raises(DomainError) as refused:
        services.team_weights_set(plan_month=august, weights={org.team_a.pk: "0", org.team_b.pk: "0"},
                                  by=org.director.user)
    assert refused.value.field == "weights"
    assert list(TeamWeight.objects.values_list("team", "weight")) == [(org.team_a.pk, 3)]
    assert team_targets(august) == before


def test_all_zero_rep_weights_are_refused(org, plan, month_of, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        services.rep_weights_set(plan_month=month_of(2017, 7), team=org.team_b,
                                 weights={org.rep_b.pk: 0, org.mover.pk: "0.000"}, by=org.manager_b.user)
    assert refused.value.field == "weights"


@pytest.mark.parametrize("weight", ["NaN", "Infinity", "1000"])
def test_a_weight_that_is_not_finite_or_too_large_is_refused_on_its_field(org, plan, month_of, weight, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        services.rep_weights_set(plan_month=month_of(2017, 7), team=org.team_b, weights={org.mover.pk: weight},
                                 by=org.manager_b.user)
    assert refused.value.field == f"weights.{org.mover.pk}"


# --- plan edits: validation, revisions, versions -------------------------------------------


def create(org, **changes) -> PlanYear:
    values = {"name": "2019年度计划", "first_month": date(2019, 2, 1), "phases": demo.PHASES_2017,
              "month_targets": list(demo.TARGETS_2017), "by": org.director.user} | changes
    return services.plan_create(**values)


def with_target(index: int, value: object) -> list[object]:
    targets: list[object] = list(demo.TARGETS_2017)
    targets[index] = value
    return targets


@pytest.mark.parametrize(("changes", "field"), [
    ({"phases": [PhaseSpec("一", 6), PhaseSpec("二", 5)]}, "phases"),
    ({"phases": [PhaseSpec("一", 6), PhaseSpec("二", 0), PhaseSpec("三", 6)]}, "phases.1.month_count"),
    ({"phases": [PhaseSpec(" ", 12)]}, "phases.0.name"),
    ({"month_targets": with_target(2, -1)}, "months.2"),
    ({"month_targets": with_target(0, "一百万")}, "months.0"),
    ({"month_targets": with_target(5, "1000.5")}, "months.5"),
    ({"month_targets": demo.TARGETS_2017[:11]}, "months"),
    ({"first_month": date(2019, 2, 15)}, "first_month"),
    ({"name": "  "}, "name"),
])
def test_bad_plan_is_refused_on_its_field_and_nothing_is_written(org, calendar, changes, field, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        create(org, **changes)
    assert refused.value.field == field
    assert (PlanYear.objects.count(), Phase.objects.count(), PlanMonth.objects.count()) == (0, 0, 0)


def test_plan_overlapping_another_plan_year_is_refused(org, draft_plan, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        create(org, first_month=date(2018, 1, 1))
    assert refused.value.field == "first_month"
    assert PlanYear.objects.count() == 1 and PlanMonth.objects.count() == 12


def test_plan_starting_the_month_after_the_last_is_accepted(org, draft_plan):
    assert create(org, first_month=date(2018, 2, 1)).months.count() == 12


def test_target_too_large_for_the_database_is_refused_on_its_field(org, calendar, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        create(org, month_targets=with_target(3, "1e19"))
    assert refused.value.field == "months.3"


def update(plan: PlanYear, by, *, version: int | None = None, reason: str = "", **targets: int) -> PlanYear:
    """Update the plan with month targets changed by index (m0 … m11)."""
    values = list(demo.TARGETS_2017)
    for key, value in targets.items():
        values[int(key[1:])] = value
    return services.plan_update(plan=plan, version=plan.version if version is None else version,
                                phases=demo.PHASES_2017, month_targets=values, reason=reason, by=by)


def test_editing_an_approved_plan_without_a_reason_is_refused(org, plan, month_of, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        update(plan, org.director.user, m7=1_600_000)
    assert refused.value.field == "reason"
    plan.refresh_from_db()
    assert (plan.version, month_of(2017, 9).deposit_target, TargetRevision.objects.count()) == (2, 1_500_000, 0)


def test_editing_an_approved_plan_records_a_revision_per_changed_month_and_resplits_it(org, plan, month_of):
    august_rows = set(month_of(2017, 8).team_targets.values_list("pk", flat=True))
    update(plan, org.director.user, reason="国庆提前备战", m7=1_600_000, m8=900_000)
    revisions = TargetRevision.objects.order_by("plan_month__month")
    assert [(r.plan_month.month, r.old_target, r.new_target, r.revised_by, r.reason) for r in revisions] == [
        (date(2017, 9, 1), 1_500_000, 1_600_000, org.director.user, "国庆提前备战"),
        (date(2017, 10, 1), 1_000_000, 900_000, org.director.user, "国庆提前备战")]
    september = month_of(2017, 9)
    assert september.deposit_target == 1_600_000 and selectors.team_month_total(september) == 1_600_000
    assert september.rep_targets.aggregate(s=Sum("deposit_target"))["s"] == 1_600_000
    assert set(month_of(2017, 8).team_targets.values_list("pk", flat=True)) == august_rows  # not re-split


def test_stale_version_is_refused_and_nothing_changes(org, plan, month_of, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        update(plan, org.director.user, version=1, reason="旧页面", m7=1_600_000)
    assert refused.value.field == "version"
    plan.refresh_from_db()
    assert (plan.version, month_of(2017, 9).deposit_target, TargetRevision.objects.count()) == (2, 1_500_000, 0)


def test_approving_with_a_stale_version_is_refused(org, draft_plan, unchanged):
    update(draft_plan, org.director.user, m0=900_000)
    with unchanged(), pytest.raises(DomainError) as refused:
        services.plan_approve(plan=draft_plan, version=1, by=org.general_manager.user)
    assert refused.value.field == "version"
    assert PlanYear.objects.get().status == PlanYear.Status.DRAFT and not TeamMonthTarget.objects.exists()


def plan_moves() -> list[tuple]:
    return list(StateEvent.objects.order_by("pk").values_list("subject_type", "subject_id", "action", "from_state",
                                                             "to_state", "by"))


def test_approving_writes_one_approve_event_with_who_and_from_and_to(org, draft_plan, unchanged):
    approved = services.plan_approve(plan=draft_plan, version=draft_plan.version, by=org.general_manager.user)
    assert plan_moves() == [("targets.planyear", approved.pk, "approve", "draft", "approved",
                             org.general_manager.user.pk)]
    assert (approved.approved_by, approved.approved_at) == (org.general_manager.user, StateEvent.objects.get().at)
    # approving again changes nothing and writes no second event
    with unchanged():
        services.plan_approve(plan=approved, version=approved.version, by=org.director.user)
    assert StateEvent.objects.count() == 1
    assert [(s.action, s.source, s.target) for s in selectors.approval_history(approved)] == [
        ("Approve", "Draft", "Approved")]


@pytest.mark.parametrize("role", ["hr", "manager_a", "rep_a"])
def test_a_refused_approval_says_who_may_and_writes_nothing(org, draft_plan, role, unchanged):
    only = "Only the general manager or the sales director approves a plan."
    with unchanged(), pytest.raises(DomainError, match=only):
        services.plan_approve(plan=draft_plan, version=draft_plan.version, by=org.by_role(role).user)
    plan = PlanYear.objects.get()
    assert (plan.status, plan.version, plan.approved_by) == (PlanYear.Status.DRAFT, draft_plan.version, None)
    assert not StateEvent.objects.exists() and not TeamMonthTarget.objects.exists()


def test_a_stale_approval_writes_no_event(org, draft_plan, unchanged):
    update(draft_plan, org.director.user, m0=900_000)
    with unchanged(), pytest.raises(DomainError):
        services.plan_approve(plan=draft_plan, version=1, by=org.general_manager.user)
    assert not StateEvent.objects.exists()


def test_the_backfill_writes_the_approve_event_of_plans_approved_before_events_once(org, plan):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("targets.migrations.0003_backfill_plan_approval_events").backfill
    StateEvent.objects.all().delete()  # as before the events existed
    backfill(apps, None)
    backfill(apps, None)
    plan.refresh_from_db()
    assert plan_moves() == [("targets.planyear", plan.pk, "approve", "draft", "approved", plan.approved_by_id)]
    assert StateEvent.objects.get().at == plan.approved_at


def test_editing_a_draft_plans_targets_keeps_proposals_and_weights(org, draft_plan, month_of):
    august = month_of(2017, 8)
    services.proposal_submit(plan_month=august, team=org.team_a, proposed_target=500_000, by=org.manager_a.user)
    services.team_weights_set(plan_month=august, weights={org.team_a.pk: "2"}, by=org.director.user)
    update(draft_plan, org.director.user, m0=900_000)
    assert TargetProposal.objects.count() == 1 and TeamWeight.objects.count() == 1

# --- reconciliation: bottom-up proposals, top-down decision --------------------------------


def propose(org, plan_month: PlanMonth, team_a: int, team_b: int) -> None:
    services.proposal_submit(plan_month=plan_month, team=org.team_a, proposed_target=team_a, by=org.manager_a.user)
    services.proposal_submit(plan_month=plan_month, team=org.team_b, proposed_target=team_b, by=org.manager_b.user)


def decisions(plan_month: PlanMonth) -> list[tuple[str, int, str]]:
    rows = plan_month.proposals.order_by("proposed_at")
    return list(rows.values_list("team__name", "proposed_target", "decision"))


def test_accepted_proposals_become_the_team_targets_when_they_add_up(org, plan, month_of):
    august = month_of(2017, 8)
    propose(org, august, 500_000, 700_000)
    assert services.proposals_decide(plan_month=august, accept=True, by=org.director.user) == 2
    assert team_targets(august) == {"先锋队": 500_000, "猛虎队": 700_000}
    assert august.rep_targets.filter(team=org.team_b).aggregate(s=Sum("deposit_target"))["s"] == 700_000


def test_accepted_proposals_are_scaled_to_the_plan_month_when_they_do_not_add_up(org, plan, month_of):
    august = month_of(2017, 8)
    propose(org, august, 100_000, 300_000)
    services.proposals_decide(plan_month=august, accept=True, by=org.director.user)
    assert team_targets(august) == {"先锋队": 300_000, "猛虎队": 900_000}


def test_keeping_top_down_leaves_the_split_and_records_the_decision(org, plan, month_of):
    august = month_of(2017, 8)
    propose(org, august, 500_000, 700_000)
    services.proposals_decide(plan_month=august, accept=False, by=org.director.user)
    assert team_targets(august) == {"先锋队": 400_000, "猛虎队": 800_000}
    assert set(august.proposals.values_list("decision", "decided_by")) == {("kept_top_down", org.director.user.pk)}


def test_every_proposal_and_decision_stays_on_record(org, plan, month_of):
    august = month_of(2017, 8)
    propose(org, august, 500_000, 700_000)
    services.proposals_decide(plan_month=august, accept=True, by=org.director.user)
    propose(org, august, 600_000, 600_000)
    services.proposals_decide(plan_month=august, accept=False, by=org.director.user)
    assert decisions(august) == [("先锋队", 500_000, "accepted"), ("猛虎队", 700_000, "accepted"),
                                 ("先锋队", 600_000, "kept_top_down"), ("猛虎队", 600_000, "kept_top_down")]
    assert team_targets(august) == {"先锋队": 500_000, "猛虎队": 700_000}  # the accepted round still stands


def test_accepting_is_refused_while_a_staffed_team_has_not_proposed(org, plan, month_of, unchanged):
    august = month_of(2017, 8)
    services.proposal_submit(plan_month=august, team=org.team_a, proposed_target=500_000, by=org.manager_a.user)
    with unchanged(), pytest.raises(DomainError) as refused:
        services.proposals_decide(plan_month=august, accept=True, by=org.director.user)
    assert refused.value.field == "proposals" and "猛虎队" in refused.value.message
    assert decisions(august) == [("先锋队", 500_000, "pending")]
    assert team_targets(august) == {"先锋队": 400_000, "猛虎队": 800_000}


def test_accepting_a_later_round_needs_a_live_proposal_from_every_staffed_team(org, plan, month_of, unchanged):
    august = month_of(2017, 8)
    propose(org, august, 500_000, 700_000)
    services.proposals_decide(plan_month=august, accept=False, by=org.director.user)
    services.proposal_submit(plan_month=august, team=org.team_b, proposed_target=900_000, by=org.manager_b.user)
    with unchanged(), pytest.raises(DomainError) as refused:
        services.proposals_decide(plan_month=august, accept=True, by=org.director.user)
    assert refused.value.field == "proposals"


def test_manager_cannot_propose_for_another_team(org, plan, month_of, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        services.proposal_submit(plan_month=month_of(2017, 8), team=org.team_b, proposed_target=1,
                                 by=org.manager_a.user)
    assert refused.value.field == "team"
    assert not TargetProposal.objects.exists()
