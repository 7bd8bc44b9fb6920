"""Vacancies: when a team's manager position is open or opens within the horizon (pure, with hypothesis on the
dates), and the internal candidates listed for it: the reserve pool first (the team's own members before the
others), then whoever else is eligible for the step; a team whose manager stays has none; queries at two sizes."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from appraisals.models import Level
from promotions import calculations as calc
from promotions.calculations import Opening, TeamLead
from promotions.selectors.candidates import Filters, candidates
from promotions.selectors.pool import pool_rule, reserve_pool, rule_version
from promotions.selectors.vacancies import vacancies
from promotions.services import cases, paths
from promotions.services.pool import reserve_pool_rule_set
from teams import access
from teams import services as team_services
from tests import factories

from .conftest import act, publish, review

TODAY = date(2017, 8, 15)  # the promotions tests' AS_OF_DATE
UNTIL = date(2017, 11, 15)  # three months on: the page's default horizon


# --- when a manager position opens (pure) ------------------------------------------------------------------------

@pytest.mark.parametrize(("lead", "expected"), [
    (None, Opening(TODAY, calc.NO_MANAGER)),
    (TeamLead(date(2017, 7, 31), True), Opening(date(2017, 8, 1), calc.MANAGER_LEFT)),
    (TeamLead(None, False), Opening(TODAY, calc.NOT_IN_POSITION)),
    (TeamLead(TODAY, True), Opening(TODAY + timedelta(days=1), calc.LEAVING)),  # their last day is today
    (TeamLead(UNTIL, True), Opening(UNTIL + timedelta(days=1), calc.LEAVING)),  # leaves on the horizon's last day
    (TeamLead(UNTIL + timedelta(days=1), True), None),                        # leaves after the horizon
    (TeamLead(None, True, (date(2017, 10, 1),)), Opening(date(2017, 10, 1), calc.MOVING_OUT)),
    (TeamLead(None, True, (date(2017, 8, 1),)), Opening(date(2017, 8, 1), calc.MOVING_OUT)),  # due, not applied
    (TeamLead(None, True, (date(2018, 1, 1),)), None),
    (TeamLead(date(2017, 12, 31), True, (date(2017, 9, 1),)), Opening(date(2017, 9, 1), calc.MOVING_OUT)),
    (TeamLead(date(2017, 9, 1), True, (date(2017, 10, 1),)), Opening(date(2017, 9, 2), calc.LEAVING)),
    (TeamLead(None, True), None),
])
def test_when_a_manager_position_opens(lead, expected):
    assert calc.opening(lead, on=TODAY, until=UNTIL) == expected


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(days, st.integers(min_value=0, max_value=24), st.one_of(st.none(), days), st.booleans(),
       st.lists(days, max_size=3))
def test_an_opening_is_due_by_the_horizon_and_only_a_staying_manager_has_none(on, months, left_on, holds, moves):
    until = calc.add_months(on, months)
    found = calc.opening(TeamLead(left_on, holds, tuple(moves)), on=on, until=until)
    stays = holds and (left_on is None or left_on > until) and all(day > until for day in moves)
    assert (found is None) is stays
    if found is not None:
        assert found.opens_on <= until + timedelta(days=1)
        if left_on is not None and left_on < on:
            assert found.opens_on == left_on + timedelta(days=1) <= on  # already open


# --- the vacancies and their internal candidates -----------------------------------------------------------------

@pytest.fixture
def managers_appointed(org, positions):
    """Both team managers in the manager position since February 2016 (the factory hires everyone as a rep)."""
    grade = factories.SalaryGradeFactory()
    for manager in (org.manager_a, org.manager_b):
        team_services.appointment_record(employee=manager, position=positions["manager"], salary_grade=grade,
                                         effective_from=date(2016, 2, 1))


@pytest.fixture
def pool_and_eligible(org, positions, steps, cycle, managers_appointed):
    """Rep A (team A) and the mover (team B since June) rated 优秀: the pool at 1 of the last 1. Rep B (team B), a
    senior rep since February 2016 rated 良好: not in the pool, eligible for the manager step HR set at 良好."""
    grade = factories.SalaryGradeFactory()
    team_services.appointment_record(employee=org.rep_b, position=positions["senior_rep"], salary_grade=grade,
                                     effective_from=date(2016, 2, 1))
    paths.requirement_add(step=steps["manager"], valid_from=date(2017, 2, 1), months_in_position=6,
                          rating=Level.GOOD, by=org.hr.user)
    publish(org, cycle, org.rep_a, Level.EXCELLENT)
    publish(org, cycle, org.mover, Level.EXCELLENT)
    publish(org, cycle, org.rep_b, Level.GOOD)
    reserve_pool_rule_set(by=org.hr.user, excellent_in=1, cycles=1, version=rule_version(pool_rule()))


def found(org, on=TODAY, filters=Filters()):  # noqa: B008
    p = access.principal_of(org.hr.user)
    return vacancies(p, on, filters, pool=reserve_pool(p, on), eligible=candidates(p, on, Filters(
        horizon_months=filters.horizon_months)))


def test_a_leaving_manager_opens_the_position_and_the_reserve_pool_comes_first(org, positions, pool_and_eligible):
    team_services.employee_leave(employee=org.manager_a, left_on=date(2017, 9, 30), reason="个人原因")
    (vacancy,) = found(org)
    assert (vacancy.team, vacancy.manager, vacancy.position) == (org.team_a, org.manager_a, positions["manager"])
    assert vacancy.opening == Opening(date(2017, 10, 1), calc.LEAVING) and not vacancy.is_open(TODAY)
    assert [(c.employee, c.in_pool, c.same_team) for c in vacancy.internal] == [
        (org.rep_a, True, True), (org.mover, True, False), (org.rep_b, False, False)]
    assert vacancy.internal[0].eligibility is None  # a rep has no step to manager: only a special approval
    assert vacancy.internal[2].eligibility.verdict == "now"


def test_the_page_lists_the_vacancy_with_the_pool_member_first_and_a_nomination_link(client, org, positions,
                                                                                   pool_and_eligible):
    team_services.employee_leave(employee=org.manager_a, left_on=date(2017, 9, 30), reason="个人原因")
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:candidates")).content.decode()
    vacancy = page[page.index(f'data-team="{org.team_a.pk}"'):]
    assert vacancy.index(f'data-employee="{org.rep_a.pk}" data-pool="1"') < vacancy.index(
        f'data-employee="{org.rep_b.pk}" data-pool="0"')
    assert "经理将于 2017-09-30 离职" in vacancy
    assert f"?employee={org.rep_a.pk}&amp;to_position={positions['manager'].pk}&amp;team={org.team_a.pk}" in vacancy
    assert f'data-team="{org.team_b.pk}"' not in page  # manager B stays


def test_a_team_without_a_manager_is_open_now(org, positions, managers_appointed):
    team = factories.TeamFactory(name="新组建队")
    (vacancy,) = found(org)
    assert (vacancy.team, vacancy.manager, vacancy.opening) == (team, None, Opening(TODAY, calc.NO_MANAGER))
    assert vacancy.position == positions["manager"] and vacancy.is_open(TODAY) and vacancy.internal == []


def test_a_manager_who_left_or_no_longer_manages_leaves_the_position_open(org, positions, managers_appointed):
    team_services.employee_leave(employee=org.manager_a, left_on=date(2017, 7, 31), reason="离职")
    team_services.appointment_record(employee=org.manager_b, position=positions["rep"],
                                     salary_grade=factories.SalaryGradeFactory(), effective_from=date(2017, 8, 1))
    assert {v.team.pk: v.opening for v in found(org)} == {
        org.team_a.pk: Opening(date(2017, 8, 1), calc.MANAGER_LEFT),
        org.team_b.pk: Opening(TODAY, calc.NOT_IN_POSITION)}


def test_an_approved_case_taking_the_manager_out_opens_the_position_on_its_date(org, positions, managers_appointed,
                                                                               engine):
    director = factories.PositionFactory(code="director", name="销售总监", level=30, is_management=True)
    paths.path_step_add(from_position=positions["manager"], to_position=director, by=org.hr.user)
    case = cases.case_nominate(by=org.hr.user, employee_id=org.manager_b.pk, kind="up_position",
                               to_position_id=director.pk, effective_on=date(2017, 10, 1), reason="业绩突出")
    review(case, org)
    assert found(org) == []  # with the director: not approved yet
    act("approve", case, org.director)
    (vacancy,) = found(org)
    assert (vacancy.team, vacancy.opening) == (org.team_b, Opening(date(2017, 10, 1), calc.MOVING_OUT))
    assert found(org, filters=Filters(horizon_months=1)) == []  # 1 October is past a one-month horizon


def test_the_team_filter_keeps_its_vacancy_and_the_candidates_come_from_all_of_sales(org, pool_and_eligible):
    team_services.employee_leave(employee=org.manager_a, left_on=date(2017, 9, 30), reason="个人原因")
    assert found(org, filters=Filters(team_id=org.team_b.pk)) == []
    (vacancy,) = found(org, filters=Filters(team_id=org.team_a.pk))
    assert org.rep_b in [c.employee for c in vacancy.internal]


@pytest.mark.parametrize("extra", [0, 3])
def test_the_vacancies_take_the_same_queries_whatever_the_number_of_teams(org, positions, managers_appointed, extra,
                                                                          django_assert_num_queries):
    for n in range(extra):
        team = factories.TeamFactory(name=f"扩编{n}队")
        factories.manager_of(team)
    p = access.principal_of(org.hr.user)
    pool, eligible = reserve_pool(p, TODAY), candidates(p, TODAY)
    # the teams with their managers; the managers (with their position on the day), positions, memberships, teams
    # led; the approved cases; the team-lead position
    with django_assert_num_queries(7):
        found_now = vacancies(p, TODAY, Filters(), pool=pool, eligible=eligible)
    assert len(found_now) == extra  # the new teams' managers hold the factory's rep position
