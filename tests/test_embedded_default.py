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


@pytest.mark.embedded
def test_a_week_saved_in_the_grid_and_an_import_reach_the_directors_dashboard_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    # The demo's "today", as `make run` sets it: the 2017 plan is current, so the dashboard has a year to show.
    env.update(DJANGO_SETTINGS_MODULE="salesops.settings.local", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}",
               AS_OF_DATE="2017-10-27")

    def run(*args: str) -> list[str]:
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    run("manage.py", "migrate", "--no-input")
    run("manage.py", "load_demo")
    facts = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in run("tests/embedded/workflow.py")}
    assert facts["engine"] == "django.db.backends.sqlite3 eager True"
    assert facts["grid"] == "302 ['本周数据已保存：新增 0 条，修改 1 条，未变 6 条。']"
    assert facts["preview"] == "{'new': 0, 'changed': 1, 'unchanged': 0, 'error': 0}"
    assert facts["confirm"] == "200 ['figures.csv 已导入（按人按周计）：新增 0 条，修改 1 条，未变 0 条。']"
    assert facts["pending"] == "[]"  # eager: each save's recompute ran after its commit, in the request
    # The demo's year to 27 October: 9,815,800 yuan; the grid added 12,345.67 and the import 20,000.
    assert facts["before"] == "9815800.00 981.58万"
    assert facts["after"] == "9848145.67 984.81万"  # 984.814567万 on the page to two decimals
    assert facts["check"] == "rollups match"  # check_rollups after the two incremental recomputes
