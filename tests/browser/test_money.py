"""static/js/money.js reads amounts exactly as salesops/formatting.py does: the same hand-written table."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser import login
from tests.browser.conftest import PASSWORD
from tests.test_formatting import AMOUNTS

pytestmark = pytest.mark.browser


def browser_amounts(page: Page, inputs: list, lang: str) -> list[str]:
    return page.evaluate("([inputs, lang]) => inputs.map((yuan) => window.SalesOps.amount(yuan, lang))", [inputs, lang])


@pytest.fixture
def any_page(page, live_server, transactional_db) -> Page:
    page.goto(f"{live_server.url}/login/")  # base.html loads money.js on every page, the log-in page too
    return page


@pytest.mark.parametrize(("lang", "column"), [("zh-hans", 1), ("en", 2)])
def test_money_js_matches_the_hand_written_table(any_page, lang, column):
    # Decimals go over as the strings the server writes for them; integers as JavaScript numbers.
    inputs = [str(yuan) if isinstance(yuan, Decimal) else yuan for yuan, *_ in AMOUNTS]
    assert browser_amounts(any_page, inputs, lang) == [case[column] for case in AMOUNTS]


@pytest.mark.parametrize(("lang", "column"), [("zh-hans", 1), ("en", 2)])
def test_money_js_reads_decimals_given_as_javascript_numbers_the_same(any_page, lang, column):
    decimals = [case for case in AMOUNTS if isinstance(case[0], Decimal)]
    assert browser_amounts(any_page, [float(yuan) for yuan, *_ in decimals], lang) == [c[column] for c in decimals]


def test_money_js_takes_the_pages_language_when_none_is_given(any_page):
    assert any_page.evaluate("document.documentElement.lang") == "zh-hans"
    assert any_page.evaluate("window.SalesOps.amount(12345678)") == "1,234.57万"


def test_plan_form_totals_read_through_money_js(page, live_server, people):
    login(page, live_server, people.director.user.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('targets:plan_new')}")
    page.fill("input[name=target_0]", "12345678")
    page.fill("input[name=target_1]", "150")
    expect(page.locator("#totals tr.total td")).to_have_text("1,234.58万")  # 12,345,828 yuan
