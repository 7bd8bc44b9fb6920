"""The API's version 1 as a whole: the old paths redirect, every refusal has the one error shape in the request's
language, lists filter and order within the scope, and writes take their version from the body or If-Match."""

from datetime import date

import pytest

from kpis.models import WeeklyFigures
from tests.api_errors import error_codes, errors_by_field
from tests.kpis.test_api import enter, put_body
from tests.targets.test_api import PHASES, targets_2017

WEEK = date(2017, 8, 7)
LIST = "/api/v1/figures/"


# --- versioning ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "put", "post"])
def test_an_unversioned_path_is_a_308_to_v1_keeping_the_method_and_query(client, method):
    response = getattr(client, method)("/api/figures/?team=3&week=2017-08-07", content_type="application/json")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/figures/?team=3&week=2017-08-07"


def test_following_the_redirect_puts_the_week(client, org):
    client.force_login(org.manager_a.user)
    response = client.put("/api/figures/", put_body(org), content_type="application/json", follow=True)
    assert response.status_code == 200 and WeeklyFigures.objects.filter(employee=org.rep_a).exists()


# --- the error shape -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_an_unknown_path_under_v1_is_a_404_in_the_error_shape_in_the_readers_language(client, org, method):
    client.force_login(org.rep_a.user)
    response = getattr(client, method)("/api/v1/no-such-thing/7/", headers={"Accept-Language": "zh-hans"})
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["code"] == "not_found" and error["field"] is None and "接口" in error["message"]


@pytest.mark.parametrize(("call", "status", "code"), [
    (lambda c, org: c.get(f"/api/v1/teams/{org.team_b.pk}/"), 404, "not_found"),
    (lambda c, org: c.delete("/api/v1/figures/"), 405, "method_not_allowed"),
    (lambda c, org: c.put("/api/v1/figures/", "<x/>", content_type="application/xml"), 415, "unsupported_media_type"),
    (lambda c, org: c.get("/api/v1/plans/"), 403, "permission_denied"),
    (lambda c, org: c.get("/api/v1/figures/?week=next-monday"), 400, "invalid"),
])
def test_every_refusal_has_the_one_shape(client, org, call, status, code):
    client.force_login(org.manager_a.user if status != 403 else org.rep_a.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = call(client, org)
    assert response.status_code == status
    assert error_codes(response) == [code] and errors_by_field(response)


def test_a_404_names_nothing_hidden(client, org):
    client.force_login(org.manager_a.user)
    response = client.get(f"/api/v1/employees/{org.rep_b.pk}/", headers={"Accept-Language": "en"})
    assert response.json() == {"errors": [{"field": None, "code": "not_found", "message": "Not found."}]}


@pytest.mark.parametrize(("language", "expected"), [("en", "A valid integer is required."),
                                                    ("zh-hans", "请填写合法的整数值。")])
def test_messages_come_in_the_requests_language(client, org, language, expected):
    client.force_login(org.manager_a.user)
    response = client.put(LIST, {**put_body(org), "team": "A"}, content_type="application/json",
                          headers={"Accept-Language": language})
    assert errors_by_field(response) == {"team": [expected]}


def test_a_domain_error_is_in_chinese_by_default(client, org):
    from kpis import services

    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    client.force_login(org.director.user)
    response = client.put(LIST, put_body(org), content_type="application/json")
    assert response.status_code == 400 and "已月结" in errors_by_field(response)["week"][0]


# --- filtering and ordering ----------------------------------------------------------------------------------------

def test_ordering_takes_only_the_listed_fields(client, org):
    for week in (date(2017, 8, 7), date(2017, 8, 14)):
        enter(org.manager_a, org.rep_a, week=week)
    client.force_login(org.director.user)
    weeks = [r["week"] for r in client.get(f"{LIST}?ordering=-week").json()["results"]]
    assert weeks == ["2017-08-14", "2017-08-07"]
    # not listed: ignored, the default order stays (no ordering by a join the endpoint never offered)
    default = [r["week"] for r in client.get(LIST).json()["results"]]
    assert [r["week"] for r in client.get(f"{LIST}?ordering=entered_by__password").json()["results"]] == default


def test_a_filter_never_widens_the_scope(client, org):
    enter(org.manager_a, org.rep_a)
    enter(org.manager_b, org.rep_b)
    client.force_login(org.manager_a.user)
    assert client.get(f"{LIST}?team={org.team_b.pk}").status_code == 404
    assert client.get(f"{LIST}?employee={org.rep_b.pk}").status_code == 404
    rows = client.get(f"{LIST}?week={WEEK}&ordering=team").json()["results"]
    assert {r["employee"] for r in rows} == {org.rep_a.pk}


def test_the_page_size_is_capped(client, org):
    client.force_login(org.director.user)
    assert client.get(f"{LIST}?page_size=100000").status_code == 200  # served, at most 200 a page


# --- optimistic concurrency ----------------------------------------------------------------------------------------

def test_a_week_has_an_etag_and_if_match_upserts_it(client, org):
    enter(org.manager_a, org.rep_a)
    client.force_login(org.manager_a.user)
    read = client.get(f"{LIST}?team={org.team_a.pk}&week={WEEK}")
    etag = read["ETag"]
    assert etag == f'"week:{org.rep_a.pk}=1"'
    body = put_body(org, {"employee": org.rep_a.pk, "values": {"accounts_opened": "7"}})  # no version in the body
    saved = client.put(LIST, body, content_type="application/json", headers={"If-Match": etag})
    assert saved.status_code == 200 and saved["ETag"] == f'"week:{org.rep_a.pk}=2"'
    stale = client.put(LIST, body, content_type="application/json",
                       headers={"If-Match": etag, "Accept-Language": "en"})
    assert stale.status_code == 409 and error_codes(stale) == ["conflict"]
    assert stale.json()["conflicts"][0]["differences"] == []  # the same values: only the version differs
    assert WeeklyFigures.objects.get(employee=org.rep_a).version == 2


def test_a_malformed_if_match_is_a_400_naming_the_header(client, org):
    client.force_login(org.manager_a.user)
    response = client.put(LIST, put_body(org), content_type="application/json", headers={"If-Match": "7"})
    assert response.status_code == 400 and "If-Match" in errors_by_field(response)


def test_a_plan_has_an_etag_and_a_stale_if_match_is_a_409_naming_the_change(client, org, plan):
    client.force_login(org.director.user)
    url = f"/api/v1/plans/{plan.pk}/"
    etag = client.get(url)["ETag"]
    assert etag == f'"{plan.version}"'
    body = {"phases": PHASES, "month_targets": targets_2017(), "reason": "调整"}
    first = client.put(url, {**body, "month_targets": targets_2017(m0=1)}, content_type="application/json",
                       headers={"If-Match": etag})
    assert first.status_code == 200 and first["ETag"] == f'"{plan.version + 1}"'
    stale = client.put(url, body, content_type="application/json", headers={"If-Match": etag, "Accept-Language": "en"})
    assert stale.status_code == 409
    [message] = errors_by_field(stale)["version"]
    assert "changed this plan" in message and "2017-02" in message  # who, and the month that differs
