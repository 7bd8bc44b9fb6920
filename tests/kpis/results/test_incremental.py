"""A save in one team recomputes only what it must: that team's rows are rewritten, the others are
re-ranked in place, and the result equals a full recompute of the month."""

from datetime import date

from django.forms.models import model_to_dict

from kpis import services
from kpis.results import services as rollups
from kpis.results.models import (
    CompanyMonthResult,
    PeriodPlacing,
    RepMonthResult,
    RollupMonth,
    TeamMonthResult,
    TeamWeekResult,
)

MARCH = date(2017, 3, 1)
WEEK = date(2017, 3, 13)


def save(org, manager, team, amounts: dict, week=WEEK) -> None:
    rows = [services.RepWeekInput(rep.pk, {"new_customer_deposits": amount}) for rep, amount in amounts.items()]
    services.weekly_figures_save(week=week, rows=rows, by=manager.user, channel="grid", team=team)


def snapshot() -> dict:
    """Every result row of March without ids and timestamps."""
    def rows(model, key):
        return sorted((tuple(sorted((k, v) for k, v in model_to_dict(r).items() if k not in {"id", "computed_at"}))
                       for r in model.objects.filter(**{key: MARCH})), key=str)
    return {"reps": rows(RepMonthResult, "month"), "teams": rows(TeamMonthResult, "month"),
            "company": rows(CompanyMonthResult, "month"), "weeks": rows(TeamWeekResult, "month"),
            "placings": rows(PeriodPlacing, "first_month")}


def test_a_save_in_one_team_rewrites_only_that_teams_rows(org, plan):
    save(org, org.manager_a, org.team_a, {org.rep_a: 50_000, org.mover: 20_000})
    save(org, org.manager_b, org.team_b, {org.rep_b: 30_000})
    rollups.recompute_all()  # every month current
    team_b_rows = {r.pk: r.computed_at for r in RepMonthResult.objects.filter(month=MARCH, team=org.team_b)}

    save(org, org.manager_a, org.team_a, {org.rep_a: 5_000}, week=date(2017, 3, 20))
    state = RollupMonth.objects.get(month=MARCH)
    assert state.pending and state.stale_teams == [org.team_a.pk]
    # the later months read March (growth, customer base, streaks): they are due whole
    assert {s.month: s.stale_teams for s in RollupMonth.objects.filter(month__gt=MARCH)} == {
        **{date(2017, m, 1): None for m in range(4, 13)}, date(2018, 1, 1): None}
    assert rollups.recompute_pending() == [*(date(2017, m, 1) for m in range(3, 13)), date(2018, 1, 1)]

    after_b = {r.pk: r.computed_at for r in RepMonthResult.objects.filter(month=MARCH, team=org.team_b)}
    assert after_b == team_b_rows  # the other team's rows were not rewritten
    incremental = snapshot()
    rollups.recompute_all([MARCH])
    assert snapshot() == incremental  # and the result is what a full recompute gives
    rep_a = RepMonthResult.objects.get(month=MARCH, employee=org.rep_a)
    assert rep_a.total_deposits == 55_000 and rep_a.rank_in_company == 1


def test_saves_in_two_teams_before_a_run_widen_the_scope(org, plan):
    save(org, org.manager_a, org.team_a, {org.rep_a: 50_000})
    rollups.recompute_all([MARCH])
    save(org, org.manager_a, org.team_a, {org.rep_a: 60_000}, week=date(2017, 3, 20))
    save(org, org.manager_b, org.team_b, {org.rep_b: 200_000})
    assert RollupMonth.objects.get(month=MARCH).stale_teams == sorted([org.team_a.pk, org.team_b.pk])
    rollups.recompute_pending()
    incremental = snapshot()
    rollups.recompute_all([MARCH])
    assert snapshot() == incremental
    assert RepMonthResult.objects.get(month=MARCH, employee=org.rep_b).rank_in_company == 1


def test_a_target_change_makes_the_whole_month_due(org, plan):
    save(org, org.manager_a, org.team_a, {org.rep_a: 50_000})
    rollups.recompute_all([MARCH])
    save(org, org.manager_a, org.team_a, {org.rep_a: 60_000}, week=date(2017, 3, 20))
    rollups.months_stale([MARCH])  # what a target or membership change announces
    assert RollupMonth.objects.get(month=MARCH).stale_teams is None
