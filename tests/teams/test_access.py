"""The access module, for every role: who sees which employees and teams, at which dates."""

from datetime import date

import pytest

from teams import access

EVERYONE = ["team_a", "team_b"]
PEOPLE = ["manager_a", "manager_b", "rep_a", "rep_b", "mover", "leaver", "director", "general_manager", "hr"]


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


@pytest.mark.parametrize("role", ["director", "general_manager", "hr"])
def test_director_general_manager_and_hr_see_all_of_sales(org, role):
    user = org.by_role(role).user
    assert set(access.visible_employees(user)) == {org.by_role(p) for p in PEOPLE}
    assert set(access.visible_teams(user)) == {org.team_a, org.team_b}


def test_manager_sees_own_team_with_former_members_but_not_other_team(org):
    seen = set(access.visible_employees(org.manager_a.user))
    assert seen == {org.manager_a, org.rep_a, org.mover, org.leaver}
    assert org.rep_b not in seen
    assert list(access.visible_teams(org.manager_a.user)) == [org.team_a]


def test_manager_sees_members_only_for_the_dates_they_were_members(org):
    in_may = set(access.visible_employees(org.manager_a.user, on=date(2017, 5, 31)))
    in_june = set(access.visible_employees(org.manager_a.user, on=date(2017, 6, 1)))
    assert org.mover in in_may and org.mover not in in_june
    assert org.leaver in set(access.visible_employees(org.manager_a.user, on=date(2017, 3, 31)))
    assert org.leaver not in in_may


def test_new_manager_sees_moved_rep_only_from_the_move(org):
    assert org.mover not in set(access.visible_employees(org.manager_b.user, on=date(2017, 5, 31)))
    assert org.mover in set(access.visible_employees(org.manager_b.user, on=date(2017, 6, 1)))


def test_visible_periods_of_a_moved_rep_follow_the_membership(org):
    assert access.visible_periods(org.manager_a.user, org.mover) == [(date(2016, 1, 4), date(2017, 5, 31))]
    assert access.visible_periods(org.manager_b.user, org.mover) == [(date(2017, 6, 1), None)]
    assert access.visible_periods(org.manager_b.user, org.leaver) == []
    assert access.visible_periods(org.director.user, org.leaver) == [(None, None)]


def test_rep_sees_only_self(org):
    assert list(access.visible_employees(org.rep_a.user)) == [org.rep_a]
    assert list(access.visible_teams(org.rep_a.user)) == []
    assert access.visible_periods(org.rep_a.user, org.rep_b) == []


def test_manager_changes_own_team_only_and_director_changes_all(org):
    assert access.may_change_team(org.manager_a.user, org.team_a)
    assert not access.may_change_team(org.manager_a.user, org.team_b)
    assert access.may_change_team(org.director.user, org.team_b)
    for role in ["general_manager", "hr", "rep_a"]:
        assert not access.may_change_team(org.by_role(role).user, org.team_a), role


def test_manager_who_no_longer_leads_a_team_loses_it(org):
    from teams import services

    services.team_assign_manager(team=org.team_a, manager=org.manager_b)
    assert list(access.visible_employees(org.manager_a.user)) == [org.manager_a]
    assert not access.may_view_organisation(org.manager_a.user)
