"""`make bench` works: the benchmark run at a tiny size on its own scratch PostgreSQL database writes every figure
bench/README.md explains, its hand-written floor agrees with the stored rollups, and check_rollups accepts them.
Speed is not asserted here (bench/README.md records it)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"reps", "weekly_rows", "setup_s", "rollup_full_s", "rollup_floor_s", "rollup_full_ratio",
        "rollup_incremental_ms", "rollup_queries_full", "rollup_queries_incremental", "rollup_early_save_ms"}


def bench_url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def run_bench(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BENCH_DATABASE_URL": url}
    return subprocess.run([sys.executable, "bench/rollups.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_bench_at_a_tiny_size_writes_its_figures_and_its_floor_agrees_with_the_rollups(tmp_path):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    results = tmp_path / "results.json"
    done = run_bench(bench_url(f"salesops_bench_test_{worker}"), tmp_path, "--reps", "20", "--years", "1",
                     "--saves", "2", "--check", "--results", str(results))
    assert done.returncode == 0, done.stderr
    figures = json.loads(results.read_text())
    assert set(figures) >= KEYS
    assert (figures["reps"], figures["teams"], figures["months"]) == (20, 3, 12)
    assert figures["weekly_rows"] == 20 * 52
    assert figures["floor_mismatches"] == {"rep": 0, "team": 0, "company": 0, "flag": 0}
    assert figures["check_rollups"].startswith("rollups match: ")
    assert "rollup_full_ratio" in done.stdout  # the table


def test_the_bench_refuses_a_database_whose_name_does_not_say_bench(tmp_path):
    done = run_bench(bench_url("salesops_scratch"), tmp_path, "--reps", "8", "--years", "1")
    assert done.returncode != 0 and "must contain “bench”" in done.stderr
