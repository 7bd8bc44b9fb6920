"""Rewards and bulletins in a real browser on the demo, on its Friday (27 October 2017, the last week of October):
a manager writes the week's bulletin from the header's link and the director replies to it on the week's page;
the director closes October, the rules propose the month's top rep's award, and the director approves and
publishes it from the register; the rep sees it in the header's unread count, on their start page and at the
top of the board, and opening it marks it read; the manager finds the director's reply beside the bulletin.

The module loads the demo once (committed, so the live server sees it) and flushes it at the end, as
test_promotions.py does; its one test writes. Screenshots of each role's page are kept (artifacts/screenshots).
"""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from kpis.models import MonthClose
from kpis.results.models import PeriodPlacing
from rewards.models import Bulletin, Notice, Record, RecordState
from teams.models import Employee, Team
from tests.browser import log_in_to_demo, shot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_today")]

TODAY = date(2017, 10, 27)  # the demo's today, a Friday
THIS_WEEK, OCTOBER = date(2017, 10, 23), date(2017, 10, 1)


@pytest.fixture
def transactional_db(demo_db):
    """The module's committed demo (tests/browser/conftest.py), without pytest-django's flush after each test."""


def unread(page: Page) -> int:
    count = page.locator("#unread-notices .count")
    return int(count.inner_text()) if count.count() else 0


def test_a_bulletin_is_answered_and_the_months_award_reaches_the_rep(page, live_server):
    manager = Employee.objects.select_related("user").get(user__username="manager1")
    team = Team.objects.get(manager=manager)

    # the manager writes the week's bulletin beside its figures, from the header's link
    log_in_to_demo(page, live_server, "manager1")
    with page.expect_navigation():
        page.locator("nav.nav").get_by_role("link", name="每周工作通报").click()
    expect(page.locator("h1")).to_contain_text(team.name)
    expect(page.locator(".week-line")).to_contain_text("2017-10-23 – 2017-10-29")
    page.fill("[name=went_well]", "本周新开户 12 户，两位新人首次独立签单。")
    page.fill("[name=hard]", "月底客户资金到位慢，三笔大额入金推迟到下月。")
    page.fill("[name=help_needed]", "请总监协调理财经理周六到场支持客户沙龙。")
    with page.expect_navigation():
        page.click("#bulletin-form button[type=submit].primary")
    expect(page.locator("#bulletin-form h2")).to_have_text("您的工作通报")
    expect(page.locator("[name=hard]")).to_have_value("月底客户资金到位慢，三笔大额入金推迟到下月。")
    bulletin = Bulletin.objects.get(team=team, week=THIS_WEEK)
    assert bulletin.written_by == manager.user and "沙龙" in bulletin.help_needed
    shot(page, "rewards-1-manager-writes-bulletin")

    # the director opens the bulletins from the header, goes to this week and replies to the team's bulletin
    log_in_to_demo(page, live_server, "director")
    with page.expect_navigation():
        page.locator("nav.nav").get_by_role("link", name="每周工作通报").click()
    if "2017-10-23" not in page.locator(".week-line").inner_text():  # it opens on the last completed week
        with page.expect_navigation():
            page.click("a[rel=next]")
    card = page.locator(f"#team-{team.pk}")
    expect(card.locator(".help-needed")).to_contain_text("客户沙龙")
    card.locator("[name=text]").fill("周六我请理财部安排两位经理到场，入金推迟的客户下周一起拜访。")
    with page.expect_navigation():
        card.locator("button[type=submit].primary").click()
    expect(page.locator(f"#team-{team.pk} .bulletin-comments")).to_contain_text("理财部安排两位经理")
    shot(page, "rewards-2-director-replies")

    # the director closes October: its figures lock and the rules propose the month's awards
    with page.expect_navigation():
        page.locator("nav.nav").get_by_role("link", name="月结").click()
    with page.expect_navigation():
        page.locator("#month-2017-10").get_by_role("button", name="月结").click()
    expect(page.locator("#month-2017-10")).to_contain_text("已月结")
    assert MonthClose.objects.get(month=OCTOBER).closed
    top = PeriodPlacing.objects.select_related("employee__user").get(period="month", first_month=OCTOBER, rank=1)
    award = Record.objects.get(rule__code="month-top-rep", first_month=OCTOBER)
    assert (award.employee, award.state, award.amount) == (top.employee, RecordState.PROPOSED, 2000)

    # ... which wait for the director in the register, where they approve and publish the award
    page.goto(f"{live_server.url}{reverse('rewards:records')}?month=2017-10-01&waiting=on")
    award_row = page.locator("#records tbody tr, table tbody tr").filter(has_text=top.employee.name).filter(
        has_text="现金").first
    expect(award_row).to_contain_text("待您处理")
    with page.expect_navigation():
        award_row.locator("td a").first.click()
    assert page.url.endswith(reverse("rewards:record", args=[award.pk]))
    with page.expect_navigation():
        page.click("#act-approve button[type=submit].primary")
    with page.expect_navigation():
        page.click("#act-publish button[type=submit].primary")
    expect(page.locator("#published-at")).to_be_visible()
    award.refresh_from_db()
    assert award.state == RecordState.PUBLISHED and award.approved_by.username == "director"
    notice = Notice.objects.get(record=award)
    shot(page, "rewards-3-director-publishes-award")

    # the rep sees it unread in the header, on their start page and first on the board (pinned notices aside)
    log_in_to_demo(page, live_server, top.employee.user.username)
    assert page.url.endswith(reverse("dashboards:mine"))
    before = unread(page)
    assert before >= 1
    expect(page.locator("#notices-card")).to_contain_text(notice.title)
    shot(page, "rewards-4-rep-start-page")
    with page.expect_navigation():
        page.click("#unread-notices")
    first_unpinned = page.locator("ul.board li:not(.pinned)").first
    expect(first_unpinned).to_contain_text(notice.title)
    expect(first_unpinned).to_have_class(re.compile(r"\bunread\b"))
    shot(page, "rewards-5-rep-board")
    with page.expect_navigation():
        first_unpinned.get_by_role("link", name=notice.title).click()
    expect(page.locator("main")).to_contain_text(award.reason.splitlines()[0])
    assert unread(page) == before - 1

    # the manager finds the director's reply beside the bulletin
    log_in_to_demo(page, live_server, "manager1")
    page.goto(f"{live_server.url}{reverse('rewards:bulletin_edit', args=[team.pk, THIS_WEEK.isoformat()])}")
    expect(page.locator("#bulletin .bulletin-comments, #comments")).to_contain_text("理财部安排两位经理")
    expect(page.locator(".week-line")).to_contain_text("已月结")  # October is closed: it is kept as written
    shot(page, "rewards-6-manager-sees-reply")
