"""Production settings refuse to start without their secrets, naming what is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "salesops.example.com",
            "DATABASE_URL": "postgres://postgres@localhost:5432/postgres"}


def start_production(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in COMPLETE}
    env.update({k: v for k, v in {**COMPLETE, **overrides}.items() if v is not None})
    env["DJANGO_SETTINGS_MODULE"] = "salesops.settings.production"
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_production_starts_with_every_setting():
    result = start_production()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    result = start_production(**{missing: None})
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_malformed_database_url_fails_with_its_name():
    result = start_production(DATABASE_URL="nonsense")
    assert result.returncode != 0
    assert "nonsense" in result.stderr or "DATABASE_URL" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings():
    # the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process (tests/browser/conftest.py); a
    # deployment never has it, and check --deploy rightly reports it
    env = {k: v for k, v in os.environ.items() if k not in COMPLETE and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(COMPLETE, SECRET_KEY="k3y-" + "8f2Q9zLw" * 7, DJANGO_SETTINGS_MODULE="salesops.settings.production")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_cookies_are_secure_and_the_session_ends_after_a_working_day_idle():
    code = ("import django; django.setup(); from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE,"
            " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
            " s.SESSION_COOKIE_AGE, s.SESSION_ENGINE, s.SECURE_HSTS_SECONDS,"
            " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)")
    env = {k: v for k, v in os.environ.items() if k not in COMPLETE}
    env.update(COMPLETE, DJANGO_SETTINGS_MODULE="salesops.settings.production")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split() == ["True", "True", "True", "True", "Lax", str(9 * 3600), "teams.sessions",
                                     str(365 * 24 * 3600), "True", "True"], result.stderr
