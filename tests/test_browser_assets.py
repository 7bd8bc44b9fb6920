"""Browser libraries come from the npm registry and are really used: htmx is pinned, served as a static file and
loaded by every page, and no template or script of ours fakes the header htmx sends."""

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_htmx_is_pinned_to_an_exact_2x_version_in_package_and_lock():
    version = json.loads((ROOT / "package.json").read_text())["dependencies"]["htmx.org"]
    assert re.fullmatch(r"2\.\d+\.\d+", version)
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"][""]["dependencies"]["htmx.org"] == version
    assert lock["packages"]["node_modules/htmx.org"]["version"] == version


def test_htmx_is_served_from_node_modules_as_a_static_file(client):
    found = finders.find("vendor/htmx/htmx.min.js")
    assert found and "node_modules" in found
    response = client.get(static("vendor/htmx/htmx.min.js"))
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content if response.streaming else [response.content])


def test_every_page_loads_htmx_and_the_amount_formatter_and_carries_the_csrf_token(client):
    html = client.get(reverse("login")).content.decode()  # base.html, as every page extends it
    assert f'<script src="{static("vendor/htmx/htmx.min.js")}" defer></script>' in html
    assert f'<script src="{static("js/money.js")}"></script>' in html
    assert re.search(r"""<body hx-headers='\{"X-CSRFToken": "[^"]+"\}'>""", html)


def test_no_template_or_script_of_ours_sets_an_htmx_header_by_hand():
    ours = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static").rglob("*.js")]
    assert ours
    # Header names as htmx sends them (HX-Request); the hx-* attributes are lower case.
    faking = [str(p.relative_to(ROOT)) for p in ours if re.search(r"HX-[A-Z][a-z]", p.read_text())]
    assert faking == []


def test_only_money_js_writes_amounts_in_wan():
    scripts = {p.name: p.read_text() for p in (ROOT / "static" / "js").glob("*.js")}
    assert '"万"' in scripts["money.js"]
    assert [name for name, text in scripts.items() if name != "money.js" and '"万"' in text] == []


def test_every_page_names_its_icon_and_the_icon_is_served(client):
    """Without a named icon, every first visit asked for /favicon.ico and logged a 404."""
    html = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html
    response = client.get(static("img/favicon.svg"))
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content if response.streaming else [response.content])


def test_no_template_of_ours_has_an_inline_script_style_or_handler():
    """The Content-Security-Policy refuses them: behaviour goes in static/js (page.js), looks in static/css."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in (ROOT / "templates").rglob("*.html")
             for m in inline.finditer(p.read_text())]
    assert found == []


def test_every_response_carries_the_content_security_policy(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == directives["object-src"] == "'none'"
