"""HR's candidates endpoint: who may call it (as the candidates page), each step up with the engine's verdict and
its checks in words, the page's filters (a team outside the scope 404, a bad one 400 naming it), and its queries
whatever the number of people."""

from datetime import date

import pytest
from django.test import override_settings

from tests import factories
from tests.api_errors import errors_by_field

from .conftest import publish

TODAY = date(2017, 9, 1)
URL = "/api/v1/promotion-candidates/"


@pytest.fixture
def excellent_rep_a(org, steps, cycle):
    publish(org, cycle, org.rep_a, 5)
    publish(org, cycle, org.rep_b, 4)


@pytest.mark.parametrize(("role", "status"), [("hr", 200), ("director", 200), ("general_manager", 200),
                                              ("manager_a", 403), ("rep_a", 403)])
def test_the_candidates_are_for_whom_the_candidates_page_is(client, org, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(URL).status_code == status


@override_settings(AS_OF_DATE=TODAY)
def test_a_candidate_comes_with_the_verdict_and_each_check_in_words(client, org, excellent_rep_a):
    client.force_login(org.hr.user)
    rows = client.get(URL).json()["results"]
    [row] = [r for r in rows if r["employee"]["id"] == org.rep_a.pk]
    assert row["verdict"] == "now" and row["eligible_from"] == TODAY.isoformat()
    assert row["to_position"]["code"] == "senior_rep"
    assert {c["rule"] for c in row["checks"]} >= {"rating"} and all(c["text"] for c in row["checks"])
    assert any(c["met"] and c["text"].startswith("最近一次考核：优秀") for c in row["checks"])


@override_settings(AS_OF_DATE=TODAY)
def test_the_rest_come_with_their_reasons_on_request_and_the_team_filter_narrows(client, org, excellent_rep_a):
    client.force_login(org.hr.user)
    shown = {r["employee"]["id"] for r in client.get(URL).json()["results"]}
    every = client.get(f"{URL}?all=true").json()["results"]
    assert shown < {r["employee"]["id"] for r in every}
    assert any(r["verdict"] == "not" and any(not c["met"] for c in r["checks"]) for r in every)
    team_b = {r["employee"]["id"] for r in client.get(f"{URL}?all=true&team={org.team_b.pk}").json()["results"]}
    assert org.rep_a.pk not in team_b and org.rep_b.pk in team_b


@pytest.mark.parametrize(("query", "status"), [("horizon=99", 400), ("sort=salary", 400), ("team=x", 400),
                                                (f"team={2**31 - 1}", 404)])
def test_a_bad_or_unknown_filter_is_refused(client, org, query, status):
    client.force_login(org.hr.user)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == status
    if status == 400:
        assert query.split("=")[0] in errors_by_field(response)


@pytest.mark.parametrize("extra", [0, 5])
@override_settings(AS_OF_DATE=TODAY)
def test_the_list_takes_the_same_queries_whatever_the_number_of_people(client, org, steps, extra,
                                                                       django_assert_num_queries):
    for _ in range(extra):
        factories.employee(team=org.team_a)
    client.force_login(org.hr.user)
    # session, user, principal; the candidates (11: people, memberships, rungs, positions, steps, rating labels
    # ×2, requirements, appointments, results, attendance)
    with django_assert_num_queries(14):
        client.get(f"{URL}?all=true")
