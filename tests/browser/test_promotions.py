"""A promotion in a real browser on the demo: HR opens the candidates page and finds a rep eligible now with the
engine's reasons, nominates them and reviews the case; the director approves it from their start page; on the
effective date the daily task applies it, and the rep's own page shows the new position and the step after it.

The module loads the demo once (committed, so the live server sees it) and flushes it at the end, as
test_dashboards.py does; its one test writes. Screenshots of each role's page are kept (artifacts/screenshots).
"""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from promotions.models import CaseState, PromotionCase
from promotions.tasks import apply_due_cases
from teams import services as team_services
from teams.models import Employee
from tests.browser import log_in_to_demo, shot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_today")]

TODAY = date(2017, 10, 27)  # the demo's today
EFFECTIVE = date(2017, 11, 1)


@pytest.fixture
def transactional_db(demo_db):
    """The module's committed demo (tests/browser/conftest.py), without pytest-django's flush after each test."""


def test_hr_nominates_an_eligible_rep_the_director_approves_and_the_reps_page_shows_the_new_position(
        page, live_server, settings):
    # HR starts on the candidates page: a rep eligible now for the step to senior rep, with the engine's reasons
    log_in_to_demo(page, live_server, "hr1")
    assert page.url == f"{live_server.url}{reverse('promotions:candidates')}"
    to_senior_rep = page.locator("td:nth-of-type(3)", has_text="高级销售代表")  # the row's next position
    row = page.locator("#candidates tbody tr[data-verdict=now]").filter(has=to_senior_rep).first
    expect(row).to_contain_text("现在符合")
    expect(row.locator("ul.checks li.met")).to_have_count(3)
    expect(row).to_contain_text("需满 6个月")
    expect(row).to_contain_text("最近一次考核：优秀（部门经理评定）")
    expect(row).to_contain_text("培训")
    rep = Employee.objects.select_related("user").get(pk=row.get_attribute("data-employee"))
    before = team_services.appointment_at(rep, TODAY)
    assert before.position.code == "rep"
    shot(page, "promotions-1-hr-candidates")

    # HR nominates from the row (employee and target prefilled): position up, salary the same, from 1 November
    with page.expect_navigation():
        row.get_by_role("link", name="提名").click()
    expect(page.locator("[name=employee]")).to_have_value(str(rep.pk))
    page.select_option("[name=kind]", "up_position")
    page.fill("[name=effective_on]", EFFECTIVE.isoformat())
    page.fill("[name=reason]", "上半年考核优秀，培训达标，推荐晋升高级销售代表。")
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    case = PromotionCase.objects.get(employee=rep, state=CaseState.NOMINATED, to_position__code="senior_rep")
    assert page.url == f"{live_server.url}{reverse('promotions:case', args=[case.pk])}"

    # HR reviews with the checklist: the engine finds the rules met, so the case goes to the director
    for select in page.locator("#act-review select[name^=score_]").all():
        select.select_option("4")
    shot(page, "promotions-2-hr-reviews")
    with page.expect_navigation():
        page.click("#act-review button[type=submit].primary")
    expect(page.locator("#state")).to_have_text("待销售总监审批")
    expect(page.locator("#rules")).to_contain_text("符合规则：由销售总监审批。")

    # the director finds it at the top of their start page and approves
    log_in_to_demo(page, live_server, "director")
    waiting = page.locator("#cases-waiting")
    expect(waiting).to_contain_text(rep.name)
    with page.expect_navigation():
        waiting.get_by_role("link", name=rep.name).click()
    with page.expect_navigation():
        page.click("#act-approve button[type=submit].primary")
    expect(page.locator("#state")).to_have_text("已批准")
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED and team_services.appointment_at(rep, TODAY).position.code == "rep"

    # before the effective date the rep's page still shows the old position
    log_in_to_demo(page, live_server, rep.user.username)
    expect(page.locator("#way-up-position")).to_contain_text("销售代表")
    expect(page.locator("#way-up .next-step h3")).to_contain_text("高级销售代表")

    # on the effective date the daily task applies it: the new appointment is in the rep's dated history
    settings.AS_OF_DATE = EFFECTIVE
    assert apply_due_cases() == 1
    assert apply_due_cases() == 0  # a second run applies nothing
    case.refresh_from_db()
    assert case.state == CaseState.APPLIED and case.applied_appointment.effective_from == EFFECTIVE
    page.goto(f"{live_server.url}{reverse('dashboards:mine')}")
    card = page.locator("#way-up")
    expect(card.locator("#way-up-position strong")).to_have_text("高级销售代表")
    expect(card.locator("#way-up-position")).to_contain_text("2017-11-01 起")
    expect(card.locator(".next-step h3")).to_contain_text("下一职位： 销售经理")
    expect(card.locator(".next-step li[data-rule=time]")).to_contain_text("在现职位 0个月0天")
    shot(page, "promotions-3-rep-way-up-after-promotion")
