"""The dashboards in a real browser on the demo data: each role's start page shows the rollups' numbers, the
drill-down from the company to a rep's weeks, filters kept in the URL, the English amounts, the phone width.

The demo takes a while to load, so the module loads it once and every test only reads it (log-ins write
sessions, nothing else). The live server needs the data committed, so this module replaces pytest-django's
`transactional_db` (which would flush after every test) with plain database access, and the module fixture
flushes the database once at the end, leaving it empty for the modules after it.

With SALESOPS_README_SHOT=1 the director's test also writes docs/director-dashboard.png, the README's picture.
"""

import os
import re
import shutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings as django_settings
from django.db.models import Sum
from django.urls import reverse
from playwright.sync_api import Page, expect

from kpis.models import WeeklyFigures
from kpis.results.models import CompanyMonthResult, RepMonthResult, TeamMonthResult
from targets.models import PlanMonth
from teams.models import Employee, Team
from tests.browser import REPO_ROOT, login, shot

pytestmark = pytest.mark.browser

AS_OF = date(2017, 10, 27)  # the demo's today: Friday of the last week with figures
AS_OF_MONTH = date(2017, 10, 1)
YEAR_2017 = (date(2017, 2, 1), AS_OF_MONTH)  # the pages open on the 2017 plan year; 2016 comes before it
FIRST_WEEK_2017 = date(2017, 1, 30)
PHONE_WIDTH = 390
README_SHOT = REPO_ROOT / "docs" / "director-dashboard.png"


@pytest.fixture
def transactional_db(demo_db):
    """The module's committed demo (tests/browser/conftest.py), without pytest-django's flush after each test."""


@pytest.fixture(autouse=True)
def today(settings):
    """The live server runs in this process, so pinning the setting pins its today too."""
    settings.AS_OF_DATE = AS_OF


def zh(yuan) -> str:
    """Return the amount as the page should print it in Chinese, computed apart from salesops.formatting (which
    tests/test_formatting.py checks against a hand-written table): whole hundredths of 万, halves up."""
    hundredths = int((Decimal(yuan) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    wan, cents = divmod(hundredths, 100)
    return f"{wan:,}" + (f".{cents:02d}".rstrip("0") if cents else "") + "万"


def company_to_date() -> Decimal:
    return CompanyMonthResult.objects.filter(month__range=YEAR_2017).aggregate(s=Sum("total_deposits"))["s"]


def log_in(page: Page, live_server, username: str) -> None:
    login(page, live_server, username, django_settings.DEMO_PASSWORD)


def managed_team(username: str) -> Team:
    return Team.objects.get(manager__user__username=username)


def expect_the_months_chart(page: Page) -> None:
    expect(page.locator("#months-chart svg").first).to_be_visible()
    assert page.locator("#months-chart svg path").count() > 10, "the chart drew no bars or lines"


def expect_the_company_numbers(page: Page, live_server) -> None:
    assert page.url == f"{live_server.url}{reverse('dashboards:director')}"
    expect(page.get_by_test_id("year-target")).to_have_text("1,400万")
    expect(page.get_by_test_id("actual-to-date")).to_have_text(zh(company_to_date()))
    rows = page.locator("table.data tbody tr:has(a[href^='/dashboard/teams/'])")
    expect(rows).to_have_count(Team.objects.count())
    totals = dict(TeamMonthResult.objects.filter(month__range=YEAR_2017).values_list("team__name")
                  .annotate(s=Sum("total_deposits")).order_by())
    for row in rows.all():
        name = row.locator("a").inner_text()
        expect(row.locator("td").nth(3)).to_have_text(zh(totals[name]))


def test_director_sees_the_plan_year_against_the_rollups(page, live_server):
    log_in(page, live_server, "director")
    expect_the_company_numbers(page, live_server)
    october = CompanyMonthResult.objects.get(month=AS_OF_MONTH)
    as_of_row = page.locator("tr.as-of")
    expect(as_of_row).to_have_count(1)
    expect(as_of_row.locator("td").nth(2)).to_have_text(zh(october.total_deposits))
    expect(page.locator("[data-metric=total_deposits] strong")).to_have_text(zh(company_to_date()))
    expect(page.locator(".freshness")).to_contain_text(re.compile("Figures as of|数据截至"))
    expect(page.locator(".freshness .pending")).to_have_count(0)
    expect_the_months_chart(page)
    shot(page, "dashboard-director")
    if os.environ.get("SALESOPS_README_SHOT") == "1":
        README_SHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot(page, "dashboard-director"), README_SHOT)


def test_hr_sees_the_same_company_dashboard(page, live_server):
    log_in(page, live_server, "hr1")  # HR starts on the promotion candidates; the dashboard is a header link
    page.goto(f"{live_server.url}{reverse('dashboards:director')}")
    expect_the_company_numbers(page, live_server)
    expect_the_months_chart(page)
    shot(page, "dashboard-hr")


def test_manager_starts_on_the_team_page_with_the_teams_rollups(page, live_server):
    team = managed_team("manager1")
    log_in(page, live_server, "manager1")
    assert page.url == f"{live_server.url}{reverse('dashboards:team', args=[team.pk])}"
    plan_months = PlanMonth.objects.filter(month__gte=YEAR_2017[0]).values_list("month", flat=True)
    rows = TeamMonthResult.objects.filter(team=team, month__in=plan_months)
    expect(page.get_by_test_id("year-target")).to_have_text(zh(sum(r.deposit_target or 0 for r in rows)))
    expect(page.get_by_test_id("actual-to-date")).to_have_text(
        zh(sum(r.total_deposits for r in rows if r.month <= AS_OF_MONTH)))
    reps = page.locator("#reps table.data tbody tr:has(a[href^='/dashboard/reps/'])")  # not the way-up table
    in_team = RepMonthResult.objects.filter(team=team, month__range=YEAR_2017).values("employee").distinct()
    expect(reps).to_have_count(in_team.count())
    expect(page.locator(".entry-status")).to_be_visible()
    expect_the_months_chart(page)
    shot(page, "dashboard-manager")


def test_rep_starts_on_their_own_page_with_their_rollups(page, live_server):
    rep = Employee.objects.get(user__username="rep01")
    log_in(page, live_server, "rep01")
    assert page.url == f"{live_server.url}{reverse('dashboards:mine')}"
    year = page.locator("#periods tbody tr").last
    actual = RepMonthResult.objects.filter(employee=rep, month__range=YEAR_2017).aggregate(s=Sum("total_deposits"))
    expect(year.locator("td").nth(1)).to_have_text(zh(actual["s"]))
    reported = page.locator("#weeks tbody tr:not(:has(.tag.missing))")  # the page also lists missing weeks
    expect(reported).to_have_count(WeeklyFigures.objects.filter(employee=rep, week__gte=FIRST_WEEK_2017).count())
    shot(page, "dashboard-rep")


def test_director_drills_down_from_the_company_to_a_reps_weeks(page, live_server):
    log_in(page, live_server, "director")
    leader = page.locator("table.data a[href^='/dashboard/teams/']").first
    team = Team.objects.get(name=leader.inner_text())
    with page.expect_navigation():
        leader.click()
    assert page.url.startswith(f"{live_server.url}{reverse('dashboards:team', args=[team.pk])}")
    expect(page.locator("main h1")).to_contain_text(team.name)
    rep_link = page.locator("#reps table.data a[href^='/dashboard/reps/']").first
    rep = Employee.objects.get(name=rep_link.inner_text(), memberships__team=team)
    with page.expect_navigation():
        rep_link.click()
    assert page.url == f"{live_server.url}{reverse('dashboards:rep', args=[rep.pk])}"
    expect(page.locator("main h1")).to_contain_text(rep.name)
    months, weeks = page.locator("table.data").nth(0), page.locator("table.data").nth(1)
    results = RepMonthResult.objects.filter(employee=rep, month__gte=YEAR_2017[0]).order_by("month", "team__code")
    expect(months.locator("tbody tr")).to_have_count(results.count())
    expect(months.locator("tbody tr").first.locator("td").nth(3)).to_have_text(zh(results[0].total_deposits))
    expect(weeks.locator("tbody tr")).to_have_count(WeeklyFigures.objects.filter(employee=rep,
                                                                                week__gte=FIRST_WEEK_2017).count())


def test_a_month_chosen_in_the_filters_stays_in_the_url(page, live_server):
    september = PlanMonth.objects.get(month=date(2017, 9, 1))
    log_in(page, live_server, "director")
    page.select_option("select[name=month]", str(september.pk))
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert re.search(rf"[?&]month={september.pk}(&|$)", page.url), page.url
    total = zh(CompanyMonthResult.objects.get(month=september.month).total_deposits)
    tile = page.locator("[data-metric=total_deposits] strong")
    expect(tile).to_have_text(total)
    export = page.locator(f"a[href^='{reverse('dashboards:director_export')}']")
    assert f"month={september.pk}" in export.get_attribute("href")
    page.reload()
    expect(page.locator("select[name=month]")).to_have_value(str(september.pk))
    expect(tile).to_have_text(total)


def test_the_english_button_shows_amounts_in_cny(page, live_server):
    log_in(page, live_server, "director")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("year-target")).to_have_text("CNY 14,000,000")
    expect(page.get_by_test_id("actual-to-date")).to_have_text(f"CNY {company_to_date():,.0f}")
    shot(page, "dashboard-director-english")


@pytest.mark.parametrize("username", ["director", "manager1", "rep01", "hr1"])
def test_each_start_page_fits_a_phone(phone_page, live_server, username):
    log_in(phone_page, live_server, username)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    # managers check their team on the move: theirs is the phone picture
    shot(phone_page, "dashboard-phone" if username == "manager1" else f"dashboard-phone-{username}")
    assert width <= PHONE_WIDTH, f"{phone_page.url} is {width}px wide at a {PHONE_WIDTH}px viewport"
    if username not in ("rep01", "hr1"):  # HR starts on the promotion candidates, without the months chart
        expect_the_months_chart(phone_page)
        # the month by month plan and actual is a main number too: all four columns without scrolling sideways
        table = phone_page.locator("#months-chart + .table-wrap")
        overflow = table.evaluate("wrap => wrap.scrollWidth - wrap.clientWidth")
        assert overflow <= 0, f"the months table scrolls {overflow}px sideways at {PHONE_WIDTH}px"
