"""Spreadsheet import of weekly figures: template, upload, preview, confirm, every refusal, concurrency, roles."""

import html
import re
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from kpis import imports, metrics, services, uploads
from kpis.models import FigureChange, WeeklyFigures
from kpis.resources import ParsedSheet, SheetLine
from kpis.results.models import RepMonthResult, RollupMonth
from tests.kpis.files import sheets
from tests.kpis.files.sheets import line
from tests.unchanged import Unchanged


@pytest.fixture
def client(client):
    """Pages in English, so the assertions read the messages' source text whatever gets translated."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


MARCH_6, MARCH_13 = date(2017, 3, 6), date(2017, 3, 13)  # Mondays: the mover and the leaver are still in team A
IMPORT, CONFIRM = reverse("kpis:import"), reverse("kpis:import_confirm")


def save(by, rep, week: date, *figures: str) -> None:
    """Save a rep's week through the service, as the entry grid would."""
    values = dict(zip([m.code for m in metrics.ENTERED], figures or sheets.FIGURES, strict=True))
    services.weekly_figures_save(week=week, rows=[services.RepWeekInput(rep.pk, values)], by=by.user, channel="grid")


def upload(client, who, file):
    """Post the file for its preview, which writes nothing to the database whatever the file holds (it is kept in
    the session for the confirm)."""
    client.force_login(who.user)
    with Unchanged()():
        return client.post(IMPORT, {"file": file})


def text(response) -> str:
    """Return the page as a reader sees it (entities such as &#x27; unescaped)."""
    return html.unescape(response.content.decode())


def confirm(client, response):
    return client.post(CONFIRM, {"token": response.context["token"], "accept_warnings": "1"})


# --- the preview and the confirm -------------------------------------------------------------------------------

def test_preview_shows_each_row_as_new_changed_or_unchanged_and_writes_nothing(client, org):
    save(org.manager_a, org.rep_a, MARCH_6)
    save(org.manager_a, org.rep_a, MARCH_13)
    file = sheets.xlsx([line(org.rep_a, MARCH_6, "4", "5", "2", "12000", "5000", "80000"),
                        line(org.rep_a, MARCH_13), line(org.mover, MARCH_6)])
    response = upload(client, org.manager_a, file)
    preview = response.context["preview"]
    assert [r.status for r in preview.rows] == ["changed", "unchanged", "new"]
    changed = {c.metric.code: (c.old, c.value) for c in preview.rows[0].cells if c.changed}
    assert changed == {"new_customers": (3, 4), "new_customer_deposits": (Decimal("10000.50"), Decimal("12000"))}
    assert "Confirm import" in text(response)
    assert WeeklyFigures.objects.count() == 2 and FigureChange.objects.filter(channel="import").count() == 0


def test_confirm_writes_every_week_and_records_each_changed_cell_as_an_import(client, org, unchanged):
    save(org.manager_a, org.rep_a, MARCH_6)
    file = sheets.xlsx([line(org.rep_a, MARCH_6, "4", "5", "2", "10000.50", "5000", "80000"),
                        line(org.rep_a, MARCH_13), line(org.mover, MARCH_13)])
    previewed = upload(client, org.manager_a, file)
    response = confirm(client, previewed)
    assert response.url == IMPORT
    changed = WeeklyFigures.objects.get(employee=org.rep_a, week=MARCH_6)
    assert (changed.new_customers, changed.version, changed.entered_by) == (4, 2, org.manager_a.user)
    assert WeeklyFigures.objects.get(employee=org.mover, week=MARCH_13).new_customer_deposits == Decimal("10000.50")
    audit = FigureChange.objects.filter(channel="import")
    assert {(c.figures.employee_id, c.field, c.old_value, c.new_value) for c in audit.filter(figures=changed)} == {
        (org.rep_a.pk, "new_customers", "3", "4")}
    assert audit.filter(figures__week=MARCH_13).count() == 2 * len(metrics.ENTERED)
    assert set(audit.values_list("changed_by", flat=True)) == {org.manager_a.user.pk}
    assert not client.session.get("kpis_import")  # a second confirm of the same preview writes nothing
    with unchanged():
        assert confirm(client, previewed).url == IMPORT


def test_import_message_counts_new_changed_and_unchanged_rep_weeks(client, org):
    save(org.manager_a, org.rep_a, MARCH_6)
    file = sheets.csv_file([line(org.rep_a, MARCH_6), line(org.mover, MARCH_6)])
    response = client.get(confirm(client, upload(client, org.manager_a, file)).url)
    assert "figures.csv imported: 1 new, 0 changed and 1 unchanged rep-weeks." in text(response)


def test_the_director_imports_for_every_team_in_one_file(client, org):
    file = sheets.xlsx([line(org.rep_a, MARCH_6), line(org.rep_b, MARCH_6)])
    confirm(client, upload(client, org.director, file))
    assert set(WeeklyFigures.objects.values_list("team", flat=True)) == {org.team_a.pk, org.team_b.pk}


def test_english_headers_and_metric_codes_are_accepted(client, org):
    head = ["Employee Number", "Name", "Week", *[m.label_en for m in metrics.ENTERED[:3]],
            *[m.code for m in metrics.ENTERED[3:]], "Comment"]
    response = upload(client, org.manager_a, sheets.csv_file([line(org.rep_a, MARCH_6) + ["ok"]], head=head))
    assert response.context["preview"].counts == {"new": 1, "changed": 0, "unchanged": 0, "error": 0}
    assert "These columns are not imported: Comment" in text(response)
    confirm(client, response)
    assert WeeklyFigures.objects.get(employee=org.rep_a).trading_volume == 80000


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_or_in_gb18030_is_read(client, org, encoding):
    file = sheets.csv_file([line(org.rep_a, "2017/3/6")], encoding=encoding)
    response = upload(client, org.manager_a, file)
    assert [(r.status, r.name, r.week) for r in response.context["preview"].rows] == [("new", "甲队员", MARCH_6)]


def test_a_rep_week_saved_by_someone_else_after_the_preview_is_not_overwritten(client, org, unchanged):
    file = sheets.xlsx([line(org.rep_a, MARCH_6), line(org.mover, MARCH_6)])
    previewed = upload(client, org.manager_a, file)
    save(org.director, org.rep_a, MARCH_6, "9", "9", "9", "9", "9", "9")  # meanwhile, in the grid
    with unchanged():
        response = confirm(client, previewed)
    page = text(response)
    assert "Someone else saved figures for 甲队员" in page and "New customers" in page
    assert WeeklyFigures.objects.get(employee=org.rep_a).new_customers == 9
    assert not WeeklyFigures.objects.filter(employee=org.mover).exists()


def test_the_confirm_checks_again_and_refuses_a_month_closed_since_the_preview(client, org, unchanged):
    previewed = upload(client, org.manager_a, sheets.xlsx([line(org.rep_a, MARCH_6)]))
    services.month_close(month=date(2017, 3, 1), by=org.director.user)
    with unchanged():
        page = text(confirm(client, previewed))
    assert "row 2, 周: The month of the week of 2017-03-06 is closed" in page
    assert not WeeklyFigures.objects.exists()


def test_a_confirm_without_its_preview_writes_nothing(client, org, unchanged):
    upload(client, org.manager_a, sheets.xlsx([line(org.rep_a, MARCH_6)]))
    with unchanged():
        response = client.post(CONFIRM, {"token": "forged"})
    assert response.url == IMPORT and not WeeklyFigures.objects.exists()


def test_service_refusals_at_confirm_are_told_by_file_row_and_column(org, monkeypatch):
    columns = {"employee_number": "工号", "week": "周", **{m.code: m.label_zh for m in metrics.ENTERED}}
    values = dict(zip([m.code for m in metrics.ENTERED], sheets.FIGURES, strict=True))
    sheet = ParsedSheet("f.csv", columns, [SheetLine(7, org.rep_a.employee_number, "", "2017-03-06", values)])

    def refuse(**kwargs):
        raise services.FiguresRefused([services.CellError(7, org.rep_a.pk, "trading_volume", "Too much."),
                                       services.CellError(7, org.rep_a.pk, "employee", "Not here.")])

    monkeypatch.setattr(services, "weekly_figures_save", refuse)
    with pytest.raises(imports.ImportRefused) as refused:
        imports.figures_import_confirm(sheet=sheet, seen={}, by=org.manager_a.user)
    assert [str(e) for e in refused.value.errors] == ["row 7, 客户交易量: Too much.", "row 7, 工号: Not here."]


# --- row errors: each is told by row and column, and nothing is written ---------------------------------------

BAD_ROWS = {
    # Outside the uploader's scope, one message whatever the reason: nothing tells who exists or where.
    "other team's rep": (lambda o: line(o.rep_b, MARCH_6),
                         "row 3, 工号: {rep_b} is not one of your team's reps that week."),
    "former member after the move": (lambda o: line(o.mover, date(2017, 6, 5)),
                                     "row 3, 工号: {mover} is not one of your team's reps that week."),
    "leaver after leaving": (lambda o: line(o.leaver, date(2017, 4, 10)),
                             "row 3, 工号: {leaver} is not one of your team's reps that week."),
    "unknown employee number": (lambda o: ["X999", "谁", "2017-03-06", *sheets.FIGURES],
                                "row 3, 工号: X999 is not one of your team's reps that week."),
    "week in a closed month": (lambda o: line(o.rep_a, date(2017, 2, 6)),
                               "row 3, 周: The month of the week of 2017-02-06 is closed"),
    "week not a Monday": (lambda o: line(o.rep_a, "2017-03-14"), "row 3, 周: 2017-03-14 is not a Monday"),
    "week not a date": (lambda o: line(o.rep_a, "下周"), "row 3, 周: “下周” is not a date"),
    "rep twice in a week": (lambda o: line(o.rep_a, MARCH_6), "row 3, 工号: {rep_a}'s week of 2017-03-06 is "
                                                               "already on row 2."),
    "text in a number cell": (lambda o: line(o.rep_a, MARCH_13, "3", "5", "2", "abc", "0", "0"),
                              "row 3, 新客户入金量: “abc” is not a number."),
    "negative value": (lambda o: line(o.rep_a, MARCH_13, "3", "-5", "2", "0", "0", "0"),
                       "row 3, 切入客户数量: Figures cannot be negative."),
    "fractional count": (lambda o: line(o.rep_a, MARCH_13, "3.5", "5", "2", "0", "0", "0"),
                         "row 3, 新加客户数量: A count is a whole number."),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_told_by_row_and_column_and_nothing_is_written(client, org, unchanged, case):
    services.month_close(month=date(2017, 2, 1), by=org.director.user)
    make_row, message = BAD_ROWS[case]
    numbers = {name: org.by_role(name).employee_number for name in ("rep_a", "rep_b", "mover", "leaver")}
    response = upload(client, org.manager_a, sheets.xlsx([line(org.rep_a, MARCH_6), make_row(org)]))
    page = text(response)
    assert message.format(**numbers) in page
    assert "Confirm import" not in page and response.context["token"] is None
    with unchanged():
        assert client.post(CONFIRM, {"token": ""}).url == IMPORT
    assert not WeeklyFigures.objects.exists() and not FigureChange.objects.exists()


def test_an_employee_outside_the_uploaders_scope_gets_one_message_whatever_the_reason(client, org):
    outsiders = [line(org.rep_b, MARCH_6), line(org.mover, date(2017, 6, 5)), line(org.leaver, date(2017, 4, 10)),
                 ["X999", "谁", "2017-03-06", *sheets.FIGURES]]
    response = upload(client, org.manager_a, sheets.xlsx(outsiders))
    rows = response.context["preview"].rows
    told = {(e.column, e.message.replace(r.line.employee_number, "N")) for r in rows for e in r.problems}
    assert len(told) == 1 and all(r.employee_id is None for r in rows)
    assert all(len(r.problems) == 1 for r in rows)


def test_a_rep_outside_the_managers_teams_is_not_named_nor_shown_with_saved_figures(client, org):
    save(org.manager_b, org.rep_b, MARCH_6, "7", "7", "7", "7", "7", "7")
    response = upload(client, org.manager_a, sheets.xlsx([[org.rep_b.employee_number, "", "2017-03-06",
                                                           *sheets.FIGURES]]))
    row = response.context["preview"].rows[0]
    assert row.name == "" and all(c.old is None for c in row.cells)
    assert org.rep_b.name not in text(response)


def test_every_error_of_a_file_is_shown_at_once(client, org):
    file = sheets.xlsx([line(org.rep_a, "2017-03-07", "x", "5", "2", "0", "-1", "0"), line(org.rep_b, MARCH_6)])
    errors = [str(e) for e in upload(client, org.manager_a, file).context["preview"].errors]
    assert [e.split(":")[0] for e in errors] == [
        "row 2, 周", "row 2, 新加客户数量", "row 2, 老客户加金量", "row 3, 工号"]


# --- file-level refusals ----------------------------------------------------------------------------------------

def test_missing_required_columns_are_named(client, org):
    head = [h for h in sheets.headers() if h not in ("周", "客户交易量")]
    response = upload(client, org.manager_a, sheets.csv_file([["T1", "x", "1", "1", "1", "1", "1"]], head=head))
    assert "The file lacks these columns: 周、客户交易量." in text(response)


def test_a_column_given_twice_is_refused(client, org):
    head = [*sheets.headers(), "New customers"]
    response = upload(client, org.manager_a, sheets.csv_file([line(org.rep_a, MARCH_6) + ["1"]], head=head))
    assert "The columns “新加客户数量” and “New customers” mean the same; keep one." in text(response)


def test_a_file_over_the_size_limit_is_refused_unread(client, org, settings, monkeypatch):
    settings.FIGURES_IMPORT_MAX_BYTES = 1000
    monkeypatch.setattr(uploads, "_csv_text", lambda *a: pytest.fail("a refused file must not be parsed"))
    file = sheets.csv_file([line(org.rep_a, MARCH_6 + timedelta(weeks=n)) for n in range(30)])
    response = upload(client, org.manager_a, file)
    refusal = r"The file is \d,\d{3} bytes; files up to 1,000 bytes \(1000\xa0bytes\) are accepted\."
    assert re.search(refusal, text(response))
    assert not WeeklyFigures.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("figures.xlsx", "工号,周\nT1,2017-03-06\n".encode(), "not an XLSX workbook"),
    ("figures.xlsx", b"PK\x03\x04 but not a zip", "not an XLSX workbook"),
    ("figures.csv", None, "not CSV text"),  # a workbook renamed .csv
    ("figures.csv", b"\xff\xfe\xfa\x80\x81", "not CSV text"),
    ("figures.xls", b"\xd0\xcf\x11\xe0", "Upload an .xlsx or a .csv file."),
    ("figures.csv", b"", "file is empty"),
])
def test_a_file_that_is_not_what_it_claims_is_refused(client, org, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = sheets.xlsx([line(org.rep_a, MARCH_6)]).read() if content is None else content
    response = upload(client, org.manager_a, SimpleUploadedFile(name, content))
    assert message in text(response)


def test_an_xml_bomb_is_refused_with_a_message_not_expanded(client, org):
    response = upload(client, org.manager_a, sheets.billion_laughs())
    assert "The workbook contains XML entity declarations, which are refused." in text(response)


def test_a_workbook_that_unzips_too_large_is_refused_unopened(client, org, settings):
    settings.FIGURES_IMPORT_MAX_UNZIPPED_BYTES = 2000
    response = upload(client, org.manager_a, sheets.xlsx([line(org.rep_a, MARCH_6)]))
    assert "The workbook unpacks to more than" in text(response)


def test_too_many_rows_are_refused(client, org, settings):
    settings.FIGURES_IMPORT_MAX_ROWS = 2
    file = sheets.csv_file([line(org.rep_a, MARCH_6 + timedelta(weeks=n)) for n in range(3)])
    assert "The file has 3 rows; up to 2 are accepted" in text(upload(client, org.manager_a, file))


# --- the template ---------------------------------------------------------------------------------------------

def test_the_template_lists_the_teams_reps_of_the_week_with_saved_figures(client, org):
    save(org.manager_a, org.rep_a, date(2017, 7, 3))
    client.force_login(org.manager_a.user)
    response = client.get(reverse("kpis:import_template"), {"team": org.team_a.pk, "week": "2017-07-05",
                                                             "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="figures-template-2017-07-03.csv"'
    rows = sheets.read_csv(response.content)
    assert rows[0] == sheets.headers()
    # The mover went to team B in June and the leaver left in March: only rep A is team A's in July.
    assert rows[1:] == [[org.rep_a.employee_number, "甲队员", "2017-07-03", "3", "5", "2", "10000.50", "5000.00",
                         "80000.00"]]


def test_the_xlsx_template_can_be_filled_and_imported(client, org):
    client.force_login(org.manager_a.user)
    response = client.get(reverse("kpis:import_template"), {"week": "2017-03-06"})
    rows = sheets.read_xlsx(response.content)
    assert [r[0] for r in rows[1:]] == sorted([org.rep_a.employee_number, org.mover.employee_number,
                                               org.leaver.employee_number])
    filled = [[*r[:3], *sheets.FIGURES] for r in rows[1:]]
    previewed = upload(client, org.manager_a, sheets.xlsx(filled, head=rows[0]))
    assert previewed.context["preview"].counts["new"] == 3
    confirm(client, previewed)
    assert WeeklyFigures.objects.filter(week=MARCH_6, team=org.team_a).count() == 3


def test_template_and_import_columns_follow_the_metric_registry(client, org, monkeypatch):
    visits = metrics.Metric("client_visits", "客户拜访次数", "Client visits", metrics.Unit.COUNT)
    monkeypatch.setattr(metrics, "ENTERED", (*metrics.ENTERED, visits))
    client.force_login(org.manager_a.user)
    for file_format, read in (("csv", sheets.read_csv), ("xlsx", sheets.read_xlsx)):
        response = client.get(reverse("kpis:import_template"), {"format": file_format, "week": "2017-03-06"})
        assert read(response.content)[0][-2:] == ["客户交易量", "客户拜访次数"]
    old_file = sheets.csv_file([line(org.rep_a, MARCH_6)], head=sheets.headers()[:-1])
    assert "The file lacks these columns: 客户拜访次数." in text(upload(client, org.manager_a, old_file))
    bad_visits = sheets.csv_file([line(org.rep_a, MARCH_6, *sheets.FIGURES, "many")])
    assert "row 2, 客户拜访次数: “many” is not a number." in text(upload(client, org.manager_a, bad_visits))


# --- concurrency: import-export never writes, so its primary-key sequence reset (#2166) cannot bite ------------

def _confirm_in_thread(sheet: ParsedSheet, seen: dict, user, results: list, start: threading.Barrier) -> None:
    try:
        with translation.override("en"):
            start.wait()
            results.append(imports.figures_import_confirm(sheet=sheet, seen=seen, by=user))
    except services.StaleFigures as stale:
        results.append(stale)
    finally:
        connection.close()


def _race(*imports_: tuple) -> list:
    results: list = []
    start = threading.Barrier(len(imports_))
    threads = [threading.Thread(target=_confirm_in_thread, args=(*i, results, start)) for i in imports_]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _previewed(org_member, rows) -> tuple:
    preview = imports.figures_import_preview(upload=sheets.xlsx(rows), by=org_member.user)
    assert not preview.errors, preview.errors
    return preview.sheet, preview.seen, org_member.user


WEEKS = [MARCH_6 + timedelta(weeks=n) for n in range(8)]


def test_two_managers_importing_their_teams_at_once_both_succeed(transactional_db, org):
    """Each commit runs the queued recompute (Celery is eager here): the advisory lock makes the two take turns."""
    results = _race(_previewed(org.manager_a, [line(org.rep_a, w) for w in WEEKS]),
                    _previewed(org.manager_b, [line(org.rep_b, w) for w in WEEKS]))
    assert [len(r.created) for r in results] == [8, 8], results
    assert WeeklyFigures.objects.count() == 16
    assert FigureChange.objects.filter(channel="import").count() == 16 * len(metrics.ENTERED)
    # Both recomputes ran and the rollups hold both imports: 6–27 March are March's weeks, 3–24 April April's,
    # each with 10,000.50 + 5,000 deposited.
    assert not [state.month for state in RollupMonth.objects.all() if state.pending]
    totals = {(r.employee_id, r.month): r.total_deposits for r in RepMonthResult.objects.filter(
        employee__in=[org.rep_a, org.rep_b], month__in=[date(2017, 3, 1), date(2017, 4, 1)])}
    assert totals == {(rep.pk, month): Decimal("60002.00") for rep in (org.rep_a, org.rep_b)
                      for month in (date(2017, 3, 1), date(2017, 4, 1))}


def test_two_imports_of_the_same_rep_week_give_one_success_and_one_clear_conflict(transactional_db, org):
    results = _race(_previewed(org.manager_a, [line(org.rep_a, w) for w in WEEKS]),
                    _previewed(org.director, [line(org.rep_a, w, "9", "9", "9", "9", "9", "9") for w in WEEKS]))
    saved = [r for r in results if isinstance(r, services.SaveSummary)]
    refused = [r for r in results if isinstance(r, services.StaleFigures)]
    assert len(saved) == len(refused) == 1, results
    assert "Someone else saved figures for 甲队员" in refused[0].message
    winner = set(WeeklyFigures.objects.values_list("entered_by", flat=True))
    assert len(winner) == 1 and WeeklyFigures.objects.count() == 8  # the loser wrote no week at all
    assert set(FigureChange.objects.values_list("changed_by", flat=True)) == winner


# --- the preview reads in a fixed number of queries -----------------------------------------------------------

@pytest.mark.parametrize("weeks", [1, 6])
def test_the_preview_reads_in_a_fixed_number_of_queries(client, org, django_assert_num_queries, weeks):
    reps = [org.rep_a, org.mover, org.rep_b]
    for rep in reps:
        save(org.director, rep, MARCH_6)
    file = sheets.xlsx([line(rep, MARCH_6 + timedelta(weeks=n)) for n in range(weeks) for rep in reps])
    client.force_login(org.director.user)
    # 1 session, 2 user, 3 the principal (every rule of teams/access.py, the page header's name and links),
    # 4 employees by number, 5 their memberships, 6 closed months, 7 the plan months (a week in none is warned),
    # 8 saved figures of those reps and weeks, 9-11 the session saved (savepoint, update, release), 12 the header's
    # unread notices.
    with django_assert_num_queries(12):
        response = client.post(IMPORT, {"file": file})
    assert response.context["preview"].counts["error"] == 0


# --- who may use the pages ------------------------------------------------------------------------------------

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
MATRIX = {
    "import": [200, 403, 403, 200, 200, 403],
    "template_team_a": [200, 403, 403, 200, 404, 403],
    "template": [200, 403, 403, 200, 200, 403],
    "confirm": [302, 403, 403, 302, 302, 403],
}


def url_of(page: str, org) -> tuple[str, dict]:
    return {
        "import": ("get", IMPORT, {}),
        "template_team_a": ("get", reverse("kpis:import_template"), {"team": org.team_a.pk}),
        "template": ("get", reverse("kpis:import_template"), {}),
        "confirm": ("post", CONFIRM, {"token": "x"}),
    }[page]


@pytest.mark.parametrize(("page", "role", "status"),
                         [(p, r, s) for p, row in MATRIX.items() for r, s in zip(ROLES, row, strict=True)])
def test_permission_matrix(client, org, unchanged, page, role, status):
    client.force_login(org.by_role(role).user)
    method, url, data = url_of(page, org)
    with unchanged():  # a confirm of token "x", which has no preview, writes nothing whoever posts it
        assert getattr(client, method)(url, data).status_code == status


@pytest.mark.parametrize("page", list(MATRIX))
def test_anonymous_goes_to_log_in(client, org, unchanged, page):
    method, url, data = url_of(page, org)
    with unchanged():
        assert getattr(client, method)(url, data).url.startswith(reverse("login"))


def test_a_manager_cannot_import_by_posting_rows_of_another_team(client, org):
    confirm_attempt = upload(client, org.manager_b, sheets.xlsx([line(org.rep_a, MARCH_6)]))
    assert confirm_attempt.context["preview"].rows[0].status == "error"
    assert not WeeklyFigures.objects.exists()
