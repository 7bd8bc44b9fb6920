"""Issue 11 for weekly figures: every bad value in the grid, the API, the import, the month close and the elimination
rule gets a 4xx or a message naming it, never a 500; a refused request changes no row, audit trail included; the
grid and the API write only what the user changed; Chinese ways of writing numbers are understood."""

import html
import json
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from kpis import metrics
from kpis.models import FigureChange, MonthClose, WeeklyFigures
from kpis.results.models import EliminationRule
from teams import inputs
from tests.api_errors import errors_by_field
from tests.kpis.test_grid import FULL, grid_url, save

MARCH_6 = date(2017, 3, 6)
API = "/api/v1/figures/"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_form(response) -> dict:
    """Return what the grid page would post back untouched: each rep, its version, each cell and the value it
    started from."""
    data: dict = {"rep": []}
    for line in response.context["lines"]:
        data["rep"].append(str(line.rep.pk))
        data[f"version-{line.rep.pk}"] = "" if line.version is None else str(line.version)
        for cell in line.cells:
            data[f"v-{line.rep.pk}-{cell.metric.code}"] = cell.text
            data[f"was-{line.rep.pk}-{cell.metric.code}"] = cell.was
    return data


def two_open_pages(client, org) -> tuple[Client, dict, dict]:
    """Open team A's week as its manager (in `client`) and as the director (in a second browser); return the
    director's client and both untouched forms."""
    director = Client()
    director.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    director.force_login(org.director.user)
    client.force_login(org.manager_a.user)
    return director, page_form(client.get(grid_url(org.team_a))), page_form(director.get(grid_url(org.team_a)))


def put(client, org, values: dict, week: str = "2017-03-06", version=None, who=None):
    client.force_login((who or org.manager_a).user)
    body = {"team": org.team_a.pk, "week": week, "rows": [{"employee": org.rep_a.pk, "version": version,
                                                           "values": values}]}
    return client.put(API, body, content_type="application/json", headers={"Accept-Language": "en"})


# --- numbers past their column: the grid, the API and the import refuse them at once --------------------------

TOO_BIG = [
    ("1e999999999", "too large"),              # a 120-byte body that pinned a thread converting it to an integer
    ("3000000000", "at most 2,147,483,647"),   # above the integer column: DataError at the confirm
    ("1e20", "at most 2,147,483,647"),
    ("9" * 5000, "too long to be a number"),   # past Python's 4,300-digit limit: a 500 at the preview
]


@pytest.mark.parametrize(("typed", "message"), TOO_BIG)
def test_the_api_refuses_a_count_past_its_column_with_a_400(client, org, plan, unchanged, typed, message):
    with unchanged():
        response = put(client, org, {"new_customers": typed})
    assert response.status_code == 400, response.content
    assert message in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(("typed", "message"), TOO_BIG)
def test_the_grid_marks_a_count_past_its_column_and_saves_nothing(client, org, plan, unchanged, typed, message):
    client.force_login(org.manager_a.user)
    data = page_form(client.get(grid_url(org.team_a)))
    data[f"v-{org.rep_a.pk}-new_customers"] = typed
    with unchanged():
        response = client.post(grid_url(org.team_a), data)
    assert response.status_code == 200
    [cell] = [c for line in response.context["lines"] for c in line.cells if c.error]
    assert message in cell.error


@pytest.mark.parametrize(("typed", "message"), TOO_BIG)
def test_the_import_marks_a_count_past_its_column_and_the_confirm_cannot_run(client, org, plan, unchanged, typed,
                                                                              message):
    from tests.kpis.files import sheets
    client.force_login(org.manager_a.user)
    file = sheets.csv_file([sheets.line(org.rep_a, MARCH_6, typed, "5", "2", "0", "0", "0")])
    with unchanged():
        response = client.post(reverse("kpis:import"), {"file": file})
    assert response.status_code == 200
    [error] = response.context["preview"].errors
    assert error.row == 2 and message in error.message and response.context["token"] is None


def test_chinese_ways_of_writing_numbers_are_understood_by_the_grid(client, org, plan):
    client.force_login(org.manager_a.user)
    data = page_form(client.get(grid_url(org.team_a)))
    typed = {"new_customers": "１，２００", "new_customer_deposits": "12万", "existing_customer_deposits": "1.2万",
             "trading_volume": "¥1,200.00"}
    data.update({f"v-{org.rep_a.pk}-{code}": value for code, value in typed.items()})
    assert client.post(grid_url(org.team_a), data).status_code == 302
    saved = WeeklyFigures.objects.get(employee=org.rep_a)
    assert (saved.new_customers, saved.new_customer_deposits, saved.existing_customer_deposits,
            saved.trading_volume) == (1200, 120000, 12000, 1200)


def test_chinese_ways_of_writing_numbers_are_understood_by_the_api_and_the_import(client, org, plan):
    assert put(client, org, {**FULL, "trading_volume": "3.5万"}).status_code == 200
    assert WeeklyFigures.objects.get(employee=org.rep_a).trading_volume == 35000
    from tests.kpis.files import sheets
    file = sheets.xlsx([sheets.line(org.rep_a, "2017-03-13", "１２", "5", "2", "¥1,200.00", "0.5万", "0")])
    preview = client.post(reverse("kpis:import"), {"file": file}).context["preview"]
    assert not preview.errors
    assert [c.value for c in preview.rows[0].cells][:5] == [12, 5, 2, 1200, 5000]


# --- dates outside the years the product serves ---------------------------------------------------------------

@pytest.mark.parametrize("week", ["9999-12-27", "0001-01-01"])
def test_the_grid_of_a_week_outside_the_served_years_is_a_400_naming_the_range(client, org, plan, week):
    client.force_login(org.manager_a.user)
    response = client.get(reverse("kpis:grid", args=[org.team_a.pk, week]))
    assert response.status_code == 400
    assert "Dates run from 2000 to 2100" in text(response)


def test_the_api_refuses_a_week_outside_the_served_years(client, org, plan, unchanged):
    with unchanged():
        response = put(client, org, FULL, week="9999-12-27")
    assert response.status_code == 400 and "Dates run from 2000 to 2100" in errors_by_field(response)["week"][0]
    response = client.get(API, {"week": "9999-12-27"})
    assert response.status_code == 400


def test_the_import_refuses_a_week_outside_the_served_years_on_its_row(client, org, plan, unchanged):
    from tests.kpis.files import sheets
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(reverse("kpis:import"), {"file": sheets.csv_file([sheets.line(org.rep_a,
                                                                                          "9999-12-27")])})
    [error] = response.context["preview"].errors
    assert error.column == "周" and "Dates run from 2000 to 2100" in error.message


@pytest.mark.parametrize("action", ["kpis:month_close", "kpis:month_reopen"])
def test_closing_or_reopening_a_month_outside_the_served_years_says_so(client, org, plan, unchanged, action):
    client.force_login(org.director.user)
    with unchanged():
        response = client.post(reverse(action), {"month": "9999-12-01", "reason": "因为"}, follow=True)
    assert response.status_code == 200 and "Dates run from 2000 to 2100" in text(response)


def test_a_reopen_reason_longer_than_its_column_is_refused_and_the_month_stays_closed(client, org, plan, unchanged):
    client.force_login(org.director.user)
    client.post(reverse("kpis:month_close"), {"month": "2017-03-01"})
    with unchanged():
        response = client.post(reverse("kpis:month_reopen"), {"month": "2017-03-01", "reason": "长" * 1000},
                               follow=True)
    assert "At most 300 characters; this has 1,000." in text(response)
    assert MonthClose.objects.get(month=date(2017, 3, 1)).closed


@pytest.mark.parametrize(("field", "message"), [
    ("bottom_count", "A count can be at most 32,767."), ("warn_after", "A count can be at most 32,767."),
    ("bottom_percent", "It can be at most 100."),
])
def test_an_elimination_rule_past_its_columns_is_refused_with_a_message(client, org, plan, unchanged, field,
                                                                          message):
    client.force_login(org.director.user)
    data = {"bottom_count": "", "bottom_percent": "10", "warn_after": "2", field: "99999"}
    with unchanged():
        response = client.post(reverse("dashboards:rankings"), data, follow=True)
    assert response.status_code == 200 and message in text(response)
    assert not EliminationRule.objects.filter(bottom_count=99999).exists()


# --- only what the user changed is written ---------------------------------------------------------------------

def test_a_grid_post_that_leaves_out_a_field_keeps_its_stored_value(client, org, plan):
    save(org, org.rep_a, **FULL)
    client.force_login(org.manager_a.user)
    data = page_form(client.get(grid_url(org.team_a)))
    data[f"v-{org.rep_a.pk}-new_customers"] = "4"
    del data[f"v-{org.rep_a.pk}-trading_volume"], data[f"was-{org.rep_a.pk}-trading_volume"]
    assert client.post(grid_url(org.team_a), data).status_code == 302
    saved = WeeklyFigures.objects.get(employee=org.rep_a)
    assert (saved.new_customers, saved.trading_volume) == (4, 150000)
    assert set(FigureChange.objects.filter(figures=saved, changed_by=org.manager_a.user)
               .values_list("field", flat=True)) >= {"new_customers"}
    assert not FigureChange.objects.filter(figures=saved, field="trading_volume", new_value="0").exists()


def test_json_null_or_a_missing_metric_keeps_the_stored_value(client, org, plan):
    first = put(client, org, FULL).json()["figures"][0]
    response = put(client, org, {"new_customers": None, "engaged_customers": "9"}, version=first["version"])
    assert response.status_code == 200, response.content
    saved = WeeklyFigures.objects.get(employee=org.rep_a)
    assert (saved.new_customers, saved.engaged_customers, saved.trading_volume) == (3, 9, 150000)


def test_a_save_that_changes_nothing_says_so(client, org, plan, unchanged):
    save(org, org.rep_a, **FULL)
    client.force_login(org.manager_a.user)
    data = page_form(client.get(grid_url(org.team_a)))
    with unchanged():
        response = client.post(grid_url(org.team_a), data, follow=True)
    assert "You changed nothing, so nothing was saved." in text(response)


def test_two_people_saving_different_reps_of_one_week_both_keep_their_change(client, org, plan):
    """The lost update: the second saver is not shown a conflict for a rep they never touched, and their page's
    stale value of that rep is not written back over the first saver's change."""
    save(org, org.rep_a, **FULL)
    save(org, org.mover, **FULL)
    director, manager_form, director_form = two_open_pages(client, org)
    manager_form[f"v-{org.rep_a.pk}-new_customers"] = "8"
    assert client.post(grid_url(org.team_a), manager_form).status_code == 302
    director_form[f"v-{org.mover.pk}-new_customers"] = "7"
    response = director.post(grid_url(org.team_a), director_form)
    assert response.status_code == 302, response.context["problem"].message
    assert WeeklyFigures.objects.get(employee=org.rep_a).new_customers == 8
    assert WeeklyFigures.objects.get(employee=org.mover).new_customers == 7


def test_after_a_conflict_the_page_shows_their_values_and_retries_only_your_edits(client, org, plan, unchanged):
    save(org, org.rep_a, **FULL)
    director, manager_form, director_form = two_open_pages(client, org)
    manager_form[f"v-{org.rep_a.pk}-engaged_customers"] = "40"
    client.post(grid_url(org.team_a), manager_form)
    director_form[f"v-{org.rep_a.pk}-new_customers"] = "9"
    with unchanged():
        conflict = director.post(grid_url(org.team_a), director_form)
    [stale] = conflict.context["conflicts"]
    assert stale.employee == org.rep_a.name
    # The manager's 40 is shown, the director's own 9 kept; the retry writes the 9 and keeps the 40.
    retry = page_form(conflict)
    assert (retry[f"v-{org.rep_a.pk}-engaged_customers"], retry[f"v-{org.rep_a.pk}-new_customers"]) == ("40", "9")
    assert director.post(grid_url(org.team_a), retry).status_code == 302
    saved = WeeklyFigures.objects.get(employee=org.rep_a)
    assert (saved.new_customers, saved.engaged_customers) == (9, 40)


def test_the_grid_tells_the_browser_the_columns_limits():
    from kpis.views.grid import _browser_config
    config = _browser_config(readonly=False, unsaved=False)
    assert config["limits"] == {"chars": 40, "count": 2_147_483_647, "amount": 999_999_999_999.99,
                                "scales": {"万": 10_000, "亿": 100_000_000}, "currency": inputs.CURRENCY.pattern}
    assert json.dumps(config)  # it goes into the page as JSON


def test_the_metric_columns_are_where_the_limits_come_from():
    column = WeeklyFigures._meta.get_field("new_customers")
    assert column.get_internal_type() == metrics.model_field(metrics.Unit.COUNT).get_internal_type()


@pytest.mark.parametrize("url", [
    "/figures/import/template/?week=9999-12-27", "/figures/export/?first=9999-12-27&last=9999-12-27&format=csv",
    "/figures/export/?first=0001-01-01&last=0001-01-01&format=xlsx", "/rankings/?first=9999-12-01",
])
def test_pages_given_a_date_outside_the_served_years_answer_without_a_500(client, org, plan, url):
    client.force_login(org.director.user)
    assert client.get(url).status_code in (200, 400)


# --- the admin reads figures through the same parser ------------------------------------------------------------

def test_the_admin_refuses_a_count_past_its_column_and_understands_wan(admin_client, org, plan, unchanged):
    save(org, org.rep_a, **FULL)
    figures = WeeklyFigures.objects.get(employee=org.rep_a)
    url = reverse("admin:kpis_weeklyfigures_change", args=[figures.pk])
    post = {"seen_version": figures.version, **{code: value.replace(",", "") for code, value in FULL.items()}}
    with unchanged():
        refused = admin_client.post(url, {**post, "new_customers": "3000000000"}, headers={"Accept-Language": "en"})
    assert refused.status_code == 200 and "A count can be at most 2,147,483,647." in text(refused)
    assert admin_client.post(url, {**post, "trading_volume": "15万"}).status_code == 302
    assert WeeklyFigures.objects.get(pk=figures.pk).trading_volume == 150000
