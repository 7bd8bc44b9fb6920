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
