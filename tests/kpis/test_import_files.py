"""Issue 11 for the spreadsheet import: the files real people send. A stray cell far from the data costs neither
memory nor time (only existing cells are read: measured by tracemalloc and by the reader's caps, not the clock); a
formula without its result is refused by its cell; the header is found below a title and on the sheet holding it;
CSV separators are detected; a missing column says what the file holds; a name that is not its number's and a week
in no plan year are asked about before anything is written."""

import html
import io
import tracemalloc
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis import uploads
from kpis.models import WeeklyFigures
from tests.kpis.files import sheets
from tests.kpis.files.sheets import line

IMPORT, CONFIRM = reverse("kpis:import"), reverse("kpis:import_confirm")
MARCH_6 = date(2017, 3, 6)


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def workbook(*sheets_rows: tuple[str, list[list]], stray: str | None = None, formula: str | None = None) -> bytes:
    """Return an XLSX with the named sheets; `stray` puts one space in that cell of the last sheet, `formula` a
    formula saved without its result (as openpyxl and some exporters write it) in D2."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets_rows:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    if stray:
        sheet[stray] = " "
    if formula:
        sheet["D2"] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, who, content: bytes, name: str = "figures.xlsx"):
    client.force_login(who.user)
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def figures_sheet(org) -> list[list]:
    return [sheets.headers(), line(org.rep_a, MARCH_6), line(org.mover, MARCH_6)]


@pytest.mark.parametrize("stray", ["XFD10000", "A1048576", "XFD1048576"])
def test_a_stray_cell_far_from_the_data_costs_no_memory_and_the_rows_import(client, org, plan, unchanged, stray):
    content = workbook(("figures", figures_sheet(org)), stray=stray)
    assert len(content) < 10_000  # the 5.6 KB file of the report
    tracemalloc.start()
    try:
        parsed = uploads.sheet_read(SimpleUploadedFile("figures.xlsx", content))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Before: 1.34 GB for XFD10000, every empty cell up to the sheet's extent filled in. The reader keeps only
    # cells that exist, at most FIGURES_IMPORT_MAX_COLUMNS wide.
    assert peak < 20 * 1024 * 1024, f"{peak:,} bytes"
    assert [ln.employee_number for ln in parsed.lines] == [org.rep_a.employee_number, org.mover.employee_number]
    with unchanged():
        preview = upload(client, org.manager_a, content).context["preview"]
    assert not preview.errors and preview.counts["new"] == 2


def test_text_beyond_the_columns_read_is_refused_naming_its_cell(client, org, plan, unchanged):
    book = openpyxl.load_workbook(io.BytesIO(workbook(("figures", figures_sheet(org)))))
    book.active["XFD10000"] = "备注"
    buffer = io.BytesIO()
    book.save(buffer)
    with unchanged():
        response = upload(client, org.manager_a, buffer.getvalue())
    assert "Cell XFD10000 of “figures” holds “备注”, beyond column BL" in text(response)


def test_a_sheet_holding_more_cells_than_the_cap_is_refused_while_reading(client, org, settings, unchanged):
    settings.FIGURES_IMPORT_MAX_ROWS, settings.FIGURES_IMPORT_MAX_COLUMNS = 2, 10
    rows = [sheets.headers()] + [line(org.rep_a, MARCH_6)] * 40
    with unchanged():
        response = upload(client, org.manager_a, workbook(("figures", rows)))
    # (2 rows + 20 searched for the header) × 10 columns: reading stops there, whatever the file's size.
    assert "holds more than 220 cells; it was not read further" in text(response)


def test_a_formula_without_its_cached_result_is_refused_naming_the_cell(client, org, plan, unchanged):
    save = WeeklyFigures.objects.filter
    content = workbook(("figures", figures_sheet(org)), formula="=1+2")
    with unchanged():
        response = upload(client, org.manager_a, content)
    assert "Cell D2 of “figures” holds a formula saved without its result." in text(response)
    assert not save(employee=org.rep_a).exists()


def test_the_header_row_is_found_below_a_title_row(client, org, plan):
    rows = [["先锋队 2017年3月 周报"], [], *figures_sheet(org)]
    preview = upload(client, org.manager_a, workbook(("figures", rows))).context["preview"]
    assert not preview.errors and [r.line.row for r in preview.rows] == [4, 5]


def test_the_sheet_holding_the_data_is_found(client, org, plan):
    content = workbook(("说明", [["请在第二个工作表填写"], ["工号是员工编号"]]), ("数据", figures_sheet(org)))
    preview = upload(client, org.manager_a, content).context["preview"]
    assert not preview.errors and preview.counts["new"] == 2


@pytest.mark.parametrize("separator", [";", "\t", ","])
def test_csv_separated_by_semicolons_or_tabs_is_read(client, org, plan, separator):
    body = "\n".join(separator.join(row) for row in figures_sheet(org)).encode("utf-8-sig")
    preview = upload(client, org.manager_a, body, name="figures.csv").context["preview"]
    assert not preview.errors and preview.counts["new"] == 2


def test_missing_columns_say_what_the_header_row_holds(client, org, unchanged):
    head = ["编号", "名字", "日期", "客户"]
    with unchanged():
        file = sheets.csv_file([["T1", "x", "2017-03-06", "1"]], head=head)
        response = upload(client, org.manager_a, file.read(), name="figures.csv")
    assert ("The file lacks these columns: 工号、周、新加客户数量、切入客户数量、开户客户数量、新客户入金量、"
            "老客户加金量、客户交易量. The header row looked for was row 1, which holds: 编号、名字、日期、客户."
            ) in text(response)


def test_a_name_that_is_not_its_numbers_is_asked_about_before_the_import(client, org, plan, unchanged):
    wrong = [sheets.headers(), [org.rep_a.employee_number, "张三", "2017-03-06", *sheets.FIGURES]]
    response = upload(client, org.manager_a, workbook(("figures", wrong)))
    [warning] = response.context["preview"].warnings
    assert str(warning) == f"row 2, 姓名: The file says 张三, but {org.rep_a.employee_number} is {org.rep_a.name}."
    assert 'name="accept_warnings"' in text(response)
    with unchanged():
        refused = client.post(CONFIRM, {"token": response.context["token"]}, follow=True)
    assert "tick that you checked them" in text(refused)
    client.post(CONFIRM, {"token": response.context["token"], "accept_warnings": "1"})
    assert WeeklyFigures.objects.get(employee=org.rep_a).week == MARCH_6


def test_a_week_in_no_plan_year_is_asked_about_not_imported_silently(client, org, plan, unchanged):
    far = [sheets.headers(), line(org.rep_a, "2027-03-01")]
    response = upload(client, org.manager_a, workbook(("figures", far)))
    [warning] = response.context["preview"].warnings
    assert "The week of 2027-03-01 is in no plan year" in warning.message
    with unchanged():
        client.post(CONFIRM, {"token": response.context["token"]})
    assert not WeeklyFigures.objects.exists()


def test_a_week_inside_the_plan_with_the_right_name_has_no_warning(client, org, plan):
    response = upload(client, org.manager_a, workbook(("figures", figures_sheet(org))))
    assert response.context["preview"].warnings == [] and 'name="accept_warnings"' not in text(response)


def test_reading_the_largest_accepted_file_stays_far_under_200_mb(settings):
    """5,000 rows, the most an import takes, and a sheet at the cell cap both read within a bounded peak."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("figures")
    sheet.append(sheets.headers())
    for n in range(settings.FIGURES_IMPORT_MAX_ROWS):
        sheet.append([f"T{n:05d}", "某人", "2017-03-06", 3, 5, 2, 10000.5, 5000, 80000])
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(buffer.getvalue()) < settings.FIGURES_IMPORT_MAX_BYTES
    tracemalloc.start()
    try:
        parsed = uploads.sheet_read(SimpleUploadedFile("figures.xlsx", buffer.getvalue()))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(parsed.lines) == settings.FIGURES_IMPORT_MAX_ROWS
    assert peak < 200 * 1024 * 1024, f"{peak:,} bytes"


def test_a_long_preview_lists_every_changed_row_and_counts_the_plain_ones_it_leaves_out(client, org, plan,
                                                                                         monkeypatch):
    """A 5,000-row file made a preview page of megabytes; it lists the rows that need a look and counts the rest."""
    from kpis import imports

    first = upload(client, org.manager_a, workbook(("figures", figures_sheet(org))))
    client.post(CONFIRM, {"token": first.context["token"]})
    monkeypatch.setattr(imports, "LISTED_PLAIN", 1)
    again = [sheets.headers(), line(org.rep_a, MARCH_6), line(org.rep_a, "2017-03-13"),
             line(org.mover, MARCH_6, "9", "5", "2", "10000.50", "5000", "80000")]
    response = upload(client, org.manager_a, workbook(("figures", again)))
    preview = response.context["preview"]
    assert [(r.line.row, r.status) for r in preview.listed] == [(2, "unchanged"), (4, "changed")]
    assert "1 more new or unchanged row is not listed here; it is imported with the others." in text(response)
    client.post(CONFIRM, {"token": response.context["token"]})
    assert WeeklyFigures.objects.filter(employee=org.rep_a).count() == 2  # the unlisted row is imported too


def test_one_warning_for_many_rows_is_said_once_with_the_rows_as_ranges(client, org, plan):
    rows = [line(org.rep_b, "2027-03-01"), line(org.mover, "2027-03-01"), line(org.rep_b, "2027-03-08"),
            line(org.mover, "2027-03-15")]
    response = upload(client, org.manager_b, workbook(("figures", [sheets.headers(), *rows])))
    groups = [str(g) for g in response.context["preview"].warning_groups]
    assert len(groups) == 3
    assert groups[0].startswith("rows 2–3, 周: The week of 2027-03-01 is in no plan year")
    assert groups[1].startswith("row 4, 周: The week of 2027-03-08")


def test_row_ranges_join_consecutive_rows():
    from kpis.imports import row_ranges

    assert row_ranges([8, 2, 3, 4, 5, 10, 11, 3]) == "2–5, 8, 10–11"
    assert row_ranges([7]) == "7"
