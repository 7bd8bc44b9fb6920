"""The plan form in a real browser (static/js/plan_form.js): phase and year totals in 万 as you type, a bad target
in red, and the twelve-month rule: the page flags phases that do not cover exactly twelve months, the server
refuses to save them, and saves once they do."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from targets.models import PlanYear
from tests.browser import login, shot
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Month targets typed in, some with thousands separators as people paste them from a spreadsheet.
TYPED = ["800,050", "1000000", "1,200,000",  # phase 1: 3,000,050 yuan = 300.005万, shown rounded half up
         "1200000", "1200000", "1200000",    # phase 2: 360万
         "1200000", "1500000", "1000000",    # phase 3: 370万
         "1200000", "1500000", "1000000"]    # phase 4: 370万


def totals(page) -> list[tuple[str, str]]:
    """Return the footer's (label, amount) rows: each phase, then the year."""
    rows = page.locator("#totals tr")
    return [(rows.nth(i).locator("th").inner_text(), rows.nth(i).locator("td").inner_text())
            for i in range(rows.count())]


def open_new_plan(page, live_server, people) -> None:
    login(page, live_server, people.director.user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('targets:plan_new')}")
    page.fill("[name=name]", "2017年计划")
    page.fill("[name=first_month]", "2017-02")


def target(page, i: int):
    return page.locator(f"[name=target_{i}]")


def test_phase_and_year_totals_follow_the_typing_in_wan(page, live_server, people):
    open_new_plan(page, live_server, people)
    expect(page.locator("#totals tr.total td")).to_have_text("0万")
    expect(page.locator("#months tbody tr").first.locator(".month-label")).to_have_text("2017年2月")
    expect(page.locator("#months tbody tr").last.locator(".month-label")).to_have_text("2018年1月")

    target(page, 0).fill(TYPED[0])
    assert totals(page) == [("第 1 阶段", "80.01万"), ("第 2 阶段", "0万"), ("第 3 阶段", "0万"),
                            ("第 4 阶段", "0万"), ("全年合计", "80.01万")]  # 80.005万 rounds half up
    for i, value in enumerate(TYPED[1:], start=1):
        target(page, i).fill(value)
    assert totals(page) == [("第 1 阶段", "300.01万"), ("第 2 阶段", "360万"), ("第 3 阶段", "370万"),
                            ("第 4 阶段", "370万"), ("全年合计", "1,400.01万")]
    expect(page.locator("#months tbody tr").nth(9).locator(".phase-label")).to_have_text("第 4 阶段")

    target(page, 4).fill("1200000.5")  # not whole yuan: red, with the reason, and left out of the sums
    expect(target(page, 4)).to_have_class(re.compile(r"\binvalid\b"))
    expect(target(page, 4)).to_have_attribute("aria-invalid", "true")
    expect(target(page, 4)).to_have_attribute("title", "目标须为非负整数（单位：元）。")
    assert totals(page)[1] == ("第 2 阶段", "240万") and totals(page)[4] == ("全年合计", "1,280.01万")
    target(page, 4).fill("1200000")
    expect(target(page, 4)).to_have_attribute("aria-invalid", "false")
    assert totals(page)[4] == ("全年合计", "1,400.01万")
    shot(page, "plan-form-totals")


def test_phases_must_cover_exactly_twelve_months_flagged_then_refused_then_saved(page, live_server, people):
    open_new_plan(page, live_server, people)
    for i, value in enumerate(TYPED):
        target(page, i).fill(value)
    check = page.locator("#phase-check")
    expect(check).to_have_text("各阶段覆盖的月数： 12 / 12")
    expect(check).to_have_class("muted")

    page.locator(".phase-row").nth(3).locator("[name=phase_months]").fill("2")
    expect(check).to_have_text("各阶段覆盖的月数： 11 / 12")
    expect(check).to_have_class("error")
    expect(page.locator("#months tbody tr").last.locator(".phase-label")).to_have_text("—")  # in no phase
    # The twelfth month (1,000,000) leaves phase 4's sum but still counts in the year.
    assert totals(page)[3:] == [("第 4 阶段", "270万"), ("全年合计", "1,400.01万")]

    with page.expect_navigation():
        page.locator("#plan-form button[type=submit]").click()
    expect(page.locator("#plan-form .errorlist")).to_contain_text("各阶段共包含 11 个月，合计必须恰好为 12 个月。")
    assert not PlanYear.objects.exists()
    shot(page, "plan-form-eleven-months")

    page.locator(".phase-row").nth(3).locator("[name=phase_months]").fill("3")  # the typed targets came back
    expect(check).to_have_text("各阶段覆盖的月数： 12 / 12")
    expect(check).to_have_class("muted")
    with page.expect_navigation():
        page.locator("#plan-form button[type=submit]").click()
    expect(page.locator(".messages .success")).to_contain_text("计划已创建为草稿。")
    plan = PlanYear.objects.get()
    assert page.url == f"{live_server.url}{reverse('targets:plan', args=[plan.pk])}"
    assert plan.first_month == date(2017, 2, 1)
    assert sum(m.deposit_target for m in plan.months.all()) == 14_000_050
