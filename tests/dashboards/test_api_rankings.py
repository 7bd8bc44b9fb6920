"""The rankings endpoints by role: all of sales reads a period's company ranking as the rankings page shows it
(with its months' freshness); everyone else, a rep included, reads only what the director published (an
unpublished or withdrawn period is 404 for them); the reader's own row marked; queries that do not grow."""

from datetime import date

import pytest

from kpis import services as figures
from kpis.results import services as rollups
from rewards.services.rankings import ranking_publish, ranking_withdraw
from tests import factories
from tests.api_errors import errors_by_field
from tests.rewards.test_rankings import APRIL, FEBRUARY, MARCH, enter_march

RANKING, PUBLISHED = "/api/v1/rankings/", "/api/v1/published-rankings/"
MARCH_URL = f"{PUBLISHED}month/2017/3/"
ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]


@pytest.fixture
def ranked(org, plan, settings):
    """March entered (rep A best, then rep B, the mover), February to April recomputed, March closed."""
    settings.AS_OF_DATE = date(2017, 10, 27)
    enter_march(org)
    rollups.recompute_all([FEBRUARY, MARCH, APRIL])
    figures.month_close(month=MARCH, by=org.director.user)
    return plan


def statuses(client, org, url: str) -> list[int]:
    got = []
    for role in ROLES:
        client.force_login(org.by_role(role).user)
        got.append(client.get(url).status_code)
    return got


def test_the_company_ranking_is_for_all_of_sales_as_the_page(client, org, ranked):
    assert statuses(client, org, f"{RANKING}?period=month&first=2017-03-01") == [200, 200, 200, 403, 403, 403]


def test_the_ranking_shows_the_placings_the_rule_and_the_periods(client, org, ranked):
    client.force_login(org.director.user)
    body = client.get(f"{RANKING}?period=month&first=2017-03-01").json()
    assert (body["period"], body["first_month"], body["months"]) == ("month", "2017-03-01", ["2017-03-01"])
    assert [p["employee"]["name"] for p in body["placings"]][:3] == ["甲队员", "乙队员", "调动者"]
    assert body["placings"][0]["rank"] == 1 and body["placings"][0]["total_deposits"] == "270000.00"
    assert set(body["rule"]) == {"bottom_count", "bottom_percent", "warn_after"}
    assert {"period": "month", "first_month": "2017-03-01", "label": "2017-03"} in body["periods"]
    assert body["freshness"]["state"] == "current" and body["published"] is None


def test_a_phase_is_recalculating_while_any_of_its_months_is(client, org, ranked):
    client.force_login(org.director.user)
    rollups.months_stale([APRIL])
    body = client.get(f"{RANKING}?period=phase&first=2017-02-01").json()
    assert body["period"] == "phase" and "2017-04-01" in body["months"]
    assert body["freshness"]["state"] == "recalculating"
    march = client.get(f"{RANKING}?period=month&first=2017-03-01").json()
    assert march["freshness"]["state"] == "current"


@pytest.mark.parametrize(("query", "status"), [("period=year", 400), ("first=1900-01-01", 400), ("plan=x", 400),
                                                ("plan=2147483647", 404)])
def test_a_bad_ranking_query_is_refused(client, org, ranked, query, status):
    client.force_login(org.director.user)
    response = client.get(f"{RANKING}?{query}")
    assert response.status_code == status
    if status == 400:
        assert query.split("=")[0] in errors_by_field(response)


def test_an_unpublished_ranking_is_nobodys_and_the_list_is_empty(client, org, ranked):
    assert statuses(client, org, MARCH_URL) == [404] * 6
    client.force_login(org.rep_a.user)
    assert client.get(PUBLISHED).json()["results"] == []


def test_every_role_reads_a_published_ranking_and_a_rep_finds_their_own_row(client, org, ranked):
    ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    assert statuses(client, org, MARCH_URL) == [200] * 6
    client.force_login(org.rep_a.user)
    body = client.get(MARCH_URL).json()
    assert body["ranking"]["period"] == "month" and body["ranking"]["show_amounts"] is False
    mine = [r for r in body["rows"] if r["mine"]]
    assert [(r["name"], r["rank"]) for r in mine] == [("甲队员", 1)]
    assert all(r["deposits"] is None for r in body["rows"])  # the director did not show the amounts
    assert [r["first_month"] for r in client.get(PUBLISHED).json()["results"]] == ["2017-03-01"]


def test_a_withdrawn_ranking_is_gone_for_all_but_the_director_and_hr(client, org, ranked):
    ranking = ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    ranking_withdraw(ranking_id=ranking.pk, by=org.director.user, version=ranking.version)
    assert statuses(client, org, MARCH_URL) == [200, 404, 200, 404, 404, 404]
    client.force_login(org.rep_a.user)
    assert client.get(PUBLISHED).json()["results"] == []


@pytest.mark.parametrize("url", [f"{PUBLISHED}year/2017/3/", f"{PUBLISHED}month/2017/13/",
                                 f"{PUBLISHED}month/99999999999/1/"])
def test_a_period_that_is_not_one_is_404(client, org, url):
    client.force_login(org.director.user)
    assert client.get(url).status_code == 404


def test_the_rankings_read_the_same_queries_however_many_reps(client, org, ranked, django_assert_num_queries):
    ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    client.force_login(org.director.user)
    # session, user, principal; the plan holding today, its months, the ranked periods, the placings, the rule,
    # the freshness, the published ranking | the published ranking's rows | the list's count and page
    urls = {f"{RANKING}?period=month&first=2017-03-01": 10, MARCH_URL: 4, PUBLISHED: 5}
    for url, count in urls.items():
        with django_assert_num_queries(count):
            client.get(url)
    reps = [factories.employee(team=org.team_a) for _ in range(4)]
    figures.month_reopen(month=MARCH, by=org.director.user, reason="补录")
    figures.weekly_figures_save(week=date(2017, 3, 13), by=org.manager_a.user, channel="grid", team=org.team_a,
                                rows=[figures.RepWeekInput(rep.pk, {"new_customer_deposits": 500}) for rep in reps])
    rollups.recompute_all([FEBRUARY, MARCH, APRIL])
    figures.month_close(month=MARCH, by=org.director.user)
    ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    for url, count in urls.items():
        with django_assert_num_queries(count):
            client.get(url)
