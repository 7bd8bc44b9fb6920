"""A save in one team recomputes only what it must: that team's rows are rewritten, the others are
re-ranked in place, and the result equals a full recompute of the month."""

import io
from datetime import date

from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict

from kpis import services
from kpis.results import services as rollups
from kpis.results import statements
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
JUNE = date(2017, 6, 1)  # the mover leaves team A for team B on 1 June: a row in each team


def save(org, manager, team, amounts: dict, week=WEEK) -> None:
    rows = [services.RepWeekInput(rep.pk, {"new_customer_deposits": amount}) for rep, amount in amounts.items()]
    services.weekly_figures_save(week=week, rows=rows, by=manager.user, channel="grid", team=team)


def snapshot(month: date = MARCH) -> dict:
    """Every result row of the month without ids and timestamps."""
    def rows(model, key):
        return sorted((tuple(sorted((k, v) for k, v in model_to_dict(r).items() if k not in {"id", "computed_at"}))
                       for r in model.objects.filter(**{key: month})), key=str)
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


def check_rollups() -> str:
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    return out.getvalue()


def test_a_save_in_another_team_re_ranks_the_company_and_a_movers_two_rows_as_a_full_recompute_would(org, plan):
    save(org, org.manager_a, org.team_a, {org.rep_a: 80_000}, week=date(2017, 6, 12))
    save(org, org.manager_b, org.team_b, {org.mover: 40_000}, week=date(2017, 6, 12))
    rollups.recompute_all()
    rows = {(r.employee_id, r.team_id): r for r in RepMonthResult.objects.filter(month=JUNE)}
    assert {(org.mover.pk, org.team_a.pk), (org.mover.pk, org.team_b.pk)} <= set(rows)
    rep_a = rows[org.rep_a.pk, org.team_a.pk]

    save(org, org.manager_b, org.team_b, {org.rep_b: 900_000}, week=date(2017, 6, 19))
    assert RollupMonth.objects.get(month=JUNE).stale_teams == [org.team_b.pk]
    rollups.recompute_pending()
    # team A's rows are kept, but rep B overtaking rep A moves rep A's company rank, not the rank in team A
    after = RepMonthResult.objects.get(month=JUNE, employee=org.rep_a)
    assert (after.pk, after.rank_in_company, after.rank_in_team) == (rep_a.pk, rep_a.rank_in_company + 1,
                                                                      rep_a.rank_in_team)
    assert RepMonthResult.objects.get(month=JUNE, employee=org.rep_b).rank_in_company == 1
    mover = {r.team_id: r.rank_in_company for r in RepMonthResult.objects.filter(month=JUNE, employee=org.mover)}
    assert len(mover) == 2 and None not in mover.values() and len(set(mover.values())) == 2
    assert TeamMonthResult.objects.get(month=JUNE, team=org.team_b).rank == 1
    incremental = snapshot(JUNE)
    rollups.recompute_all([JUNE])
    assert snapshot(JUNE) == incremental
    assert "rollups match" in check_rollups()


def test_a_recompute_that_fails_half_way_leaves_the_rows_and_the_month_stale(org, plan, monkeypatch):
    save(org, org.manager_a, org.team_a, {org.rep_a: 50_000})
    rollups.recompute_all()
    before = snapshot()
    save(org, org.manager_a, org.team_a, {org.rep_a: 70_000}, week=date(2017, 3, 20))

    def lost(month, now):  # the team's rep rows are already rewritten when the connection goes
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM a_table_that_is_not_there")

    monkeypatch.setattr(statements, "company_row", lost)
    assert MARCH not in rollups.recompute_pending()  # the sweep records the failure and goes on
    assert snapshot() == before
    state = RollupMonth.objects.get(month=MARCH)
    assert state.pending and state.attempts == 1 and "a_table_that_is_not_there" in state.last_error
    monkeypatch.undo()
    rollups.rollups_retry_now([MARCH])  # skip the back-off, as the admin's action does
    assert rollups.recompute_pending()[0] == MARCH
    assert RepMonthResult.objects.get(month=MARCH, employee=org.rep_a).total_deposits == 120_000
