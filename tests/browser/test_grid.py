"""The entry grid in a real browser: a manager fills a week with the keyboard only and saves it."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kpis import services
from kpis.models import Channel, FigureChange, WeeklyFigures
from targets import demo
from targets import services as targets_services
from targets.working_calendar import services as calendar_services
from tests import factories
from tests.browser import login, shot
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

WEEK = date(2017, 3, 6)


def grid_url(live_server, team) -> str:
    return f"{live_server.url}{reverse('kpis:grid', args=[team.pk, WEEK.isoformat()])}"


def test_manager_fills_a_week_with_the_keyboard_and_saves(page, live_server, people):
    second = factories.employee(team=people.team_a, name="丙队员", password=PASSWORD)
    login(page, live_server, people.manager_a.user.username, PASSWORD)
    page.goto(grid_url(live_server, people.team_a))
    first_row, second_row = page.locator("table.entry tbody tr").all()
    total_deposits = page.locator("table.entry tfoot td.derived").first
    expect(total_deposits).to_have_text("0万")

    first_row.locator("input.cell").first.focus()
    for value in ["3", "4", "2", "12000", "8000"]:  # new, engaged, opened, new-customer and existing deposits
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.type("150000")  # trading volume
    expect(total_deposits).to_have_text("2万")  # the total follows the typing, before any save
    expect(first_row.locator("td.derived").nth(1)).to_have_text("50.0%")  # close rate: 2 opened of 4 engaged

    page.keyboard.press("Enter")  # down to the second rep's trading volume
    page.keyboard.type("50000")
    page.keyboard.press("ArrowLeft")  # existing-customer deposits
    page.keyboard.type("1000")
    page.keyboard.press("ArrowLeft")  # new-customer deposits
    page.keyboard.type("-5")
    bad = second_row.locator("input.cell").nth(3)
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(bad).to_have_class(re.compile(r"\binvalid\b"))
    reason = bad.get_attribute("title")
    assert reason, "a red cell says why in its title"
    expect(page.locator("#grid-problems")).to_be_visible()
    expect(page.locator("#grid-problems")).to_contain_text(reason)

    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("5000")
    expect(bad).to_have_attribute("aria-invalid", "false")
    expect(page.locator("#grid-problems")).to_be_hidden()
    page.keyboard.press("ArrowUp")  # back to the first rep, then across its row with the arrows
    page.keyboard.press("ArrowRight")
    expect(first_row.locator("input.cell").nth(4)).to_be_focused()
    expect(total_deposits).to_have_text("2.6万")

    with page.expect_navigation():
        page.locator("#grid-save").click()
    expect(page.locator(".messages .success")).to_be_visible()
    expect(page.locator("#week-state")).to_have_class("state state-draft")
    shot(page, "grid-manager")

    mine = WeeklyFigures.objects.get(employee=people.rep_a, week=WEEK)
    theirs = WeeklyFigures.objects.get(employee=second, week=WEEK)
    assert (mine.new_customers, mine.engaged_customers, mine.accounts_opened) == (3, 4, 2)
    assert (mine.new_customer_deposits, mine.trading_volume) == (Decimal(12000), Decimal(150000))
    assert (theirs.new_customer_deposits, theirs.existing_customer_deposits) == (Decimal(5000), Decimal(1000))
    assert {c.channel for c in FigureChange.objects.all()} == {Channel.GRID}

    # Ctrl+S saves too, and a saved cell's history opens under the grid.
    first_row.locator("input.cell").first.focus()
    page.keyboard.type("6")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    assert WeeklyFigures.objects.get(employee=people.rep_a, week=WEEK).new_customers == 6
    first_row.locator("input.cell").first.focus()
    page.locator("#grid-status .history-link").click()
    expect(page.locator("#grid-history")).to_contain_text(people.manager_a.name)
    expect(page.locator("#grid-history tbody tr")).to_have_count(2)
    shot(page, "grid-history")


def test_grid_does_not_scroll_the_page_sideways_at_phone_width(phone_page, live_server, people):
    for n in range(6):
        factories.employee(team=people.team_a, name=f"队员{n}", password=PASSWORD)
    login(phone_page, live_server, people.manager_a.user.username, PASSWORD)
    phone_page.goto(grid_url(live_server, people.team_a))
    expect(phone_page.locator("table.entry tbody tr")).to_have_count(7)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    shot(phone_page, "grid-phone")
    assert width <= 390, f"the grid page is {width}px wide at a 390px viewport"
    wrap = phone_page.evaluate("(() => { const w = document.querySelector('.grid-wrap');"
                               " return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] > wrap[1], "the table scrolls inside its own box"


def test_weeks_list_reads_at_phone_width(phone_page, live_server, people, settings):
    settings.AS_OF_DATE = date(2017, 3, 22)
    calendar_services.calendar_sync_statutory()
    plan = targets_services.plan_create(name=demo.PLAN_2017, first_month=date(2017, 2, 1), phases=demo.PHASES_2017,
                                        month_targets=demo.TARGETS_2017, by=people.director.user)
    targets_services.plan_approve(plan=plan, version=plan.version, by=people.general_manager.user)
    services.weekly_figures_save(week=WEEK, by=people.manager_a.user, channel="grid", rows=[
        services.RepWeekInput(people.rep_a.pk, {"new_customer_deposits": "30000"})])
    login(phone_page, live_server, people.manager_a.user.username, PASSWORD)
    phone_page.goto(f"{live_server.url}{reverse('kpis:weeks', args=[people.team_a.pk])}")
    week = phone_page.locator("table.weeks tr", has=phone_page.locator(f"a[href$='/{WEEK.isoformat()}/']"))
    expect(week.locator(".state")).to_have_class("state state-draft")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    shot(phone_page, "grid-weeks-phone")
    assert width <= 390, f"the weeks page is {width}px wide at a 390px viewport"


def test_a_cells_history_loads_under_the_grid_through_htmx_without_leaving_the_page(page, live_server, people):
    saved = services.weekly_figures_save(week=WEEK, by=people.manager_a.user, channel="grid", rows=[
        services.RepWeekInput(people.rep_a.pk, {"new_customers": "2"})])
    figures = WeeklyFigures.objects.get(employee=people.rep_a, week=WEEK)
    services.weekly_figures_save(week=WEEK, by=people.manager_a.user, channel="grid", rows=[
        services.RepWeekInput(people.rep_a.pk, {"new_customers": "5"}, figures.version)])
    assert saved.created
    login(page, live_server, people.manager_a.user.username, PASSWORD)
    page.goto(grid_url(live_server, people.team_a))
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    panel = page.locator("#grid-history")
    expect(panel).to_be_hidden()

    page.locator("table.entry tbody tr").first.locator("input.cell").first.focus()
    link = page.locator("#grid-status .history-link")
    history_url = reverse("kpis:history", args=[figures.pk, "new_customers"])
    expect(link).to_have_attribute("hx-get", history_url)
    with page.expect_request(f"**{history_url}") as request:
        link.click()
    assert request.value.headers.get("hx-request") == "true"  # sent by htmx itself
    expect(panel).to_be_visible()
    expect(panel.locator("tbody tr")).to_have_count(2)
    expect(panel).to_contain_text(people.manager_a.name)
    expect(panel.locator("html, header.topbar")).to_have_count(0)  # the fragment, not a whole page
    assert page.url == grid_url(live_server, people.team_a)
    assert page.evaluate("window.sameDocument") is True


# (cell, typed, the message in Chinese and in English, as kpis.services.parse_value gives them; "" for valid).
BAD_INPUTS = [
    ("new_customer_deposits", "-5", "数据不能为负数。", "Figures cannot be negative."),
    ("new_customer_deposits", "12a", "“12a”不是数字。", "“12a” is not a number."),
    ("existing_customer_deposits", "1.234", "金额最多保留两位小数。", "Money has at most two decimals."),
    ("new_customers", "2.5", "数量必须为整数。", "A count is a whole number."),
    ("trading_volume", "1000000000000", "金额过大。", "The amount is too large."),
    ("trading_volume", "1,234,567.89", "", ""),  # thousands separators are fine
    ("accounts_opened", "1,200", "", ""),
    # Issue 11: the column's own limits, and the ways a Chinese user writes a number (teams/inputs.py).
    ("new_customers", "3000000000", "数量最多为2,147,483,647。", "A count can be at most 2,147,483,647."),
    ("new_customers", "1e999999999", "金额过大。", "The amount is too large."),
    ("new_customers", "9" * 50, f"“{'9' * 20}…”太长，不是有效数字。", f"“{'9' * 20}…” is too long to be a number."),
    ("trading_volume", "12万", "", ""),
    ("trading_volume", "¥1,200.00", "", ""),
    ("accounts_opened", "１，２００", "", ""),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_kind_of_bad_cell_turns_red_with_the_servers_message(page, live_server, people, language):
    from django.utils import translation

    from kpis.metrics import ENTERED

    login(page, live_server, people.manager_a.user.username, PASSWORD)
    page.goto(grid_url(live_server, people.team_a))
    if language == "en":
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    row = page.locator("table.entry tbody tr").first
    problems = page.locator("#grid-problems")
    by_code = {m.code: m for m in ENTERED}
    for code, typed, chinese, english in BAD_INPUTS:
        expected = chinese if language == "zh-hans" else english
        with translation.override(language):  # the server's own rule says the same of the same text
            try:
                services.parse_value(by_code[code], typed)
                said = ""
            except ValueError as error:
                said = str(error)
        assert said == expected, (code, typed)
        cell = row.locator(f"input.cell[data-code={code}]")
        cell.fill(typed)
        expect(cell).to_have_attribute("aria-invalid", "true" if expected else "false")
        expect(cell).to_have_attribute("title", expected)
        if expected:
            expect(cell).to_have_class(re.compile(r"\binvalid\b"))
            expect(problems).to_be_visible()
            expect(problems).to_have_text(f"{cell.get_attribute('aria-label')}: {expected}")
        else:
            expect(cell).not_to_have_class(re.compile(r"\binvalid\b"))
            expect(problems).to_be_hidden()
        cell.fill("")  # one red cell at a time
        expect(problems).to_be_hidden()
    shot(page, f"grid-bad-inputs-{language}")
