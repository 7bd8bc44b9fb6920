"""Browser tests: headless Debian chromium driven by Playwright's sync API against pytest-django's live server.

The helpers live here rather than in conftest.py so that test modules can import them plainly:
``from tests.browser import login, shot``.
"""

from pathlib import Path

from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"


def login(page: Page, live_server, username: str, password: str) -> None:
    """Log in through the real form at /login/ and wait for the page it redirects to."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    assert "/login/" not in page.url, f"log-in as {username} failed: still on {page.url}"


def shot(page: Page, name: str) -> Path:
    """Save a full-page PNG of `page` as artifacts/screenshots/<name>.png (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
