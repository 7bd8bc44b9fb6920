"""`make run`'s embedded default works: SQLite, eager Celery, the demo, each role's start page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.embedded
def test_demo_runs_on_sqlite_with_eager_celery(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="salesops.settings.local", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")

    def manage(*args: str) -> str:
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("manage.py", "migrate", "--no-input")
    assert "director" in manage("manage.py", "load_demo")
    lines = manage("tests/embedded/smoke.py").splitlines()
    assert lines[0] == "engine django.db.backends.sqlite3 eager True"
    pages = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert set(pages) == {"gm", "director", "hr1", "manager1", "rep01"}
    assert all(status == "200" for status, _, _ in pages.values()), pages
    assert pages["director"][1] == "/dashboard/"
    assert pages["manager1"][1].startswith("/dashboard/teams/")
    assert pages["rep01"][1] == "/mine/"
    assert all(chinese == "True" for _, _, chinese in pages.values()), pages
