"""An appraisal in a real browser, each step by the person who takes it: HR opens a cycle; the manager sets and
confirms the goals; the rep writes the self review; HR verifies; the manager rates and signs; the rep confirms;
HR publishes; the rep's own page shows the result. A screenshot of each role's page is kept."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from appraisals.models import Appraisal, Cycle, Step
from targets import demo
from targets import services as targets_services
from targets.models import PlanYear
from targets.working_calendar import services as calendar_services
from tests.browser import login, shot
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

DEADLINES = {"goals": "2017-08-04", "self_review": "2017-08-11", "feedback": "2017-08-14",
             "verification": "2017-08-16", "rating": "2017-08-23", "confirmation": "2017-08-28",
             "confirmed": "2017-08-31"}


@pytest.fixture
def plan_2017(people) -> PlanYear:
    calendar_services.calendar_sync_statutory()
    plan = targets_services.plan_create(name=demo.PLAN_2017, first_month=date(2017, 2, 1), phases=demo.PHASES_2017,
                                        month_targets=demo.TARGETS_2017, by=people.director.user)
    return targets_services.plan_approve(plan=plan, version=plan.version, by=people.general_manager.user)


def as_(page, live_server, employee, path: str) -> None:
    login(page, live_server, employee.user.username, PASSWORD)
    page.goto(f"{live_server.url}{path}")


def act(page, slot: str) -> None:
    """Press the primary button of the act's form and wait for the page it leads back to."""
    with page.expect_navigation():
        page.click(f"#act-{slot} button[type=submit].primary")


def test_an_appraisal_from_opening_the_cycle_to_the_reps_own_page(page, live_server, people, plan_2017):
    # HR opens the second quarter (phase 2) for all of sales, one goal: total deposits at 100 %
    as_(page, live_server, people.hr, reverse("appraisals:cycle_new"))
    page.fill("#cycle-form [name=name]", "2017年第二季度考核")
    page.select_option("#cycle-form [name=kind]", "quarterly")
    page.select_option("#cycle-form [name=plan]", str(plan_2017.pk))
    page.fill("#cycle-form [name=first_month]", "2017-05")
    page.fill("#cycle-form [name=last_month]", "2017-07")
    page.fill("#cycle-form [name=weight_total_deposits]", "100")
    for step, due in DEADLINES.items():
        page.fill(f"#cycle-form [name=due_{step}]", due)
    shot(page, "appraisals-1-hr-opens-a-cycle")
    with page.expect_navigation():
        page.click("#cycle-form button[type=submit].primary")
    cycle = Cycle.objects.get(name="2017年第二季度考核")
    appraisal = Appraisal.objects.get(cycle=cycle, employee=people.rep_a)
    assert appraisal.rater == people.manager_a and appraisal.state == Step.GOALS
    expect(page.locator("h1")).to_contain_text("2017年第二季度考核")

    # the manager finds it on their start page and confirms the goals with a target they type in
    login(page, live_server, people.manager_a.user.username, PASSWORD)
    todo = page.locator("#appraisals-todo")
    expect(todo).to_contain_text(people.rep_a.name)
    with page.expect_navigation():
        todo.get_by_role("link", name=people.rep_a.name).click()
    page.fill("#goals [name=target_total_deposits]", "6.6万")
    shot(page, "appraisals-2-manager-confirms-goals")
    with page.expect_navigation():
        page.click("#goals button[type=submit].primary")
    expect(page.locator("#state")).to_have_text("自评与述职")

    # the rep writes the self review (their own page lists it to do)
    login(page, live_server, people.rep_a.user.username, PASSWORD)
    expect(page.locator("#appraisals-todo")).to_contain_text("2017年第二季度考核")
    page.goto(f"{live_server.url}{reverse('appraisals:appraisal', args=[appraisal.pk])}")
    page.fill("#act-review [name=text]", "本季度重点开发了三位新客户，老客户加金稳定。")
    page.select_option("#act-review [name=self_rating_total_deposits]", "4")
    shot(page, "appraisals-3-rep-writes-self-review")
    act(page, "review")
    expect(page.locator("#self-review")).to_contain_text("三位新客户")
    appraisal.refresh_from_db()
    assert appraisal.state == Step.VERIFICATION and appraisal.snapshot_at is not None

    # HR checks the evidence
    as_(page, live_server, people.hr, reverse("appraisals:appraisal", args=[appraisal.pk]))
    act(page, "verify")
    expect(page.locator("#state")).to_have_text("评定")

    # the manager rates and signs; the computed rating shows beside the choice
    as_(page, live_server, people.manager_a, reverse("appraisals:appraisal", args=[appraisal.pk]))
    page.select_option("#act-rate [name=rating_total_deposits]", "4")
    page.select_option("#act-rate [name=rating]", "4")
    page.fill("#act-rate [name=comment]", "完成目标，工作扎实。")
    shot(page, "appraisals-4-manager-rates")
    act(page, "rate")
    expect(page.locator("#rating")).to_contain_text("良好")

    # the rep sees the rating and confirms it
    as_(page, live_server, people.rep_a, reverse("appraisals:appraisal", args=[appraisal.pk]))
    expect(page.locator("#rating")).to_contain_text("完成目标，工作扎实。")
    act(page, "confirm")
    expect(page.locator("#state")).to_have_text("已确认")

    # HR publishes; the cycle's progress counts it
    as_(page, live_server, people.hr, reverse("appraisals:appraisal", args=[appraisal.pk]))
    act(page, "publish")
    expect(page.locator("#state")).to_have_text("已发布")
    page.goto(f"{live_server.url}{reverse('appraisals:cycle', args=[cycle.pk])}")
    shot(page, "appraisals-5-hr-cycle-progress")

    # the rep's own page shows the published result
    as_(page, live_server, people.rep_a, reverse("dashboards:mine"))
    results = page.locator("#appraisal-results")
    expect(results).to_contain_text("2017年第二季度考核")
    expect(results).to_contain_text("良好")
    shot(page, "appraisals-6-rep-own-page")
    assert Appraisal.objects.get(pk=appraisal.pk).state == Step.PUBLISHED
