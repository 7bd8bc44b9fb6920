"""Two people in two browsers save the same team-week (issue 11's lost update): the second is not shown a conflict
for a rep they did not touch and cannot write a stale value back; after a real conflict the page shows the other
person's figures with only the second person's own edits typed over them, and saving again keeps both."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kpis import services
from kpis.models import Channel, WeeklyFigures
from tests import factories
from tests.browser import login
from tests.browser.conftest import PASSWORD, TIMEOUT_MS

pytestmark = pytest.mark.browser

WEEK = date(2017, 3, 6)
FIGURES = {"new_customers": "3", "engaged_customers": "4", "accounts_opened": "2", "new_customer_deposits": "1000",
           "existing_customer_deposits": "0", "trading_volume": "0"}


@pytest.fixture
def second_page(browser):
    """A second browser with its own cookies: another person at another desk."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def cell(page, rep, code):
    return page.locator(f'input[name="v-{rep.pk}-{code}"]')


def save(page):
    with page.expect_navigation():
        page.locator("#grid-save").click()


def figures(rep) -> WeeklyFigures:
    return WeeklyFigures.objects.get(employee=rep, week=WEEK)


def test_two_people_saving_one_week_never_lose_each_others_changes(page, second_page, live_server, people):
    other = factories.employee(team=people.team_a, name="丙队员", password=PASSWORD)
    services.weekly_figures_save(week=WEEK, by=people.manager_a.user, channel=Channel.GRID, rows=[
        services.RepWeekInput(people.rep_a.pk, FIGURES), services.RepWeekInput(other.pk, FIGURES)])
    url = f"{live_server.url}{reverse('kpis:grid', args=[people.team_a.pk, WEEK.isoformat()])}"
    manager, director = page, second_page
    login(manager, live_server, people.manager_a.user.username, PASSWORD)
    login(director, live_server, people.director.user.username, PASSWORD)
    manager.goto(url)
    director.goto(url)

    # Different reps: both saves go through, neither sees a conflict.
    cell(manager, people.rep_a, "new_customers").fill("8")
    save(manager)
    cell(director, other, "new_customers").fill("7")
    save(director)
    expect(director.locator(".problem")).to_have_count(0)
    assert (figures(people.rep_a).new_customers, figures(other).new_customers) == (8, 7)

    # The same rep: the director is told, for that rep only, and sees the manager's figures with their own edit.
    cell(manager, people.rep_a, "engaged_customers").fill("40")
    save(manager)
    cell(director, people.rep_a, "new_customers").fill("9")
    director.locator("#grid-save").click()
    problem = director.locator(".problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text(people.rep_a.name)
    expect(problem).not_to_contain_text(other.name)
    expect(cell(director, people.rep_a, "engaged_customers")).to_have_value("40")  # theirs, reloaded
    expect(cell(director, people.rep_a, "new_customers")).to_have_value("9")  # yours, kept to retry
    expect(cell(director, other, "new_customers")).to_have_value("7")
    assert figures(people.rep_a).new_customers == 8  # nothing of the refused save was written

    save(director)
    expect(director.locator(".problem")).to_have_count(0)
    saved = figures(people.rep_a)
    assert (saved.new_customers, saved.engaged_customers, figures(other).new_customers) == (9, 40, 7)
