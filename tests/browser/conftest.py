"""Fixtures for the browser tests: one chromium per session, a fresh context per test, an organisation.

Every test here needs `transactional_db`: the live server answers from another thread, so the data must be
committed, not hidden inside the test's rolled-back transaction. Build it in the test thread through the
services and factories, as everywhere else.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from teams.models import Employee, Role, Team
from tests import factories

# Playwright's sync API runs an asyncio event loop on the test thread (inside a greenlet), so Django sees a
# "running event loop" and raises SynchronousOnlyOperation whenever the test thread touches the ORM: building
# data, reading it back, flushing the database after the test. Nothing here is async; the loop only carries
# Playwright's messages. The flag is process-wide and stays set for the rest of the run, which is what we need:
# the session-scoped browser keeps the loop alive until the session ends, past the browser tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never download a browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "browser-pw-1"  # every log-in in `people` uses it
TIMEOUT_MS = 5_000  # local server, tiny pages: anything slower is a failure, and fails fast


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser: Browser, width: int, height: int, **options) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # chromium reports what the Content-Security-Policy refused (an inline script, style or handler, another
    # origin) as a console error; any is a failure, as a JavaScript error is
    refused: list[str] = []
    page.on("console", lambda message: refused.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not refused, f"Content-Security-Policy violations: {refused}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop tab (1280x900, zh-CN, Asia/Shanghai) with its own cookies; fails on JavaScript errors and
    Content-Security-Policy violations."""
    yield from _page(browser, 1280, 900)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A fresh phone-width tab (390x844, touch) for checks of the narrow layout."""
    yield from _page(browser, 390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)


@dataclass
class People:
    """Two teams with a manager and a rep each, a director, a general manager and HR; all log in with PASSWORD."""

    team_a: Team
    team_b: Team
    manager_a: Employee
    manager_b: Employee
    rep_a: Employee
    rep_b: Employee
    director: Employee
    general_manager: Employee
    hr: Employee

    def by_role(self, name: str) -> Employee:
        return getattr(self, name)


@pytest.fixture
def people(transactional_db) -> People:
    """The `org` fixture's cast, committed so that the live server sees it (tests/conftest.py's `org` uses `db`)."""
    team_a, team_b = factories.TeamFactory(name="先锋队"), factories.TeamFactory(name="猛虎队")
    return People(
        team_a=team_a, team_b=team_b,
        manager_a=factories.manager_of(team_a, name="王经理", password=PASSWORD),
        manager_b=factories.manager_of(team_b, name="李经理", password=PASSWORD),
        rep_a=factories.employee(team=team_a, name="甲队员", password=PASSWORD),
        rep_b=factories.employee(team=team_b, name="乙队员", password=PASSWORD),
        director=factories.employee(role=Role.DIRECTOR, name="张总监", password=PASSWORD),
        general_manager=factories.employee(role=Role.GENERAL_MANAGER, name="赵总经理", password=PASSWORD),
        hr=factories.employee(role=Role.HR, name="陈人事", password=PASSWORD),
    )


@pytest.fixture(scope="module")
def committed_demo(django_db_setup, django_db_blocker):
    """The demo and its rollups loaded once for the module, committed so that the live server sees it, and flushed
    afterwards. A module that reads it replaces `transactional_db` with `demo_db` below (no flush after each test)."""
    from django.core.management import call_command
    from django.db import transaction

    from kpis.results import services as rollups
    from tests.snapshots import load_demo

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        try:
            with transaction.atomic():
                load_demo(rollups=True)  # once per test run, replayed after (tests/snapshots.py)
            rollups.recompute_pending()  # nothing should be left pending; make sure
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo_today(settings):
    """Pin today to the demo's today; the live server runs in this process, so its today too."""
    from datetime import date

    from tests.browser import DEMO_TODAY_ISO

    settings.AS_OF_DATE = date.fromisoformat(DEMO_TODAY_ISO)


@pytest.fixture
def demo_db(committed_demo, django_db_blocker):
    """Database access for the test and the live server on the module's committed demo."""
    with django_db_blocker.unblock():
        yield
