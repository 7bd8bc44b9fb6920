"""Weekly figures and metric registry endpoints for every role: allowed, refused (403), hidden (404); scoping;
400, 409; and columns that follow the registry."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kpis import metrics, services
from kpis.models import Channel, FigureChange, WeeklyFigures
from kpis.serializers import WeeklyFiguresSerializer
from kpis.services import RepWeekInput
from tests import factories
from tests.api_errors import error_codes, errors_by_field

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
WEEK = date(2017, 8, 7)
FIGURES = {"new_customers": "6", "engaged_customers": "10", "accounts_opened": "4",
           "new_customer_deposits": "300000", "existing_customer_deposits": "1200.50", "trading_volume": "0"}


def enter(by, employee, week: date = WEEK, version: int | None = None, **values: object) -> WeeklyFigures:
    """Save one rep-week through the service (as the grid would) and return it."""
    rows = [RepWeekInput(employee.pk, {**FIGURES, **values}, version=version)]
    services.weekly_figures_save(week=week, rows=rows, by=by.user, channel=Channel.GRID)
    return WeeklyFigures.objects.get(employee=employee, week=week)


def put_body(org, *rows: dict, team=None, week: date = WEEK) -> dict:
    rows = rows or ({"employee": org.rep_a.pk, "version": None, "values": FIGURES},)
    return {"team": (team or org.team_a).pk, "week": week.isoformat(), "rows": list(rows)}


def send(client, user, method: str, url: str, body: dict | None = None):
    """Call as `user`, reading messages in English (Chinese is the default; its catalogue comes later)."""
    client.force_login(user)
    return getattr(client, method)(url, body, content_type="application/json", headers={"Accept-Language": "en"})


# --- the permission matrix ------------------------------------------------------------------

READS = {
    "metrics": [200, 200, 200, 200, 200, 200],
    "figures": [200, 200, 200, 200, 200, 200],
    "figures_of_team_a": [200, 200, 200, 200, 404, 404],
    "figures_of_rep_a": [200, 200, 200, 200, 404, 200],
}
WRITES = {
    "upsert_team_a": [200, 403, 403, 200, 404, 404],
    "submit_team_a": [200, 403, 403, 200, 404, 404],
}


def read_url(org, name: str) -> str:
    return {"metrics": "/api/v1/metrics/", "figures": "/api/v1/figures/",
            "figures_of_team_a": f"/api/v1/figures/?team={org.team_a.pk}",
            "figures_of_rep_a": f"/api/v1/figures/?employee={org.rep_a.pk}"}[name]


def write_call(org, name: str) -> tuple[str, str, dict]:
    return {"upsert_team_a": ("put", "/api/v1/figures/", put_body(org)),
            "submit_team_a": ("post", "/api/v1/figures/submit/",
                              {"team": org.team_a.pk, "week": WEEK.isoformat()})}[name]


def cases(matrix: dict[str, list[int]]) -> list[tuple[str, str, int]]:
    return [(name, role, code) for name, row in matrix.items() for role, code in zip(ROLES, row, strict=True)]


@pytest.mark.parametrize(("endpoint", "role", "status"), cases(READS))
def test_read_permission_matrix(client, org, endpoint, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(read_url(org, endpoint)).status_code == status


@pytest.mark.parametrize(("endpoint", "role", "status"), cases(WRITES))
def test_write_permission_matrix(client, org, unchanged, endpoint, role, status):
    if endpoint == "submit_team_a":
        enter(org.manager_a, org.rep_a)
    method, url, body = write_call(org, endpoint)
    with unchanged.unless(status == 200):
        response = send(client, org.by_role(role).user, method, url, body)
    assert response.status_code == status, response.content
    done = {"upsert_team_a": WeeklyFigures.objects.filter(employee=org.rep_a),
            "submit_team_a": WeeklyFigures.objects.filter(employee=org.rep_a, state="submitted")}[endpoint]
    assert done.exists() == (status == 200)


@pytest.mark.parametrize("endpoint", [*READS, *WRITES])
def test_anonymous_call_is_refused(client, org, unchanged, endpoint):
    if endpoint in READS:
        response = client.get(read_url(org, endpoint))
    else:
        method, url, body = write_call(org, endpoint)
        with unchanged():
            response = getattr(client, method)(url, body, content_type="application/json")
    # no credentials: 401 naming the scheme, in the error shape
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_codes(response) == ["not_authenticated"]
    assert not WeeklyFigures.objects.exists()


# --- the registry ---------------------------------------------------------------------------


def test_metrics_lists_the_registry_in_order_with_labels_unit_and_source(client, org):
    client.force_login(org.rep_a.user)
    body = client.get("/api/v1/metrics/").json()
    assert [m["code"] for m in body] == [m.code for m in metrics.REGISTRY]
    assert body[0] == {"code": "new_customers", "label_zh": "新加客户数量", "label_en": "New customers",
                       "unit": "count", "entered": True, "number": 1}
    assert next(m for m in body if m["code"] == "close_rate") == {
        "code": "close_rate", "label_zh": "成交率", "label_en": "Close rate", "unit": "percent", "entered": False,
        "number": None}


@pytest.fixture
def twelfth_metric(monkeypatch) -> metrics.Metric:
    """A registry with a twelfth entered metric (as a company adding client visits would have)."""
    visits = metrics.Metric("client_visits", "客户拜访次数", "Client visits", metrics.Unit.COUNT)
    monkeypatch.setattr(metrics, "REGISTRY", (*metrics.REGISTRY, visits))
    monkeypatch.setattr(metrics, "ENTERED", (*metrics.ENTERED, visits))
    return visits


def test_a_twelfth_metric_appears_in_the_registry_endpoint_and_the_figures_columns(client, org, twelfth_metric):
    enter(org.manager_a, org.rep_a)
    client.force_login(org.director.user)
    assert client.get("/api/v1/metrics/").json()[-1] == {
        "code": "client_visits", "label_zh": "客户拜访次数", "label_en": "Client visits", "unit": "count",
        "entered": True, "number": None}
    assert "client_visits" in WeeklyFiguresSerializer().fields
    [row] = client.get("/api/v1/figures/").json()["results"]
    # Its column is there; without its migration the value reads as null.
    assert "client_visits" in row and row["client_visits"] is None


# --- listing ------------------------------------------------------------------------------


@pytest.fixture
def spread(org) -> None:
    """rep_a and rep_b in August; the mover in May (team A) and in June (team B)."""
    enter(org.manager_a, org.rep_a)
    enter(org.manager_b, org.rep_b)
    enter(org.manager_a, org.mover, week=date(2017, 5, 22))
    enter(org.manager_b, org.mover, week=date(2017, 6, 12))


@pytest.mark.parametrize(("role", "expected"), [
    ("director", {"rep_a", "rep_b", "mover:5", "mover:6"}),
    ("general_manager", {"rep_a", "rep_b", "mover:5", "mover:6"}),
    ("hr", {"rep_a", "rep_b", "mover:5", "mover:6"}),
    ("manager_a", {"rep_a", "mover:5"}),   # the mover's weeks in team B are not team A's business
    ("manager_b", {"rep_b", "mover:6"}),
    ("rep_a", {"rep_a"}),
])
def test_the_list_holds_only_what_the_user_may_see(client, org, spread, role, expected):
    client.force_login(org.by_role(role).user)
    rows = client.get("/api/v1/figures/").json()["results"]
    names = {org.rep_a.pk: "rep_a", org.rep_b.pk: "rep_b", org.mover.pk: "mover"}
    seen = {names[r["employee"]] + (f":{int(r['week'][5:7])}" if r["employee"] == org.mover.pk else "")
            for r in rows}
    assert seen == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("week=2017-08-07", {"rep_a 2017-08-07", "rep_b 2017-08-07"}),
    ("week=2017-08-07&team={team_a}", {"rep_a 2017-08-07"}),
    ("employee={mover}", {"mover 2017-05-22", "mover 2017-06-12"}),
    ("from=2017-06-01", {"mover 2017-06-12", "rep_a 2017-08-07", "rep_b 2017-08-07"}),
    ("to=2017-06-12", {"mover 2017-05-22", "mover 2017-06-12"}),
    ("from=2017-05-23&to=2017-08-06", {"mover 2017-06-12"}),
])
def test_the_list_filters_by_team_rep_week_and_range(client, org, spread, query, expected):
    client.force_login(org.director.user)
    rows = client.get("/api/v1/figures/?" + query.format(team_a=org.team_a.pk, mover=org.mover.pk)).json()["results"]
    names = {org.rep_a.pk: "rep_a", org.rep_b.pk: "rep_b", org.mover.pk: "mover"}
    assert {f"{names[r['employee']]} {r['week']}" for r in rows} == expected


def test_a_malformed_filter_is_a_400(client, org):
    client.force_login(org.director.user)
    assert client.get("/api/v1/figures/?week=next-monday").status_code == 400


def test_a_row_has_the_entered_metrics_derived_ones_state_and_version(client, org):
    enter(org.manager_a, org.rep_a)
    enter(org.manager_a, org.mover, week=date(2017, 5, 22), engaged_customers="0")
    client.force_login(org.manager_a.user)
    rows = client.get(f"/api/v1/figures/?team={org.team_a.pk}").json()["results"]
    by_week = {r["week"]: r for r in rows}
    assert by_week["2017-08-07"] == {
        "id": by_week["2017-08-07"]["id"], "week": "2017-08-07", "team": org.team_a.pk, "team_name": "先锋队",
        "employee": org.rep_a.pk, "employee_name": "甲队员",
        "new_customers": 6, "engaged_customers": 10, "accounts_opened": 4, "new_customer_deposits": "300000.00",
        "existing_customer_deposits": "1200.50", "trading_volume": "0.00",
        "total_deposits": "301200.50", "close_rate": "0.4000",
        "state": "draft", "version": 1, "entered_by": org.manager_a.user.username,
        "entered_at": by_week["2017-08-07"]["entered_at"]}
    assert by_week["2017-05-22"]["close_rate"] is None  # no engaged customers: no rate, not an error


def test_the_list_is_paginated(client, org):
    for week in range(55):
        enter(org.director, org.rep_a, week=date(2017, 2, 6) + timedelta(weeks=week))
    client.force_login(org.director.user)
    body = client.get("/api/v1/figures/").json()
    assert body["count"] == 55 and len(body["results"]) == 50 and body["next"]


@pytest.mark.parametrize("role", ["director", "manager_a"])
def test_the_list_reads_a_constant_number_of_queries(client, org, role, django_assert_num_queries):
    client.force_login(org.by_role(role).user)
    enter(org.manager_a, org.rep_a)
    # session, user, the principal (the employee and the teams they manage), count, the page (employee, team and
    # entered_by joined; a manager's team ids inlined).
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/figures/").json()["results"]) == 1
    for n in range(4):
        rep = factories.employee(team=org.team_a)
        for week in [date(2017, 7, 3), date(2017, 7, 10), date(2017, 7, 17)]:
            enter(org.manager_a, rep, week=week, accounts_opened=str(n))
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/figures/").json()["results"]) == 13


# --- upserting a week ---------------------------------------------------------------------


def test_a_manager_upserts_the_week_and_gets_the_saved_rows_back(client, org):
    response = send(client, org.manager_a.user, "put", "/api/v1/figures/", put_body(org))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["changed"], body["unchanged"]) == ([org.rep_a.pk], [], [])
    [row] = body["figures"]
    assert (row["employee"], row["version"], row["accounts_opened"]) == (org.rep_a.pk, 1, 4)

    saved = WeeklyFigures.objects.get(employee=org.rep_a, week=WEEK)
    assert (saved.version, saved.accounts_opened, saved.existing_customer_deposits) == (1, 4, Decimal("1200.50"))

    again = put_body(org, {"employee": org.rep_a.pk, "version": 1, "values": {**FIGURES, "accounts_opened": 5}})
    body = send(client, org.manager_a.user, "put", "/api/v1/figures/", again).json()
    assert body["changed"] == [org.rep_a.pk] and body["figures"][0]["version"] == 2
    saved.refresh_from_db()
    assert (saved.version, saved.accounts_opened) == (2, 5)


def test_an_api_change_is_recorded_in_the_audit_trail_with_channel_api(client, org):
    enter(org.manager_a, org.rep_a)
    body = put_body(org, {"employee": org.rep_a.pk, "version": 1, "values": {"accounts_opened": "9"}})
    send(client, org.manager_a.user, "put", "/api/v1/figures/", body)
    change = FigureChange.objects.get(channel=Channel.API)
    assert (change.field, change.old_value, change.new_value, change.changed_by) == (
        "accounts_opened", "4", "9", org.manager_a.user)


def test_bad_cells_answer_400_naming_row_rep_and_field_and_nothing_is_written(client, org, unchanged):
    body = put_body(org, {"employee": org.rep_a.pk, "values": FIGURES},
                    {"employee": org.leaver.pk, "values": {**FIGURES, "trading_volume": "-3", "new_customers": "x"}})
    with unchanged():
        response = send(client, org.director.user, "put", "/api/v1/figures/", body)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "rows[1].employee", "code": "invalid", "message": "Not one of your team's reps that week."}]
    body["rows"][1]["employee"] = org.mover.pk
    with unchanged():
        response = send(client, org.director.user, "put", "/api/v1/figures/", {**body, "week": "2017-05-22"})
    assert response.status_code == 400
    assert sorted((e["field"], e["message"]) for e in response.json()["errors"]) == [
        ("rows[1].values.new_customers", "“x” is not a number."),
        ("rows[1].values.trading_volume", "Figures cannot be negative.")]
    assert not WeeklyFigures.objects.exists()


def test_a_former_member_outside_their_dates_is_refused_for_the_manager(client, org, unchanged):
    body = put_body(org, {"employee": org.mover.pk, "values": FIGURES}, week=date(2017, 6, 5))
    with unchanged():
        response = send(client, org.manager_a.user, "put", "/api/v1/figures/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rows[0].employee"
    assert not WeeklyFigures.objects.exists()


@pytest.mark.parametrize(("change", "field"), [({"week": "2017-08-08"}, "week"), ({"rows": []}, "rows"),
                                               ({"team": "A"}, "team")])
def test_a_malformed_upsert_answers_400_naming_the_field(client, org, unchanged, change, field):
    with unchanged():
        response = send(client, org.director.user, "put", "/api/v1/figures/", {**put_body(org), **change})
    assert response.status_code == 400 and field in errors_by_field(response)


def test_a_week_in_a_closed_month_answers_400(client, org, unchanged):
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    with unchanged():
        response = send(client, org.director.user, "put", "/api/v1/figures/", put_body(org))
    assert response.status_code == 400 and "closed" in errors_by_field(response)["week"][0]
    assert not WeeklyFigures.objects.exists()


def test_a_stale_version_answers_409_with_what_changed_and_writes_nothing(client, org, unchanged):
    enter(org.manager_a, org.rep_a)
    enter(org.director, org.rep_a, version=1, new_customer_deposits="310000")  # the director's edit: version 2
    body = put_body(org, {"employee": org.rep_a.pk, "version": 1, "values": {**FIGURES, "accounts_opened": "3"}})
    with unchanged():
        response = send(client, org.manager_a.user, "put", "/api/v1/figures/", body)
    assert response.status_code == 409
    assert errors_by_field(response)["version"][0].startswith("Someone else saved figures for 甲队员")
    [conflict] = response.json()["conflicts"]
    assert (conflict["employee"], conflict["saved_by"]) == ("甲队员", org.director.name)
    assert conflict["differences"] == [
        {"metric": "Accounts opened", "theirs": "4", "yours": "3"},
        {"metric": "New-customer deposits", "theirs": "310000.00", "yours": "300000.00"}]
    figures = WeeklyFigures.objects.get(employee=org.rep_a)
    assert (figures.version, figures.accounts_opened, figures.new_customer_deposits) == (2, 4, Decimal("310000"))


def test_another_teams_rep_in_the_rows_answers_404_without_naming_them(client, org, unchanged):
    body = put_body(org, {"employee": org.rep_b.pk, "values": FIGURES})
    with unchanged():
        response = send(client, org.manager_a.user, "put", "/api/v1/figures/", body)
    assert response.status_code == 404 and "乙队员" not in response.content.decode()
    assert not WeeklyFigures.objects.exists()


# --- submitting ---------------------------------------------------------------------------


def test_submitting_answers_how_many_drafts_went_to_the_director(client, org, unchanged):
    enter(org.manager_a, org.rep_a)
    enter(org.manager_b, org.rep_b)
    body = {"team": org.team_a.pk, "week": WEEK.isoformat()}
    assert send(client, org.manager_a.user, "post", "/api/v1/figures/submit/", body).json() == {"submitted": 1}
    assert WeeklyFigures.objects.get(employee=org.rep_a).state == "submitted"
    assert WeeklyFigures.objects.get(employee=org.rep_b).state == "draft"
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    with unchanged():
        assert send(client, org.manager_a.user, "post", "/api/v1/figures/submit/", body).status_code == 400


# --- authentication -----------------------------------------------------------------------------------------------

def test_the_api_refuses_basic_authentication_even_with_the_right_password(client, org):
    import base64

    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    # the credentials are right (django-axes checks every authentication against its request)
    assert authenticate(RequestFactory().get("/"), username=org.manager_a.user.username, password="pw")
    credentials = base64.b64encode(f"{org.manager_a.user.username}:pw".encode()).decode()
    response = client.get("/api/v1/figures/", headers={"Authorization": f"Basic {credentials}"})
    assert response.status_code in (401, 403)
    client.force_login(org.manager_a.user)
    assert client.get("/api/v1/figures/").status_code == 200
