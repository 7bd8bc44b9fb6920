"""The Content-Security-Policy holds in the browser: the fixture's check catches a violation, and the admin's
pages (Django's and django-import-export's, which have inline styles and handlers of their own) pass it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import login_through_form
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_an_inline_style_is_refused_and_reported_in_the_console(browser, live_server, people):
    """The `page` fixture fails a test on these console errors; here a tab of our own sees one happen."""
    context = browser.new_context()
    tab = context.new_page()
    refused: list[str] = []
    tab.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    tab.goto(f"{live_server.url}{reverse('login')}")
    tab.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<p id="inline" style="color: rgb(255, 0, 0)">x</p>');
        const script = document.createElement('script'); script.textContent = 'window.ran = true';
        document.body.appendChild(script);
    }""")
    tab.wait_for_timeout(200)
    color, ran = tab.evaluate("[getComputedStyle(document.getElementById('inline')).color, window.ran === true]")
    context.close()
    assert color != "rgb(255, 0, 0)" and not ran
    assert len(refused) >= 2, refused  # the style attribute and the script


def test_the_admin_pages_pass_the_policy(page, live_server, people):
    from teams.models import User

    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    login_through_form(page, live_server, "root", PASSWORD)
    employee = people.rep_a.pk
    for url in [reverse("admin:index"), reverse("admin:teams_user_changelist"),
                reverse("admin:teams_employee_change", args=[employee]),
                reverse("admin:teams_stateevent_changelist"),  # no actions: Django's inline <style>, overridden
                reverse("admin:targets_calendarday_changelist"), reverse("admin:targets_calendarday_import"),
                reverse("admin:targets_calendarday_export")]:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
    # django-import-export's "select all", bound by static/js/admin/export.js instead of an onchange attribute
    toggle = page.locator("input.select-toggle")
    if toggle.count():
        toggle.uncheck()
        expect(page.locator(".selectable-field-export-row input[type=checkbox]").first).not_to_be_checked()


def test_the_api_docs_render_every_operation_within_the_policy(page, live_server, people):
    """Swagger UI from the sidecar's files, its start-up script a file of its own: the `page` fixture fails the
    test on any CSP report (its icons are data: images, which this page alone allows)."""
    login_through_form(page, live_server, people.director.user.username, PASSWORD)
    response = page.goto(f"{live_server.url}{reverse('api-docs')}")
    assert "img-src 'self' data:" in response.headers["content-security-policy"]
    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    assert page.locator(".opblock").count() > 40  # every operation of the schema, not an error page
    page.wait_for_timeout(300)  # let the icons load, so a refused one would reach the console
