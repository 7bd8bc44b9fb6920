"""The people list in a real browser: htmx swaps the list as the filters change, and the URL keeps them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import login, shot
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_filtering_people_swaps_the_list_in_place_and_the_url_keeps_the_filters(page, live_server, people):
    login(page, live_server, people.director.user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('teams:people')}")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    rows = page.locator("#people-list tbody tr")
    expect(rows.first).to_be_visible()
    everyone = rows.count()
    assert everyone > 2

    with page.expect_request(lambda r: "q=" in r.url and r.headers.get("hx-request") == "true"):
        page.get_by_role("searchbox").fill("甲队员")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("甲队员")
    page.wait_for_url(lambda url: query(url).get("q") == ["甲队员"])

    team = [str(people.team_b.pk)]
    page.get_by_role("searchbox").fill("")
    page.get_by_label("团队").select_option(label=people.team_b.name)
    page.wait_for_url(lambda url: query(url).get("team") == team)
    expect(rows).not_to_have_count(everyone)
    expect(rows.filter(has_not_text=people.team_b.name)).to_have_count(0)

    page.locator("#people-list thead a", has_text="姓名").click()  # sorting is a boosted link in the list
    page.wait_for_url(lambda url: query(url).get("sort") == ["name"] and query(url).get("team") == team)
    expect(page.locator("#people-list th[aria-sort=ascending]")).to_contain_text("姓名")
    assert page.evaluate("window.sameDocument") is True
    shot(page, "people-filtered")

    page.reload()  # the URL alone rebuilds the same list, as a plain page
    expect(rows).not_to_have_count(everyone)
    expect(page.locator("#people-list th[aria-sort=ascending]")).to_contain_text("姓名")
    expect(page.get_by_label("团队")).to_have_value(str(people.team_b.pk))


def test_people_filters_are_a_plain_form_without_javascript(browser, live_server, people):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, people.director.user.username, PASSWORD)
        page.goto(f"{live_server.url}{reverse('teams:people')}?sort=-name")
        page.get_by_role("searchbox").fill("甲队员")
        with page.expect_navigation():
            page.get_by_role("button", name="筛选").click()
        assert query(page.url)["q"] == ["甲队员"] and query(page.url)["sort"] == ["-name"]
        expect(page.locator("#people-list tbody tr")).to_have_count(1)
    finally:
        context.close()
