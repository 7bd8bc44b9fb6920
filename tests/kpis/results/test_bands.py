"""After a save in one team, the ranks its reps crossed are moved (kpis/results/bands.py) instead of every rep being
ordered again: the company ranks, the month and phase placings, flags and streaks equal a full recompute's, for
a rep crossing many ranks, ties, a rep entering or leaving the bottom flag, and when the stored ranks cannot be
moved (a month or a phase month begun since it was computed)."""

from datetime import date
from decimal import Decimal

import pytest

from kpis import services
from kpis.models import Channel, WeeklyFigures
from kpis.results import bands, placing_statements
from kpis.results import services as rollups
from kpis.results.models import PeriodPlacing, RepMonthResult, RollupMonth
from targets import services as target_services
from targets.calculations import weeks_of_month
from targets.models import RepMonthTarget
from teams.models import Team
from tests import factories
from tests.kpis.results.test_incremental import check_rollups, snapshot

# October closes phase 3 (August–October): a save there places the phase too (an earlier month's run leaves that
# to the run of the later month it makes stale).
AUGUST, OCTOBER = date(2017, 8, 1), date(2017, 10, 1)
WEEK = weeks_of_month(2017, 10)[1]


@pytest.fixture
def company(org, draft_plan):
    """Two more teams of six reps before the plan is split; return every rep by team code."""
    for n in (1, 2):
        team = factories.TeamFactory(name=f"第{n}新队")
        factories.manager_of(team)
        for _ in range(6):
            factories.employee(team=team, hired=date(2016, 1, 4))
    plan = target_services.plan_approve(plan=draft_plan, version=draft_plan.version, by=org.general_manager.user)
    # the last team's reps get different targets, four of them the others' (the weights average 1)
    last = Team.objects.order_by("pk").last()
    reps = list(last.memberships.values_list("employee_id", flat=True))
    target_services.rep_weights_set(plan_month=plan.months.get(month=OCTOBER), team=last, by=org.director.user,
                                    weights=dict(zip(reps, ["0.75", "1", "1", "1", "1", "1.25"], strict=True)))
    return {t.code: list(t.memberships.values_list("employee_id", flat=True)) for t in Team.objects.order_by("pk")}


def target(rep: int) -> int:
    return RepMonthTarget.objects.get(employee_id=rep, plan_month__month=OCTOBER).deposit_target


def enter(org, deposits: dict[int, Decimal], week: date = WEEK) -> None:
    versions = dict(WeeklyFigures.objects.filter(week=week).values_list("employee_id", "version"))
    rows = [services.RepWeekInput(rep, {"new_customer_deposits": amount}, version=versions.get(rep))
            for rep, amount in deposits.items()]
    services.weekly_figures_save(week=week, rows=rows, by=org.director.user, channel=Channel.GRID)


def shares(reps: list[int], first: str = "0.05") -> dict[int, Decimal]:
    """Deposits giving the reps attainments spread from `first` upwards, a different one each."""
    return {rep: (Decimal(target(rep)) * (Decimal(first) + Decimal("0.07") * n)).quantize(Decimal("0.01"))
            for n, rep in enumerate(reps)}


def with_targets(company: dict) -> list[int]:
    reps = RepMonthTarget.objects.filter(plan_month__month=OCTOBER).values_list("employee_id", flat=True)
    return list(dict.fromkeys(r for rs in company.values() for r in rs if r in reps))


@pytest.fixture
def ranked(org, company):
    """October entered for every rep and computed; return the reps of the team whose saves are re-ranked (the
    lowest attainments: the default rule flags the bottom 10 %, two of the fifteen ranked) and the others'."""
    team = list(company.values())[-1]
    others = [r for r in with_targets(company) if r not in team]
    enter(org, shares(team + others))
    rollups.recompute_all()
    return team, others


@pytest.fixture
def banded(monkeypatch):
    """Count the band re-rankings (rep ranks, placings) the runs take."""
    calls = []
    for module, name in ((bands, "rank_reps"), (placing_statements, "_placings_band")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, real=real, name=name, **k: calls.append(name) or real(*a, **k))
    return calls


def re_ranked_as_a_full_recompute(month: date = OCTOBER) -> None:
    """Recompute the save's team, then the month whole: assert both give the same rows and check_rollups agrees."""
    teams = RollupMonth.objects.get(month=month).stale_teams
    assert teams is not None and len(teams) == 1
    assert rollups.recompute_pending()[0] == month
    banded = snapshot(month), snapshot(AUGUST)["placings"]  # and phase 3's (August–October)
    rollups.recompute_all([month])
    assert (snapshot(month), snapshot(AUGUST)["placings"]) == banded
    assert "rollups match" in check_rollups()


def placing(rep: int, period: str = "month") -> PeriodPlacing:
    return PeriodPlacing.objects.get(period=period, employee_id=rep, first_month=OCTOBER if period == "month" else
                                     AUGUST)


def rank(rep: int) -> int:
    return RepMonthResult.objects.get(month=OCTOBER, employee_id=rep).rank_in_company


def test_a_rep_climbing_from_the_bottom_to_the_top_leaves_the_flag_and_moves_every_rank_between(org, ranked, banded):
    team, others = ranked
    bottom = max(team, key=lambda r: placing(r).rank)
    assert placing(bottom).flagged and placing(bottom).rank == len(team + others)
    enter(org, {bottom: Decimal(target(bottom)) * 3})
    re_ranked_as_a_full_recompute()
    assert (placing(bottom).rank, placing(bottom).flagged, placing(bottom).consecutive, rank(bottom)) == (
        1, False, 0, 1)
    assert (placing(bottom, "phase").rank, placing(bottom, "phase").flagged) == (1, False)
    assert banded == ["rank_reps", "_placings_band", "_placings_band"]  # the month's placing and the phase's


def test_the_top_rep_falling_to_the_bottom_is_flagged_and_pushes_another_out_of_the_flag(org, ranked, banded):
    team, others = ranked
    top = max(team, key=lambda r: placing(r).attainment)
    flagged_before = {r for r in team + others if placing(r).flagged}
    enter(org, {top: Decimal(0)})
    re_ranked_as_a_full_recompute()
    assert placing(top).flagged and placing(top).rank == len(team + others)
    flagged_after = {r for r in team + others if placing(r).flagged}
    assert len(flagged_after) == len(flagged_before) and flagged_before - flagged_after
    assert banded.count("_placings_band") == 2


def test_the_teams_reps_swapping_places_with_each_other_and_the_others(org, ranked, banded):
    team, _others = ranked
    enter(org, shares(list(reversed(team)), first="0.3"))
    re_ranked_as_a_full_recompute()
    assert banded.count("rank_reps") == 1


def test_a_tie_on_attainment_and_deposits_is_broken_by_the_employee_number_as_in_a_full_ranking(org, ranked, banded):
    team, others = ranked
    # a rep of the changed team reaches exactly the deposits of a rep of another team with the same target
    pairs = [(r, o) for r in team for o in others if target(r) == target(o)]
    assert pairs, "the two new teams share a rep target"
    for rep, other in pairs[:1] + pairs[-1:]:  # the rep's employee number below the other's, then above
        enter(org, {rep: placing(other).total_deposits})
        re_ranked_as_a_full_recompute()
        assert placing(rep).attainment == placing(other).attainment
        assert abs(placing(rep).rank - placing(other).rank) == 1 and abs(rank(rep) - rank(other)) == 1
    assert "_placings_band" in banded


def test_an_attainment_equal_to_six_places_is_placed_by_the_exact_one_and_ranked_by_the_deposits(org, ranked,
                                                                                                  banded):
    team, others = ranked
    rep, other = min(team, key=target), max(others, key=target)
    assert target(rep) < target(other)
    enter(org, {other: Decimal(target(other)) / 2})
    rollups.recompute_pending()
    # a cent above half the rep's target: 50 % to six places, fewer deposits, a higher exact attainment
    enter(org, {rep: Decimal(target(rep)) / 2 + Decimal("0.01")})
    re_ranked_as_a_full_recompute()
    assert placing(rep).attainment == placing(other).attainment == Decimal("0.5")
    assert rank(other) < rank(rep) and placing(rep).rank < placing(other).rank
    assert "_placings_band" in banded


def test_a_month_computed_before_it_began_is_ranked_whole_once_it_has(org, company, settings, banded):
    team = list(company.values())[-1]
    enter(org, shares(with_targets(company)))
    settings.AS_OF_DATE = date(2017, 9, 29)  # October's first week starts on 2 October
    rollups.recompute_all()
    settings.AS_OF_DATE = date(2017, 10, 20)
    enter(org, {team[0]: Decimal(target(team[0])) * 2})
    re_ranked_as_a_full_recompute()
    assert banded == []  # no stored ranks to move: ranked afresh


def test_a_phase_placed_before_its_month_began_is_placed_afresh(org, ranked, settings, banded):
    team, _others = ranked
    settings.AS_OF_DATE = date(2017, 9, 8)  # phase 3 is August–October: October has not begun
    rollups.recompute_all()
    settings.AS_OF_DATE = date(2017, 10, 6)
    rollups.recompute_month(OCTOBER, place_phase=False)  # October ranked, the phase still of August–September
    enter(org, {team[0]: Decimal(target(team[0])) * 2}, week=weeks_of_month(2017, 10)[0])
    re_ranked_as_a_full_recompute()
    assert banded == ["rank_reps", "_placings_band"]  # October's ranks and placing moved; the phase placed afresh
