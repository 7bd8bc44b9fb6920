"""Next year in a real browser: the director drafts the 2018 plan from 2017, sees its weeks as the statutory calendar
shapes them (October 2018 in three working weeks, the two Spring Festival weeks of February with three working
days each) and approves it; a 2027 plan, beyond the calendar the package knows, carries the warning."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from targets import demo
from targets import services as targets_services
from targets.models import PlanYear
from targets.working_calendar import services as calendar_services
from tests.browser import login, shot
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_2017(people) -> PlanYear:
    calendar_services.calendar_sync_statutory()
    plan = targets_services.plan_create(name=demo.PLAN_2017, first_month=date(2017, 2, 1), phases=demo.PHASES_2017,
                                        month_targets=demo.TARGETS_2017, by=people.director.user)
    return targets_services.plan_approve(plan=plan, version=plan.version, by=people.general_manager.user)


def weeks(page) -> list[tuple[str, str, bool]]:
    """Return the plan page's weeks of the chosen month: (Monday, working days, has a target)."""
    rows = page.locator("#plan-weeks tbody tr")
    return [(rows.nth(i).get_attribute("data-week"), rows.nth(i).locator(".days").inner_text(),
             rows.nth(i).locator(".target .muted").count() == 0) for i in range(rows.count())]


def test_the_director_drafts_2018_from_2017_sees_its_weeks_and_approves_it(page, live_server, people, plan_2017):
    login(page, live_server, people.director.user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('targets:plans')}")
    page.click("#plan-from-last-year")
    page.fill("#draft-form [name=total]", "15000000")
    with page.expect_navigation():
        page.click("#draft-form button[type=submit]")
    expect(page.locator("#draft-months tbody tr")).to_have_count(12)
    expect(page.locator("#plan-form [name=name]")).to_have_value("2018年度销售计划")
    expect(page.locator("#plan-form [name=first_month]")).to_have_value("2018-02")
    expect(page.locator("#totals tr.total td")).to_have_text("1,500万")
    with page.expect_navigation():
        page.click("#plan-form button[type=submit].primary")
    plan = PlanYear.objects.get(name="2018年度销售计划")
    assert plan.status == "draft" and sum(m.deposit_target for m in plan.months.all()) == 15_000_000
    expect(page.locator("#calendar-warning")).to_have_count(0)

    with page.expect_navigation():
        page.select_option("#weeks select[name=month]", str(plan.months.get(month=date(2018, 10, 1)).pk))
    assert weeks(page) == [("2018-10-01", "0", False), ("2018-10-08", "5", True), ("2018-10-15", "5", True),
                           ("2018-10-22", "5", True)]
    with page.expect_navigation():
        page.select_option("#weeks select[name=month]", str(plan.months.get(month=date(2018, 2, 1)).pk))
    february = dict((monday, days) for monday, days, _target in weeks(page))
    assert (february["2018-02-12"], february["2018-02-19"]) == ("3", "3")  # Spring Festival: 15–21 February

    # Approval splits the year to every rep and week before it answers: on two busy cores that passed 5 s.
    with page.expect_navigation(timeout=30_000):
        page.click("form[action$='/approve/'] button[type=submit]", timeout=30_000)
    expect(page.locator(".tag.approved")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == "approved"
    with page.expect_navigation():
        page.select_option("#weeks select[name=month]", str(plan.months.get(month=date(2018, 10, 1)).pk))
    assert [has_target for _monday, _days, has_target in weeks(page)] == [False, True, True, True]
    shot(page, "plan-2018-october")


def test_a_2027_plan_warns_that_its_holidays_are_not_known(page, live_server, people, plan_2017):
    plan = targets_services.plan_create(name="2027年度计划", first_month=date(2027, 2, 1), phases=demo.PHASES_2017,
                                        month_targets=demo.TARGETS_2017, by=people.director.user)
    login(page, live_server, people.general_manager.user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('targets:plan', args=[plan.pk])}")
    expect(page.locator("#calendar-warning")).to_contain_text("2027-02")
    with page.expect_navigation():
        page.click("form[action$='/approve/'] button[type=submit]")
    expect(page.locator(".messages li.error")).to_contain_text("2027-02")
    page.check("[name=without_calendar]")
    with page.expect_navigation():
        page.click("form[action$='/approve/'] button[type=submit]")
    expect(page.locator("#approval-history")).to_contain_text("2027-02")
    shot(page, "plan-2027-without-calendar")
