"""The month close, rollups' status and bottom-elimination rule endpoints, by role, through the same selectors and
services as their pages: the months with their figures by state, closing and reopening (a reason required), the
rollups' waiting and failed months, the rule the rankings apply; bad input 400 naming the field, nothing written."""

from datetime import date

import pytest

from kpis import services
from kpis.models import Channel, FiguresState, MonthClose, WeeklyFigures
from kpis.results.models import EliminationRule, RollupMonth
from kpis.services import RepWeekInput
from tests.api_errors import errors_by_field

AUGUST = date(2017, 8, 1)
AUGUST_WEEK = date(2017, 8, 7)
MONTHS, CLOSE, REOPEN = "/api/v1/months/", "/api/v1/months/close/", "/api/v1/months/reopen/"
ROLLUPS, RULE = "/api/v1/rollups/", "/api/v1/elimination-rule/"
ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]


@pytest.fixture(autouse=True)
def as_of(settings) -> date:
    settings.AS_OF_DATE = date(2017, 8, 31)
    return settings.AS_OF_DATE


def call(client, who, method: str, url: str, body: dict | None = None):
    client.force_login(who.user)
    return getattr(client, method)(url, body, content_type="application/json", headers={"Accept-Language": "en"})


def august(response) -> dict:
    assert response.status_code == 200, response.content
    return next(m for m in response.json() if m["month"] == "2017-08-01")


def enter(org) -> None:
    services.weekly_figures_save(week=AUGUST_WEEK, rows=[RepWeekInput(org.rep_a.pk, {"accounts_opened": "1"})],
                                 by=org.manager_a.user, channel=Channel.GRID)


# --- who may ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, [200, 200, 200, 403, 403, 403], strict=True)))
def test_the_months_are_read_by_all_of_sales_as_the_page(client, org, plan, role, status):
    assert call(client, org.by_role(role), "get", MONTHS).status_code == status


@pytest.mark.parametrize(("role", "url"), [(r, u) for r in ROLES[1:] for u in (CLOSE, REOPEN)])
def test_only_the_director_closes_and_reopens(client, org, plan, unchanged, role, url):
    with unchanged():
        response = call(client, org.by_role(role), "post", url, {"month": "2017-08-01", "reason": "补录"})
    assert response.status_code == 403


@pytest.mark.parametrize("url", [MONTHS, CLOSE, REOPEN, ROLLUPS, RULE])
def test_anonymous_is_401(client, org, plan, url):
    assert client.get(url).status_code == 401


# --- the months -------------------------------------------------------------------------------------------------

def test_the_months_count_figures_by_state_as_the_page(client, org, plan):
    enter(org)
    row = august(call(client, org.general_manager, "get", MONTHS))
    assert (row["draft"], row["submitted"], row["locked"], row["closed"], row["begun"]) == (1, 0, 0, False, True)
    assert len(row["weeks"]) == 5 and row["last_move"] is None
    assert call(client, org.director, "get", f"{MONTHS}?plan={plan.pk}").json() == \
        call(client, org.director, "get", MONTHS).json()


def test_an_unknown_or_malformed_plan_is_404_or_400(client, org, plan):
    assert call(client, org.director, "get", f"{MONTHS}?plan={2**31 - 1}").status_code == 404
    response = call(client, org.director, "get", f"{MONTHS}?plan=abc")
    assert response.status_code == 400 and "plan" in errors_by_field(response)


def test_the_director_closes_a_month_and_the_page_shows_it_closed(client, org, plan):
    enter(org)
    response = call(client, org.director, "post", CLOSE, {"month": "2017-08-15"})
    assert response.status_code == 200, response.content
    assert response.json() == {"month": "2017-08-01", "closed": True, "figures_changed": 1}
    assert WeeklyFigures.objects.get().state == FiguresState.LOCKED
    row = august(call(client, org.hr, "get", MONTHS))
    assert (row["closed"], row["locked"], row["last_move"]["action"]) == (True, 1, "close")
    assert row["last_move"]["by"] == org.director.name


def test_the_director_reopens_with_a_reason(client, org, plan):
    enter(org)
    services.month_close(month=AUGUST, by=org.director.user)
    response = call(client, org.director, "post", REOPEN, {"month": "2017-08-01", "reason": "补录"})
    assert response.status_code == 200, response.content
    assert response.json() == {"month": "2017-08-01", "closed": False, "figures_changed": 1}
    row = august(call(client, org.director, "get", MONTHS))
    assert (row["closed"], row["reopened"], row["last_move"]["reason"]) == (False, True, "补录")
    assert WeeklyFigures.objects.get().state == FiguresState.SUBMITTED


@pytest.mark.parametrize(("url", "body", "field"), [
    (CLOSE, {}, "month"),
    (CLOSE, {"month": "August"}, "month"),
    (CLOSE, {"month": "1999-01-01"}, "month"),      # outside the served years: the service names it
    (REOPEN, {"month": "2017-08-01"}, "reason"),
    (REOPEN, {"month": "2017-08-01", "reason": "  "}, "reason"),
    (REOPEN, {"reason": "补录"}, "month"),
])
def test_a_refused_close_or_reopen_names_its_field_and_writes_nothing(client, org, plan, unchanged, url, body,
                                                                     field):
    enter(org)
    services.month_close(month=AUGUST, by=org.director.user)
    with unchanged():
        response = call(client, org.director, "post", url, body)
    assert response.status_code == 400, response.content
    assert field in errors_by_field(response), response.json()


# --- the rollups' status ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, [200, 403, 403, 403, 403, 403], strict=True)))
def test_the_rollups_status_is_the_directors_as_the_page(client, org, role, status):
    assert call(client, org.by_role(role), "get", ROLLUPS).status_code == status


def test_the_rollups_status_lists_the_waiting_months_latest_first(client, org, plan):
    enter(org)  # a save asks for August's rollups
    body = call(client, org.director, "get", ROLLUPS).json()
    months = {m["month"]: m for m in body["months"]}
    assert months["2017-08-01"]["stale"] is True and body["all_current"] is False
    assert [m["month"] for m in body["months"]] == sorted(months, reverse=True)
    assert set(months) == {str(m) for m in RollupMonth.objects.values_list("month", flat=True)}
    assert body["last_check"] is None


# --- the bottom-elimination rule --------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, [200, 200, 200, 403, 403, 403], strict=True)))
def test_the_rule_is_read_by_all_of_sales(client, org, role, status):
    assert call(client, org.by_role(role), "get", RULE).status_code == status


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_the_director_sets_the_rule(client, org, unchanged, role):
    with unchanged():
        response = call(client, org.by_role(role), "put", RULE, {"bottom_count": 3, "warn_after": 2})
    assert response.status_code == 403


def test_the_director_sets_the_rule_and_reads_it_back(client, org):
    assert call(client, org.hr, "get", RULE).json()["changed_by"] is None  # the defaults, never set
    response = call(client, org.director, "put", RULE, {"bottom_count": 3, "bottom_percent": None, "warn_after": 4})
    assert response.status_code == 200, response.content
    assert response.json() | {"changed_at": None} == {"bottom_count": 3, "bottom_percent": "0.00", "warn_after": 4,
                                                       "changed_by": org.director.name, "changed_at": None}
    rule = EliminationRule.objects.get()
    assert (rule.bottom_count, rule.warn_after) == (3, 4)
    assert call(client, org.general_manager, "get", RULE).json()["bottom_count"] == 3


@pytest.mark.parametrize(("body", "field"), [
    ({"warn_after": 2}, "bottom_count"),                             # neither N nor a percentage
    ({"bottom_count": None, "bottom_percent": "0", "warn_after": 2}, "bottom_count"),
    ({"bottom_count": 3, "warn_after": 0}, "warn_after"),
    ({"bottom_count": 3}, "warn_after"),
    ({"bottom_percent": "101", "warn_after": 2}, "bottom_percent"),
    ({"bottom_count": -1, "warn_after": 2}, "bottom_count"),
])
def test_a_refused_rule_names_its_field_and_writes_nothing(client, org, unchanged, body, field):
    with unchanged():
        response = call(client, org.director, "put", RULE, body)
    assert response.status_code == 400, response.content
    assert field in errors_by_field(response), response.json()
    assert not MonthClose.objects.exists()


def test_the_months_read_the_same_queries_as_the_page_at_any_size(client, org, plan, django_assert_num_queries):
    enter(org)
    client.force_login(org.director.user)
    # session, user, the principal; the current plan, its months (with phases), figures in the plan's weeks, the
    # working calendar, rep-weeks due, month closes (none closed: no events to read)
    with django_assert_num_queries(9):
        assert client.get(MONTHS).status_code == 200
    services.month_close(month=date(2017, 7, 1), by=org.director.user)
    services.month_close(month=AUGUST, by=org.director.user)
    # the same, plus the closed months' state events with who made them
    with django_assert_num_queries(10):
        assert client.get(MONTHS).status_code == 200
