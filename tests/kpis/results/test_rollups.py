"""Monthly rollups on PostgreSQL, from figures saved through the service: sums, targets, attainment, missing
weeks, movers, idempotence, phase and year totals, growth, ranking with ties, exclusions, bottom flags and
consecutive flags, and a run interrupted half-way.
"""

import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from kpis import services
from kpis.metrics import ENTERED
from kpis.models import Channel, WeeklyFigures
from kpis.results import services as rollups
from kpis.results import statements
from kpis.results.models import (
    CompanyMonthResult,
    EliminationRule,
    PeriodPlacing,
    RepMonthResult,
    RollupMonth,
    TeamMonthResult,
    TeamWeekResult,
)
from targets import services as target_services
from targets.calculations import weeks_of_month
from targets.models import PlanMonth, RepMonthTarget, TeamMonthTarget
from teams import services as team_services
from teams.errors import DomainError
from tests import factories

JULY, AUGUST, OCTOBER = date(2017, 7, 1), date(2017, 8, 1), date(2017, 10, 1)
ENTERED_CODES = [m.code for m in ENTERED]
SIX_PLACES = Decimal("0.000001")


def figures(deposits: object = 0, *, existing: object = 0, opened: int = 0, engaged: int = 0, new: int = 0,
            volume: object = 0) -> dict[str, object]:
    """Return one rep-week of entered values (new-customer deposits first: most tests only need those)."""
    return {"new_customers": new, "engaged_customers": engaged, "accounts_opened": opened,
            "new_customer_deposits": deposits, "existing_customer_deposits": existing, "trading_volume": volume}


def enter(org, employee, week: date, values: dict[str, object]) -> None:
    """Save one rep-week through the service, as the director (who may change every team)."""
    services.weekly_figures_save(week=week, rows=[services.RepWeekInput(employee.pk, values)],
                                 by=org.director.user, channel=Channel.GRID)


def rep_row(employee, month: date, team=None) -> RepMonthResult:
    rows = RepMonthResult.objects.filter(employee=employee, month=month)
    return rows.get(team=team) if team is not None else rows.get()


def rep_target(employee, month: date, team) -> int:
    return RepMonthTarget.objects.get(employee=employee, team=team, plan_month__month=month).deposit_target


def snapshot() -> dict[str, list[tuple]]:
    """Return every rollup row's values (not ids, not computed_at), in a stable order."""
    def rows(model) -> list[tuple]:
        names = [f.attname for f in model._meta.concrete_fields if f.name not in {"id", "computed_at"}]
        return sorted(model.objects.values_list(*names), key=repr)

    return {"rep": rows(RepMonthResult), "team": rows(TeamMonthResult), "company": rows(CompanyMonthResult),
            "placings": rows(PeriodPlacing), "team_weeks": rows(TeamWeekResult)}


def raw_sum(code: str, weeks: list[date], **filters) -> Decimal:
    return WeeklyFigures.objects.filter(week__in=weeks, **filters).aggregate(s=Sum(code))["s"] or Decimal(0)


# --- sums, targets, attainment --------------------------------------------------------------------


def test_a_rep_row_sums_the_weeks_whose_thursday_falls_in_the_month(org, plan):
    weeks = {date(2017, 7, 24): 1, date(2017, 7, 31): 2, date(2017, 8, 7): 3, date(2017, 8, 28): 4,
             date(2017, 9, 4): 5}
    for week, n in weeks.items():
        enter(org, org.rep_a, week, figures(f"{n}0000.25", existing=n * 1000, opened=n, engaged=2 * n, new=3 * n,
                                            volume=n * 7))
    rollups.recompute_month(AUGUST)

    row = rep_row(org.rep_a, AUGUST)
    august = [2, 3, 4]  # 31 July (Thursday 3 August) and 28 August (Thursday 31 August) count for August
    assert row.team == org.team_a
    assert (row.new_customers, row.engaged_customers, row.accounts_opened) == (27, 18, 9)
    assert row.new_customer_deposits == sum(Decimal(f"{n}0000.25") for n in august) == Decimal("90000.75")
    assert (row.existing_customer_deposits, row.trading_volume) == (9000, 63)
    assert row.total_deposits == Decimal("99000.75")
    assert (row.weeks_reported, row.weeks_missing) == (3, 2)  # 14 and 21 August not reported
    target = rep_target(org.rep_a, AUGUST, org.team_a)
    assert row.deposit_target == target == 400_000
    assert row.attainment == (Decimal("99000.75") / target).quantize(SIX_PLACES)
    assert row.close_rate == (Decimal(9) / 18).quantize(SIX_PLACES)


def test_team_and_company_rows_are_the_sums_of_their_members(org, plan):
    services.customer_base_set(employee=org.rep_a, opening_base=12, counted_from=date(2017, 2, 1))
    for week, rep, amount in [(date(2017, 7, 31), org.rep_a, 1000), (date(2017, 8, 7), org.rep_a, 2000),
                              (date(2017, 8, 7), org.mover, 4000), (date(2017, 8, 14), org.rep_b, 8000),
                              (date(2017, 8, 21), org.mover, 16000)]:
        enter(org, rep, week, figures(amount, existing=amount // 10, opened=amount // 1000, engaged=3, new=1,
                                      volume=amount * 5))
    rollups.recompute_month(AUGUST)

    reps = list(RepMonthResult.objects.filter(month=AUGUST))
    teams = list(TeamMonthResult.objects.filter(month=AUGUST))
    company = CompanyMonthResult.objects.get(month=AUGUST)
    columns = [*ENTERED_CODES, "total_deposits", "weeks_reported", "weeks_missing", "customer_base"]
    for team in teams:
        members = [r for r in reps if r.team_id == team.team_id]
        assert {c: getattr(team, c) for c in columns} == {c: sum(getattr(r, c) for r in members) for c in columns}
        target = TeamMonthTarget.objects.get(team=team.team, plan_month__month=AUGUST)
        assert team.deposit_target == target.deposit_target
    for level in (reps, teams):
        assert {c: getattr(company, c) for c in columns} == {c: sum(getattr(r, c) for r in level) for c in columns}
    assert company.total_deposits == Decimal(31000 + 3100)
    assert company.deposit_target == 1_200_000 == sum(t.deposit_target for t in teams)
    assert company.attainment == (Decimal(34100) / 1_200_000).quantize(SIX_PLACES)
    assert company.customer_base == 12


def test_a_target_of_zero_gives_no_attainment_and_no_rank(org, plan):
    august = PlanMonth.objects.get(month=AUGUST)
    target_services.rep_weights_set(plan_month=august, team=org.team_b, weights={org.mover.pk: 1, org.rep_b.pk: 0},
                                    by=org.director.user)
    enter(org, org.rep_b, date(2017, 8, 7), figures(5000))
    enter(org, org.mover, date(2017, 8, 7), figures(5000))
    rollups.recompute_month(AUGUST)

    zero = rep_row(org.rep_b, AUGUST)
    assert (zero.deposit_target, zero.total_deposits, zero.attainment) == (0, 5000, None)
    assert zero.rank_in_team is None and zero.rank_in_company is None
    assert rep_row(org.mover, AUGUST).attainment == (Decimal(5000) / 800_000).quantize(SIX_PLACES)
    placing = PeriodPlacing.objects.get(period="month", first_month=AUGUST, employee=org.rep_b)
    assert (placing.rank, placing.excluded, placing.flagged) == (None, "no_target", False)


def test_missing_weeks_count_only_weeks_with_working_days_where_the_rep_was_due(org, plan):
    national_day, oct_9, oct_16, oct_23 = date(2017, 10, 2), date(2017, 10, 9), date(2017, 10, 16), date(2017, 10, 23)
    for week in (national_day, oct_16, oct_23):  # a trickle in the holiday week; 9 October never reported
        enter(org, org.rep_a, week, figures(800))
    for week in (national_day, oct_9, oct_16, oct_23):
        enter(org, org.mover, week, figures(900))
    rollups.recompute_month(OCTOBER)

    assert (rep_row(org.rep_a, OCTOBER).weeks_reported, rep_row(org.rep_a, OCTOBER).weeks_missing) == (3, 1)
    assert (rep_row(org.mover, OCTOBER).weeks_reported, rep_row(org.mover, OCTOBER).weeks_missing) == (4, 0)
    # Nothing reported: three working weeks are due, not four (1–8 October is the National Day holiday).
    assert (rep_row(org.rep_b, OCTOBER).weeks_reported, rep_row(org.rep_b, OCTOBER).weeks_missing) == (0, 3)
    assert CompanyMonthResult.objects.get(month=OCTOBER).weeks_missing == 4


def test_a_rep_who_moved_counts_for_the_old_team_until_the_move_and_the_new_team_after(org, plan):
    # The mover joined 猛虎队 on Thursday 1 June: the week of 29 May is theirs already (its Thursday is 1 June).
    enter(org, org.mover, date(2017, 5, 22), figures(1000))
    enter(org, org.mover, date(2017, 5, 29), figures(2000))
    enter(org, org.mover, date(2017, 6, 5), figures(4000))
    rollups.recompute_all([date(2017, 5, 1), date(2017, 6, 1)])

    may, june = date(2017, 5, 1), date(2017, 6, 1)
    assert rep_row(org.mover, may, org.team_a).total_deposits == 1000
    assert not RepMonthResult.objects.filter(employee=org.mover, month=may, team=org.team_b).exists()
    assert rep_row(org.mover, june, org.team_b).total_deposits == 6000
    old = rep_row(org.mover, june, org.team_a)  # a target for 29–31 May, but no figures and no week due
    assert (old.total_deposits, old.weeks_reported, old.weeks_missing) == (0, 0, 0)
    assert TeamMonthResult.objects.get(team=org.team_a, month=may).total_deposits == 1000
    assert TeamMonthResult.objects.get(team=org.team_a, month=june).total_deposits == 0
    assert TeamMonthResult.objects.get(team=org.team_b, month=june).total_deposits == 6000


# --- idempotence and interruption -----------------------------------------------------------------


def _a_year_of_figures(org) -> None:
    for n, week in enumerate([date(2017, 2, 6), date(2017, 5, 22), date(2017, 5, 29), date(2017, 7, 24),
                              date(2017, 7, 31), date(2017, 8, 28), date(2017, 10, 2), date(2017, 10, 30)], start=1):
        enter(org, org.rep_a, week, figures(n * 1000, existing=n * 10, opened=n % 3, engaged=n))
        enter(org, org.mover, week, figures(n * 700, opened=1, engaged=2))
        if n % 2:
            enter(org, org.rep_b, week, figures(n * 300))


def test_recomputing_twice_gives_identical_rows(org, plan):
    _a_year_of_figures(org)
    rollups.recompute_all()
    first = snapshot()
    assert first["rep"] and first["placings"]
    rollups.recompute_all()
    assert snapshot() == first
    assert not any(state.pending for state in RollupMonth.objects.all())


def test_an_interrupted_run_leaves_the_month_as_it_was_and_a_rerun_converges(org, plan, monkeypatch, unchanged):
    _a_year_of_figures(org)
    rollups.recompute_month(AUGUST)
    before = snapshot()
    enter(org, org.rep_b, date(2017, 8, 14), figures(50_000))  # the next run has something new to write

    real = statements.team_rows  # runs after the month's rep rows are deleted and written again
    calls = []

    def fail_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("worker killed half-way")
        return real(*args, **kwargs)

    monkeypatch.setattr(statements, "team_rows", fail_once)
    with unchanged(), pytest.raises(RuntimeError):  # no rollup row, no RollupMonth stamp
        rollups.recompute_month(AUGUST)
    assert snapshot() == before  # the rep rows deleted and written before the failure were rolled back

    rollups.recompute_month(AUGUST)
    rerun = snapshot()
    assert rerun != before and rep_row(org.rep_b, AUGUST).total_deposits == 51_500
    rollups.recompute_month(AUGUST)
    assert snapshot() == rerun  # the same as a clean run


# --- phase and year totals ------------------------------------------------------------------------


def test_phase_and_year_totals_are_the_sums_of_their_months(org, plan):
    _a_year_of_figures(org)
    rollups.recompute_all()
    months = {m.month: m for m in PlanMonth.objects.select_related("phase")}
    company = {r.month: r for r in CompanyMonthResult.objects.all()}

    def of_months(chosen: list[date], column: str) -> Decimal:
        return sum((getattr(company[m], column) or 0 for m in chosen if m in company), Decimal(0))

    def weeks_in(chosen: list[date]) -> list[date]:
        return list({w for w in WeeklyFigures.objects.values_list("week", flat=True)
                     if (w + timedelta(days=3)).replace(day=1) in chosen})

    phases: dict[int, list[date]] = {}
    for month in months.values():
        phases.setdefault(month.phase.number, []).append(month.month)
    for number, chosen in phases.items():
        assert of_months(chosen, "total_deposits") == raw_sum("new_customer_deposits", weeks_in(chosen)) + raw_sum(
            "existing_customer_deposits", weeks_in(chosen)), f"phase {number}"
        assert of_months(chosen, "accounts_opened") == raw_sum("accounts_opened", weeks_in(chosen))
        assert of_months(chosen, "deposit_target") == sum(months[m].deposit_target for m in chosen)
    assert of_months(phases[3], "deposit_target") == 3_700_000
    year = list(months)
    assert of_months(year, "deposit_target") == 14_000_000
    weeks = weeks_in(year)
    everything = raw_sum("new_customer_deposits", weeks) + raw_sum("existing_customer_deposits", weeks)
    assert of_months(year, "total_deposits") == everything == sum(
        of_months(chosen, "total_deposits") for chosen in phases.values())
    # The week of 30 October (Thursday 2 November) is November's, so the phase totals do not overlap.
    assert company[date(2017, 11, 1)].total_deposits > 0


# --- growth -----------------------------------------------------------------------------------------


def test_growth_against_the_previous_month_and_no_growth_without_a_base(org, plan):
    services.customer_base_set(employee=org.rep_a, opening_base=20, counted_from=date(2017, 2, 1))
    enter(org, org.rep_a, date(2017, 7, 10), figures(100_000, opened=5))
    enter(org, org.rep_a, date(2017, 8, 7), figures(150_000, opened=6))
    enter(org, org.mover, date(2017, 7, 10), figures(0, opened=1))  # reported, but no deposits in July
    enter(org, org.mover, date(2017, 8, 7), figures(50_000))
    enter(org, org.rep_b, date(2017, 8, 7), figures(10_000, opened=3))  # nothing at all in July
    rollups.recompute_all([JULY, AUGUST])

    rep_a, mover, rep_b = (rep_row(r, AUGUST) for r in (org.rep_a, org.mover, org.rep_b))
    assert rep_a.performance_growth_rate == Decimal("0.5")
    assert mover.performance_growth_rate is None and rep_b.performance_growth_rate is None
    assert rep_a.performance_growth_yoy is None  # nothing in August 2016
    assert (rep_a.customer_base, rep_a.customer_growth_rate) == (25, (Decimal(6) / 25).quantize(SIX_PLACES))
    assert (rep_b.customer_base, rep_b.customer_growth_rate) == (0, None)  # a zero base gives "—"
    company = CompanyMonthResult.objects.get(month=AUGUST)
    assert company.performance_growth_rate == Decimal("1.1")  # 210 000 against 100 000
    assert CompanyMonthResult.objects.get(month=JULY).performance_growth_rate is None  # June had no figures


# --- ranking, exclusions, bottom flags ------------------------------------------------------------


@pytest.fixture
def crew(org):
    """Three more reps before the plan is split: a partner for rep_a, a late joiner and an early leaver."""
    hired = date(2016, 1, 4)
    partner = factories.employee(team=org.team_a, hired=hired, probation_end=date(2017, 9, 30), name="丙队员")
    late = factories.employee(team=org.team_a, hired=date(2017, 8, 21), name="新人")  # after 17 August
    quitter = factories.employee(team=org.team_b, hired=hired, name="早退者")
    team_services.employee_leave(employee=quitter, left_on=date(2017, 8, 9), reason="个人原因")  # before it
    return partner, late, quitter


@pytest.fixture
def crew_plan(crew, draft_plan, org):
    return target_services.plan_approve(plan=draft_plan, version=draft_plan.version, by=org.general_manager.user)


def enter_attainment(org, month: date, shares: dict) -> None:
    """Enter, in the month's second week, deposits making each rep's attainment the given share of target."""
    week = weeks_of_month(month.year, month.month)[1]
    for employee, share in shares.items():
        target = RepMonthTarget.objects.get(employee=employee, plan_month__month=month).deposit_target
        enter(org, employee, week, figures((Decimal(target) * Decimal(share)).quantize(Decimal("0.01"))))


def placings(month: date) -> dict[str, PeriodPlacing]:
    return {p.employee.name: p for p in PeriodPlacing.objects.filter(period="month", first_month=month)
            .select_related("employee")}


def test_reps_rank_by_attainment_then_deposits_then_employee_number(org, crew, crew_plan):
    partner, late, quitter = crew
    # July: five reps with the same target (240 000); rep_a and the partner tie on attainment and deposits.
    enter_attainment(org, JULY, {org.mover: "0.9", org.rep_a: "0.5", partner: "0.5", org.rep_b: "0.25",
                                 quitter: "0.3"})
    rollups.recompute_month(JULY)
    by_number = sorted([org.rep_a, partner], key=lambda e: e.employee_number)
    july = placings(JULY)
    assert [p.employee for p in sorted(july.values(), key=lambda p: p.rank)] == [
        org.mover, *by_number, quitter, org.rep_b]
    assert [rep_row(e, JULY).rank_in_company for e in (org.mover, *by_number, quitter, org.rep_b)] == [1, 2, 3, 4, 5]
    assert [rep_row(e, JULY).rank_in_team for e in (org.mover, quitter, org.rep_b)] == [1, 2, 3]

    # August: rep_a's target is 254 237 and the mover's 254 238; both reach exactly 100 %: more deposits wins.
    assert rep_target(org.rep_a, AUGUST, org.team_a) + 1 == rep_target(org.mover, AUGUST, org.team_b)
    enter_attainment(org, AUGUST, {org.rep_a: "1", org.mover: "1", partner: "0.5", org.rep_b: "0.25"})
    rollups.recompute_month(AUGUST)
    august = placings(AUGUST)
    assert [(august[e.name].rank, august[e.name].attainment) for e in (org.mover, org.rep_a, partner, org.rep_b)] == [
        (1, 1), (2, 1), (3, Decimal("0.5")), (4, Decimal("0.25"))]


def test_reps_who_joined_after_or_left_before_the_mid_point_are_left_out(org, crew, crew_plan):
    partner, late, quitter = crew
    enter_attainment(org, AUGUST, {org.rep_a: "1", org.mover: "0.8", partner: "0.5", org.rep_b: "0.25"})
    enter(org, quitter, date(2017, 7, 31), figures(900_000))  # far above target, but gone on 9 August
    enter(org, late, date(2017, 8, 21), figures(0))
    rollups.recompute_month(AUGUST)

    august = placings(AUGUST)
    assert (august["新人"].rank, august["新人"].excluded, august["新人"].flagged) == (None, "joined_late", False)
    assert (august["早退者"].rank, august["早退者"].excluded) == (None, "left_early")
    assert sorted(p.rank for p in august.values() if p.rank) == [1, 2, 3, 4]
    assert august[org.rep_b.name].flagged  # the bottom 10 % of four ranked reps is one rep, not the late joiner
    assert august["丙队员"].on_probation and not august[org.rep_a.name].on_probation


def rule_set(org, count: object, percent: object = "10") -> None:
    rollups.elimination_rule_set(bottom_count=count, bottom_percent=percent, warn_after=2, by=org.director.user)


@pytest.mark.parametrize(("rule", "flagged"), [
    (None, ["乙队员"]),                                       # no rule set: bottom 10 % of 4 ranked → 1
    ((2, "10"), ["乙队员", "丙队员"]),
    (("", "50"), ["乙队员", "丙队员"]),
    ((3, "10"), ["乙队员", "丙队员", "调动者"]),               # a count wins over the percentage
])
def test_the_bottom_of_the_ranking_is_flagged_by_the_elimination_rule(org, crew, crew_plan, rule, flagged):
    partner, _late, _quitter = crew
    if rule is not None:
        rule_set(org, *rule)
    enter_attainment(org, AUGUST, {org.rep_a: "1", org.mover: "0.8", partner: "0.5", org.rep_b: "0.25"})
    rollups.recompute_month(AUGUST)
    assert sorted(name for name, p in placings(AUGUST).items() if p.flagged) == sorted(flagged)


def test_setting_the_elimination_rule_saves_it_with_who_set_it(org, plan):
    rule_set(org, "", " 12.5 ")
    rule = EliminationRule.objects.get()
    assert (rule.bottom_count, rule.bottom_percent, rule.warn_after) == (None, Decimal("12.50"), 2)
    assert rule.changed_by == org.director.user and rule.changed_at is not None
    rule_set(org, "3", "0")
    rule = EliminationRule.objects.get()  # replaced, not a second rule
    assert (rule.bottom_count, rule.bottom_percent, rule.warn_after) == (3, Decimal("0.00"), 2)
    rule_set(org, "0", "10")  # no count of reps: the percentage decides
    rule = EliminationRule.objects.get()
    assert (rule.bottom_count, rule.bottom_percent) == (None, Decimal("10.00"))


@pytest.mark.parametrize("role", ["general_manager", "hr", "manager_a", "rep_a"])
def test_only_the_director_sets_the_elimination_rule_and_a_refusal_writes_nothing(org, plan, unchanged, role):
    with unchanged(), pytest.raises(DomainError, match="Only the sales director sets the bottom-elimination rule."):
        rollups.elimination_rule_set(bottom_count="2", bottom_percent="10", warn_after="2", by=org.by_role(role).user)


@pytest.mark.parametrize(("count", "percent", "warn", "field"), [
    ("two", "10", "2", "bottom_count"),
    ("-1", "10", "2", "bottom_count"),
    ("1.5", "10", "2", "bottom_count"),
    ("", "", "2", "bottom_count"),  # neither a count nor a percentage
    ("", "0", "2", "bottom_count"),
    ("0", "0", "2", "bottom_count"),  # a count of none and no percentage would flag nobody
    ("", "十", "2", "bottom_percent"),
    ("", "100.5", "2", "bottom_percent"),
    ("", "-1", "2", "bottom_percent"),
    ("", "NaN", "2", "bottom_percent"),
    ("2", "10", "0", "warn_after"),
    ("2", "10", "", "warn_after"),
])
def test_a_bad_elimination_rule_is_refused_on_its_field_and_the_rule_in_force_stays(org, plan, unchanged, count,
                                                                                   percent, warn, field):
    rule_set(org, 3, "10")
    with unchanged(), pytest.raises(DomainError) as refused:
        rollups.elimination_rule_set(bottom_count=count, bottom_percent=percent, warn_after=warn, by=org.director.user)
    assert refused.value.field == field
    rule = EliminationRule.objects.get()
    assert (rule.bottom_count, rule.bottom_percent, rule.warn_after) == (3, Decimal("10.00"), 2)


def test_consecutive_flags_count_the_months_in_a_row_up_to_each_month(org, crew, crew_plan):
    partner, late, quitter = crew
    rule_set(org, 2)
    enter_attainment(org, JULY, {org.mover: "0.9", org.rep_a: "0.8", partner: "0.7", quitter: "0.3",
                                 org.rep_b: "0.2"})
    enter_attainment(org, AUGUST, {org.rep_a: "1", org.mover: "0.8", partner: "0.5", org.rep_b: "0.25"})
    # August first: the later month is recounted when July lands, whatever order the runs come in.
    rollups.recompute_month(AUGUST)
    rollups.recompute_month(JULY)

    july, august = placings(JULY), placings(AUGUST)
    assert {n: p.consecutive for n, p in july.items() if p.flagged} == {"乙队员": 1, "早退者": 1}
    assert {n: p.consecutive for n, p in august.items() if p.flagged} == {"乙队员": 2, "丙队员": 1}
    assert all(p.consecutive == 0 for p in [*july.values(), *august.values()] if not p.flagged)

    # rep_b climbs out in September: the streak ends there, partner's goes on.
    enter_attainment(org, date(2017, 9, 1), {org.rep_a: "0.3", org.mover: "0.8", partner: "0.2", org.rep_b: "1",
                                             late: "0.9"})
    rollups.recompute_month(date(2017, 9, 1))
    september = placings(date(2017, 9, 1))
    assert {n: p.consecutive for n, p in september.items() if p.flagged} == {"丙队员": 2, "甲队员": 1}
    # The phase (August–October, so far two months) ranks the late joiner too: 21 August is before its mid-point.
    phase = {p.employee: p for p in PeriodPlacing.objects.filter(period="phase", first_month=AUGUST)}
    assert sorted(p.rank for p in phase.values() if p.rank) == [1, 2, 3, 4, 5]
    assert phase[late].rank and phase[quitter].excluded == "left_early"


# --- a change committed while a run computes -------------------------------------------------------


@pytest.fixture
def runs_not_queued(monkeypatch):
    """Keep commits from running the recompute inline (the suite's Celery is eager): the test drives the runs."""
    monkeypatch.setattr(rollups, "_send_recompute", lambda: None)


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_save_that_stamps_a_month_while_its_run_computes_waits_and_leaves_it_pending(runs_not_queued, org, plan,
                                                                                      monkeypatch):
    enter(org, org.rep_a, date(2017, 8, 7), figures(1000))
    real, saver_started = rollups.recompute_month, threading.Event()

    def save() -> None:
        try:
            enter(org, org.rep_a, date(2017, 8, 14), figures(2000))  # waits for August's run to commit
        finally:
            connection.close()

    saver = threading.Thread(target=save)

    def recompute_while_a_save_waits(month: date, **options) -> None:
        real(month, **options)  # the figures are read before the save below writes
        if month == AUGUST and not saver_started.is_set():
            saver_started.set()
            saver.start()
            deadline = time.monotonic() + 20
            while not waiting_on_a_lock() and time.monotonic() < deadline:  # the save waits for the run's lock
                time.sleep(0.05)
            assert waiting_on_a_lock(), "the save did not wait for the run"

    monkeypatch.setattr(rollups, "recompute_month", recompute_while_a_save_waits)
    try:
        rollups.recompute_pending()
    finally:
        saver.join(timeout=20)
    # The run that could not see the save does not count as its computation: August is stale still, or the same
    # sweep took it again once the save had committed. Never current with the save missing.
    assert RollupMonth.objects.get(month=AUGUST).pending or rep_row(org.rep_a, AUGUST).total_deposits == 3000
    rollups.recompute_pending()
    assert rep_row(org.rep_a, AUGUST).total_deposits == 3000
    assert not RollupMonth.objects.get(month=AUGUST).pending


@pytest.mark.django_db(transaction=True)
def test_a_sweep_skips_the_months_a_save_is_still_writing_and_the_next_one_takes_them(runs_not_queued, org, plan):
    rollups.recompute_pending()  # the plan's months, approved without a run
    held, release = threading.Event(), threading.Event()

    def save_and_hold() -> None:
        try:
            with transaction.atomic():
                enter(org, org.rep_a, date(2017, 8, 14), figures(2000))  # stamps August to January, uncommitted
                held.set()
                release.wait(timeout=20)
        finally:
            connection.close()

    saver = threading.Thread(target=save_and_hold)
    saver.start()
    try:
        assert held.wait(timeout=20)
        started = time.monotonic()
        assert rollups.recompute_pending() == []  # it neither waits for the save nor computes without it
        assert time.monotonic() - started < 5
    finally:
        release.set()
        saver.join(timeout=20)
    assert rollups.recompute_pending() == [*(date(2017, m, 1) for m in range(8, 13)), date(2018, 1, 1)]
    assert rep_row(org.rep_a, AUGUST).total_deposits == 2000
