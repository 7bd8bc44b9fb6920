"""The month results endpoints by role: a rep reads only their own months, a manager their teams' (a rep who moved:
only the months in their team), all of sales everything and the company's months; guessed ids 404; every row says
whether its month is current or recalculating; bad filters 400 naming the field; queries do not grow with the data."""

from datetime import date

import pytest

from kpis import services as figures
from kpis.results import services as rollups
from kpis.results.models import RollupMonth
from tests import factories
from tests.api_errors import errors_by_field
from tests.rewards.test_rankings import APRIL, FEBRUARY, MARCH, enter_march

REPS, TEAMS, COMPANY = "/api/v1/rep-results/", "/api/v1/team-results/", "/api/v1/company-results/"
ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]


@pytest.fixture
def ranked(org, plan, settings):
    """March entered (rep A best, then rep B, the mover), February to April recomputed, March closed (as the
    published rankings' tests set it up)."""
    settings.AS_OF_DATE = date(2017, 10, 27)
    enter_march(org)
    rollups.recompute_all([FEBRUARY, MARCH, APRIL])
    figures.month_close(month=MARCH, by=org.director.user)
    return plan


def rows(client, who, url: str) -> list[dict]:
    client.force_login(who.user)
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def march(client, who, url: str) -> set[tuple[str, ...]]:
    return {(r["month"][:7], r["team"]["name"], r["employee"]["name"]) if "employee" in r
            else (r["month"][:7], r["team"]["name"]) for r in rows(client, who, url + "?month=2017-03-01")}


def test_a_rep_reads_only_their_own_months(client, org, ranked):
    assert march(client, org.rep_a, REPS) == {("2017-03", "先锋队", "甲队员")}


@pytest.mark.parametrize(("role", "expected"), [
    ("manager_a", {"甲队员", "调动者", "离职者"}),  # the mover was in team A in March
    ("manager_b", {"乙队员"}),
    ("director", {"甲队员", "调动者", "离职者", "乙队员"}),
    ("hr", {"甲队员", "调动者", "离职者", "乙队员"}),
])
def test_a_manager_reads_their_teams_reps_and_all_of_sales_everyone(client, org, ranked, role, expected):
    assert {name for _, _, name in march(client, org.by_role(role), REPS)} == expected


@pytest.mark.parametrize(("role", "team"), [("manager_a", "先锋队"), ("manager_b", "猛虎队")])
def test_a_manager_reads_a_movers_months_only_in_their_own_team(client, org, ranked, role, team):
    seen = {r["team"]["name"] for r in rows(client, org.by_role(role), f"{REPS}?employee={org.mover.pk}")}
    assert seen <= {team}


@pytest.mark.parametrize(("role", "expected"), [
    ("manager_a", {("2017-03", "先锋队")}), ("manager_b", {("2017-03", "猛虎队")}),
    ("general_manager", {("2017-03", "先锋队"), ("2017-03", "猛虎队")}),
])
def test_team_months_are_those_of_the_teams_the_user_may_see(client, org, ranked, role, expected):
    assert march(client, org.by_role(role), TEAMS) == expected


@pytest.mark.parametrize(("url", "statuses"), [
    (TEAMS, [200, 200, 200, 200, 200, 403]),    # a rep has no team page
    (COMPANY, [200, 200, 200, 403, 403, 403]),  # the company is the cockpit's
])
def test_who_may_read_team_and_company_months(client, org, ranked, url, statuses):
    got = []
    for role in ROLES:
        client.force_login(org.by_role(role).user)
        got.append(client.get(url).status_code)
    assert got == statuses


@pytest.mark.parametrize(("who", "url"), [
    ("manager_b", REPS + "?team={team_a}"), ("manager_b", REPS + "?employee={rep_a}"),
    ("rep_a", REPS + "?employee={rep_b}"), ("rep_a", REPS + "?team={team_a}"),
    ("manager_a", TEAMS + "?team={team_b}"), ("manager_a", TEAMS + "?team=2147483647"),
])
def test_a_guessed_team_or_employee_outside_the_scope_is_404(client, org, ranked, who, url):
    client.force_login(org.by_role(who).user)
    url = url.format(team_a=org.team_a.pk, team_b=org.team_b.pk, rep_a=org.rep_a.pk, rep_b=org.rep_b.pk)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("query", "field"), [("month=March", "month"), ("from=1899-01-01", "from"),
                                               ("team=x", "team"), ("employee=0", "employee")])
def test_a_bad_filter_is_400_naming_the_field(client, org, query, field):
    client.force_login(org.director.user)
    response = client.get(f"{REPS}?{query}")
    assert response.status_code == 400 and field in errors_by_field(response)


def test_a_row_holds_the_registry_metrics_ranks_and_its_months_freshness(client, org, ranked):
    [row] = rows(client, org.rep_a, f"{REPS}?month=2017-03-01")
    assert list(row)[:4] == ["id", "month", "employee", "team"]
    assert row["new_customer_deposits"] == "270000.00" and row["total_deposits"] == "270000.00"
    assert row["rank_in_company"] == 1 and row["rank_in_team"] == 1
    assert row["freshness"]["state"] == "current" and row["freshness"]["recalculating_since"] is None


def test_a_month_being_recalculated_says_so_on_every_row(client, org, ranked):
    rollups.months_stale([MARCH])
    assert RollupMonth.objects.get(month=MARCH).pending
    for url in (REPS, TEAMS, COMPANY):
        states = {r["month"][:7]: r["freshness"]["state"] for r in rows(client, org.director, url)}
        assert states["2017-03"] == "recalculating", url
        assert states["2017-02"] == "current", url
    [row] = rows(client, org.rep_a, f"{REPS}?month=2017-03-01")
    assert row["freshness"]["state"] == "recalculating" and row["freshness"]["recalculating_since"]


def test_the_lists_are_filtered_by_month_range(client, org, ranked):
    months = {r["month"][:7] for r in rows(client, org.director, f"{COMPANY}?from=2017-03-01&to=2017-04-01")}
    assert months == {"2017-03", "2017-04"}


def test_the_lists_read_the_same_queries_however_many_reps_and_months(client, org, ranked, django_assert_num_queries):
    client.force_login(org.manager_a.user)
    # session, user, the principal; the page's count, its rows (joined: employee, team); the months' freshness
    counts = {REPS: 6, TEAMS: 6, COMPANY: 6}
    client.force_login(org.director.user)
    for url, count in counts.items():
        with django_assert_num_queries(count):
            client.get(url)
    reps = [factories.employee(team=org.team_a) for _ in range(3)]
    figures.weekly_figures_save(week=date(2017, 4, 10), by=org.manager_a.user, channel="grid", team=org.team_a,
                                rows=[figures.RepWeekInput(rep.pk, {"new_customer_deposits": 5000}) for rep in reps])
    rollups.recompute_all([FEBRUARY, MARCH, APRIL, date(2017, 5, 1)])
    for url, count in counts.items():
        with django_assert_num_queries(count):
            assert client.get(url).json()["results"]
