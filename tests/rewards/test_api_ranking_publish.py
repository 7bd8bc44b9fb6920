"""Publishing and withdrawing a ranking through the API, by role, through rewards.services.rankings as the pages:
the director publishes a closed month (everyone then reads it) and withdraws it at the version read (stale: 409
with the current version); anyone else 403; a period that is not one, or not closed, 400 naming the field."""

from datetime import date

import pytest

from kpis import services
from kpis.results import services as rollups
from rewards.models import Notice, PublishedRanking
from tests.api_errors import errors_by_field
from tests.rewards.test_rankings import APRIL, FEBRUARY, MARCH, enter_march

PUBLISH = "/api/v1/published-rankings/publish/"
MARCH_URL = "/api/v1/published-rankings/month/2017/3/"
ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]


def call(client, who, method: str, url: str, body: dict | None = None, **headers):
    client.force_login(who.user)
    return getattr(client, method)(url, body, content_type="application/json",
                                   headers={"Accept-Language": "en", **headers})


def withdraw_url(ranking: PublishedRanking | int) -> str:
    return f"/api/v1/published-rankings/{getattr(ranking, 'pk', ranking)}/withdraw/"


@pytest.fixture
def ranked(org, plan, settings):
    """March entered, its rollups current, and March closed (as tests/rewards/test_rankings.py)."""
    settings.AS_OF_DATE = date(2017, 10, 27)
    enter_march(org)
    rollups.recompute_all([FEBRUARY, MARCH, APRIL])
    services.month_close(month=MARCH, by=org.director.user)
    return plan


def publish(client, org, **body):
    return call(client, org.director, "post", PUBLISH, {"period": "month", "first_month": "2017-03-01", **body})


def test_the_director_publishes_and_every_role_then_reads_it(client, org, ranked):
    assert call(client, org.rep_a, "get", MARCH_URL).status_code == 404
    response = publish(client, org, show_amounts=True)
    assert response.status_code == 200, response.content
    ranking = PublishedRanking.objects.get()
    assert response.json()["id"] == ranking.pk and response["ETag"] == '"1"' and ranking.show_amounts
    assert Notice.objects.filter(ranking=ranking).exists()
    for role in ROLES:
        assert call(client, org.by_role(role), "get", MARCH_URL).status_code == 200
    rows = call(client, org.rep_a, "get", MARCH_URL).json()["rows"]
    assert rows[0]["name"] == org.rep_a.name and rows[0]["deposits"] is not None


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_the_director_publishes_and_withdraws(client, org, ranked, unchanged, role):
    ranking = PublishedRanking.objects.get(pk=publish(client, org).json()["id"])
    with unchanged():
        assert call(client, org.by_role(role), "post", PUBLISH,
                    {"period": "month", "first_month": "2017-03-01"}).status_code == 403
        assert call(client, org.by_role(role), "post", withdraw_url(ranking), {"version": 1}).status_code == 403


def test_anonymous_is_401(client, org):
    assert client.post(PUBLISH, {}, content_type="application/json").status_code == 401
    assert client.post(withdraw_url(1), {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize(("body", "field"), [
    ({"first_month": "2017-04-01"}, "first_month"),    # April is not closed
    ({"first_month": "2016-03-01"}, "first_month"),    # not a month of a plan
    ({"period": "year"}, "period"),
    ({"first_month": "March"}, "first_month"),
    ({"period": None}, "period"),
])
def test_a_refused_publish_names_its_field_and_writes_nothing(client, org, ranked, unchanged, body, field):
    with unchanged():
        response = publish(client, org, **body)
    assert response.status_code == 400, response.content
    assert field in errors_by_field(response), response.json()


def test_the_director_withdraws_at_the_version_read_and_reps_no_longer_see_it(client, org, ranked):
    tag = publish(client, org)["ETag"]
    ranking = PublishedRanking.objects.get()
    response = call(client, org.director, "post", withdraw_url(ranking), {}, **{"If-Match": tag})
    assert response.status_code == 200, response.content
    assert response.json()["withdrawn_at"] is not None and response["ETag"] == '"2"'
    assert call(client, org.rep_a, "get", MARCH_URL).status_code == 404
    assert call(client, org.hr, "get", MARCH_URL).status_code == 200  # HR still sees a withdrawn one


def test_a_stale_withdrawal_is_409_with_the_current_version_and_changes_nothing(client, org, ranked, unchanged):
    publish(client, org)
    publish(client, org)  # republished: version 2
    ranking = PublishedRanking.objects.get()
    with unchanged():
        response = call(client, org.director, "post", withdraw_url(ranking), {"version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and list(errors_by_field(response)) == ["version"]


def test_an_unknown_ranking_is_404_and_a_missing_version_400(client, org, ranked, unchanged):
    publish(client, org)
    with unchanged():
        assert call(client, org.director, "post", withdraw_url(2**31 - 1), {"version": 1}).status_code == 404
        missing = call(client, org.director, "post", withdraw_url(PublishedRanking.objects.get()), {})
    assert missing.status_code == 400 and "version" in errors_by_field(missing)
