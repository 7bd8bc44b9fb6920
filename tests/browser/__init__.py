"""Browser tests: headless Debian chromium driven by Playwright's sync API against pytest-django's live server.

The helpers live here rather than in conftest.py so that test modules can import them plainly:
``from tests.browser import login, shot``. `login` goes through the form once per role and reuses the
browser's storage state after; `login_through_form` always uses the form
(test_roles.py's test of every role's log-in).
"""

from pathlib import Path

from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"


DEMO_TODAY_ISO = "2017-10-27"  # the demo's today (the Makefile's AS_OF_DATE): Friday of the last week with figures

_signed_in: dict[tuple[str, str, str], dict] = {}  # (server, role, password) -> storage state and session data


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in as `username` and wait for the start page the log-in leads to.

    The first log-in of a role (per live server and password) goes through the real form, and the browser's
    storage state is kept; later ones put that state's cookies into the tab and open LOGIN_REDIRECT_URL, as the
    form's redirect does. The state's session row is written again for this user when it is gone or belongs to
    someone else (a `transactional_db` test flushes the sessions and recreates the people under new keys), with
    the data the form's log-in left in it. `login_through_form` always uses the form.
    """
    from django.conf import settings
    from django.shortcuts import resolve_url

    from teams.models import User

    user = User.objects.filter(username=username).first()
    if user is None or not user.check_password(password):
        return login_through_form(page, live_server, username, password)  # let the form refuse it
    key = (live_server.url, str(user.role), password)
    if key not in _signed_in:
        login_through_form(page, live_server, username, password)
        state = page.context.storage_state()
        _signed_in[key] = {"state": state, "session": _session_of(state)}
        return
    saved = _signed_in[key]
    _revive(saved["session"], user)
    page.context.add_cookies(saved["state"]["cookies"])
    page.goto(f"{live_server.url}{resolve_url(settings.LOGIN_REDIRECT_URL)}")
    assert "/login/" not in page.url, f"signing in as {username} failed: still on {page.url}"


def log_in_to_demo(page: Page, live_server, username: str) -> None:
    """Sign in as one of the demo's log-ins (they share the demo's password)."""
    from django.conf import settings

    login(page, live_server, username, settings.DEMO_PASSWORD)


def login_through_form(page: Page, live_server, username: str, password: str) -> None:
    """Log in through the real form at /login/ and wait for the page it redirects to."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    assert "/login/" not in page.url, f"log-in as {username} failed: still on {page.url}"


def _session_of(state: dict) -> tuple[str, dict]:
    """Return the session key in the storage state's cookies and the session's data as the log-in left it."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    key = next(c["value"] for c in state["cookies"] if c["name"] == settings.SESSION_COOKIE_NAME)
    return key, dict(SessionStore(session_key=key).load())


def _revive(session: tuple[str, dict], user) -> None:
    """Make the saved session key a live session of `user`, with the data the form's log-in wrote."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    key, data = session
    data = {**data, SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash()}
    current = SessionStore(session_key=key).load()
    if current != data:
        Session.objects.update_or_create(session_key=key, defaults={
            "session_data": SessionStore().encode(data),
            "expire_date": timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)})


def shot(page: Page, name: str) -> Path:
    """Save a full-page PNG of `page` as artifacts/screenshots/<name>.png (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
