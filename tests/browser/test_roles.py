"""Each role logs in through the real form and lands on its start page; language switch; 404; phone width.

The first test is the suite's test of the log-in form; the other browser tests sign in through `login`, which
reuses a role's storage state once that role has logged in through the form."""


import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import login, login_through_form, shot
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def start_path(people, role: str) -> str:
    return {
        "director": reverse("dashboards:director"),
        "general_manager": reverse("dashboards:director"),
        "hr": reverse("promotions:candidates"),
        "manager_a": reverse("dashboards:team", args=[people.team_a.pk]),
        "rep_a": reverse("dashboards:mine"),
    }[role]


@pytest.mark.parametrize("role", ["director", "general_manager", "hr", "manager_a", "rep_a"])
def test_each_role_logs_in_and_lands_on_its_start_page(page, live_server, people, role):
    person = people.by_role(role)
    login_through_form(page, live_server, person.user.username, PASSWORD)
    assert page.url == f"{live_server.url}{start_path(people, role)}"
    expect(page.locator("header .who")).to_contain_text(person.name)
    # The header in Chinese from the compiled catalogue; a rep has no organisation page to link to.
    nav = expect(page.locator("header nav"))
    if role == "rep_a":
        nav.not_to_contain_text("组织架构")
        nav.to_contain_text("我的目标")
    else:
        nav.to_contain_text("组织架构")
    shot(page, f"start-{role.removesuffix('_a')}")


def test_english_button_reloads_the_page_in_english(page, live_server, people):
    login(page, live_server, people.director.user.username, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{live_server.url}{reverse('dashboards:director')}"
    expect(page.get_by_role("button", name="English")).to_be_disabled()
    shot(page, "language-english")


def test_rep_typing_another_employees_url_gets_not_found(page, live_server, people):
    login(page, live_server, people.rep_a.user.username, PASSWORD)
    response = page.goto(f"{live_server.url}{reverse('teams:employee', args=[people.rep_b.pk])}")
    assert response is not None and response.status == 404
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("此处没有内容")  # the 404 page, in Chinese by default
    expect(page.locator("main")).not_to_contain_text(people.rep_b.name)
    shot(page, "rep-other-employee-404")


def test_rep_profile_has_no_horizontal_scroll_at_phone_width(phone_page, live_server, people):
    login(phone_page, live_server, people.rep_a.user.username, PASSWORD)
    assert phone_page.url == f"{live_server.url}{reverse('dashboards:mine')}"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    shot(phone_page, "phone-rep-me")
    assert width <= 390, f"the rep's start page is {width}px wide at a 390px viewport"
