"""The access module, for every role: who sees which employees and teams, at which dates."""

from datetime import date

import pytest

from teams import access

EVERYONE = ["team_a", "team_b"]
PEOPLE = ["manager_a", "manager_b", "rep_a", "rep_b", "mover", "leaver", "director", "general_manager", "hr"]


def who(user) -> access.Principal:
    return access.principal_of(user)


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


@pytest.mark.parametrize("role", ["director", "general_manager", "hr"])
def test_director_general_manager_and_hr_see_all_of_sales(org, role):
    user = org.by_role(role).user
    assert set(access.visible_employees(who(user))) == {org.by_role(p) for p in PEOPLE}
    assert set(access.visible_teams(who(user))) == {org.team_a, org.team_b}


def test_manager_sees_own_team_with_former_members_but_not_other_team(org):
    seen = set(access.visible_employees(who(org.manager_a.user)))
    assert seen == {org.manager_a, org.rep_a, org.mover, org.leaver}
    assert org.rep_b not in seen
    assert list(access.visible_teams(who(org.manager_a.user))) == [org.team_a]


def test_manager_sees_members_only_for_the_dates_they_were_members(org):
    in_may = set(access.visible_employees(who(org.manager_a.user), on=date(2017, 5, 31)))
    in_june = set(access.visible_employees(who(org.manager_a.user), on=date(2017, 6, 1)))
    assert org.mover in in_may and org.mover not in in_june
    assert org.leaver in set(access.visible_employees(who(org.manager_a.user), on=date(2017, 3, 31)))
    assert org.leaver not in in_may


def test_new_manager_sees_moved_rep_only_from_the_move(org):
    assert org.mover not in set(access.visible_employees(who(org.manager_b.user), on=date(2017, 5, 31)))
    assert org.mover in set(access.visible_employees(who(org.manager_b.user), on=date(2017, 6, 1)))


def test_visible_periods_of_a_moved_rep_follow_the_membership(org):
    assert access.visible_periods(who(org.manager_a.user), org.mover) == [(date(2016, 1, 4), date(2017, 5, 31))]
    assert access.visible_periods(who(org.manager_b.user), org.mover) == [(date(2017, 6, 1), None)]
    assert access.visible_periods(who(org.manager_b.user), org.leaver) == []
    assert access.visible_periods(who(org.director.user), org.leaver) == [(None, None)]


def test_rep_sees_only_self(org):
    assert list(access.visible_employees(who(org.rep_a.user))) == [org.rep_a]
    assert list(access.visible_teams(who(org.rep_a.user))) == []
    assert access.visible_periods(who(org.rep_a.user), org.rep_b) == []


def test_manager_changes_own_team_only_and_director_changes_all(org):
    assert access.may_change_team(who(org.manager_a.user), org.team_a)
    assert not access.may_change_team(who(org.manager_a.user), org.team_b)
    assert access.may_change_team(who(org.director.user), org.team_b)
    for role in ["general_manager", "hr", "rep_a"]:
        assert not access.may_change_team(who(org.by_role(role).user), org.team_a), role


def test_manager_who_no_longer_leads_a_team_loses_it(org):
    from teams import services

    services.team_assign_manager(team=org.team_a, manager=org.manager_b)
    assert list(access.visible_employees(who(org.manager_a.user))) == [org.manager_a]
    assert not access.may_view_organisation(who(org.manager_a.user))


# --- the principal: built once, then every rule is free -----------------------------------------------------------

@pytest.mark.parametrize(("role", "may"), [
    ("director", {"rep_a", "rep_b", "mover", "manager_b"}), ("hr", {"rep_a", "rep_b", "mover", "manager_b"}),
    ("manager_a", {"rep_a"}), ("manager_b", {"rep_b", "mover"}), ("general_manager", set()), ("rep_a", set())])
def test_who_may_nominate_whom_on_a_day(org, role, may):
    # the mover left team A for team B on 1 June 2017: manager A nominated them until then, manager B after
    nominee = ["rep_a", "rep_b", "mover", "manager_b"]
    principal = who(org.by_role(role).user)
    assert {n for n in nominee if access.may_nominate_employee(principal, org.by_role(n), date(2017, 8, 1))} == may
    assert access.may_nominate_employee(principal, org.mover.pk, date(2017, 5, 31)) is (role in {
        "director", "hr", "manager_a"})


def test_the_principal_is_built_in_one_query_and_cached_on_the_user(org, django_assert_num_queries):
    from teams.models import User

    user = User.objects.get(pk=org.manager_a.user.pk)
    with django_assert_num_queries(1):
        p = access.principal_of(user)
    with django_assert_num_queries(0):
        assert access.principal_of(user) is p
    assert p == access.Principal(role="manager", user_id=user.pk, employee_id=org.manager_a.pk,
                                 managed_team_ids=frozenset({org.team_a.pk}), name=org.manager_a.name)


def test_a_manager_of_two_teams_has_both_and_other_roles_none(org):
    from teams import services

    services.team_assign_manager(team=org.team_b, manager=org.manager_a)
    assert who(org.manager_a.user).managed_team_ids == {org.team_a.pk, org.team_b.pk}
    assert who(org.director.user).managed_team_ids == frozenset()
    assert who(org.rep_a.user).employee_id == org.rep_a.pk


def test_an_anonymous_user_costs_no_query(db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert access.principal_of(AnonymousUser()) is access.ANONYMOUS
        assert not access.any_role(access.ANONYMOUS) and not access.may_view_organisation(access.ANONYMOUS)


@pytest.mark.parametrize("role", PEOPLE)
def test_the_rules_and_the_navigation_cost_no_query_once_the_principal_is_built(org, role, django_assert_num_queries):
    from salesops import navigation

    p = who(org.by_role(role).user)
    with django_assert_num_queries(0):
        for rule in (access.sees_all_sales, access.may_enter_figures, access.may_edit_plan, access.may_approve_plan,
                     access.may_view_plan, access.may_view_organisation, access.has_own_page, access.has_profile,
                     access.may_open_admin, access.start_page_kind):
            rule(p)
        access.may_change_team(p, org.team_a), access.may_see_team(p, org.team_b)
        navigation.links(p), navigation.start_page(p)


def test_a_page_and_an_endpoint_each_build_the_principal_once(client, org, plan, monkeypatch):
    builds = []
    build = access._build
    monkeypatch.setattr(access, "_build", lambda user: builds.append(user.pk) or build(user))
    client.force_login(org.manager_a.user)
    # The grid asks the page's rule, the loader, may-change and the header's links: one build serves them all.
    assert client.get(f"/figures/teams/{org.team_a.pk}/weeks/2017-03-06/").status_code == 200
    assert builds == [org.manager_a.user.pk]
    assert client.post("/api/v1/figures/submit/", {"team": org.team_a.pk, "week": "2017-03-06"},
                       content_type="application/json").status_code == 200
    assert builds == [org.manager_a.user.pk] * 2


def test_scope_rows_without_a_team_field_follows_the_membership_on_the_rows_date(org):
    from teams import services
    from teams.models import Appointment
    from tests import factories

    services.appointment_record(employee=org.mover, position=factories.PositionFactory(),
                                salary_grade=factories.SalaryGradeFactory(code="G2", level=2),
                                effective_from=date(2017, 7, 1), reason="调入后调级")
    rows = Appointment.objects.filter(employee=org.mover)

    def seen(role: str) -> set[date]:
        scoped = access.scope_rows(who(org.by_role(role).user), rows, team_field=None, date_field="effective_from")
        return set(scoped.values_list("effective_from", flat=True))

    assert seen("manager_a") == {date(2016, 1, 4)}
    assert seen("manager_b") == {date(2017, 7, 1)}
    assert seen("director") == {date(2016, 1, 4), date(2017, 7, 1)}
    assert seen("rep_a") == set()


# --- the way up: the person, their manager while a current member, HR, the director, the GM; nobody else -----------

@pytest.mark.parametrize(("role", "whose", "sees"), [
    ("rep_a", "rep_a", True), ("rep_a", "rep_b", False), ("rep_b", "mover", False),
    ("manager_a", "rep_a", True), ("manager_a", "manager_a", True), ("manager_a", "rep_b", False),
    ("manager_b", "rep_a", False), ("manager_a", "mover", False), ("manager_b", "mover", True),
    ("manager_a", "leaver", False),
    *[(role, whose, True) for role in ("director", "general_manager", "hr") for whose in ("rep_a", "mover", "leaver")],
])
def test_who_may_see_someones_way_up(org, role, whose, sees):
    assert access.may_see_way_up(who(org.by_role(role).user), org.by_role(whose), on=date(2017, 9, 1)) is sees


def test_a_manager_sees_a_members_way_up_only_while_they_are_in_the_team(org):
    manager_a = who(org.manager_a.user)
    assert access.may_see_way_up(manager_a, org.mover.pk, on=date(2017, 5, 31))
    assert not access.may_see_way_up(manager_a, org.mover.pk, on=date(2017, 6, 1))
    assert access.may_see_way_up(who(org.manager_b.user), org.mover.pk, on=date(2017, 6, 1))


def test_the_admin_log_in_sees_no_ones_way_up_and_no_exam_score_but_hrs(org):
    from teams.models import Role, User

    admin = who(User.objects.create_user("root", role=Role.ADMIN))
    assert access.sees_all_sales(admin) and not access.may_see_way_up(admin, org.rep_a)
    assert not access.may_see_team_way_up(admin, org.team_a)
    assert access.may_see_exam_scores(who(org.rep_a.user), org.rep_a)
    assert access.may_see_exam_scores(who(org.hr.user), org.rep_a)
    for role in ("manager_a", "director", "general_manager", "rep_b"):
        assert not access.may_see_exam_scores(who(org.by_role(role).user), org.rep_a), role


@pytest.mark.parametrize(("role", "team", "sees"), [
    ("manager_a", "team_a", True), ("manager_a", "team_b", False), ("manager_b", "team_a", False),
    ("rep_a", "team_a", False), ("director", "team_b", True), ("general_manager", "team_a", True),
    ("hr", "team_a", True),
])
def test_who_sees_a_teams_way_up_table(org, role, team, sees):
    assert access.may_see_team_way_up(who(org.by_role(role).user), org.by_role(team)) is sees


@pytest.mark.parametrize("role", PEOPLE)
def test_the_way_up_rules_cost_no_query_but_a_managers_look_at_someone_else(org, role, django_assert_num_queries):
    p = who(org.by_role(role).user)
    with django_assert_num_queries(0):
        access.may_see_way_up(p, org.by_role(role)), access.may_see_team_way_up(p, org.team_a)
        access.may_see_exam_scores(p, org.rep_a)
    with django_assert_num_queries(1 if role.startswith("manager") else 0):
        access.may_see_way_up(p, org.rep_b)
