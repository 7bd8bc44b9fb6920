"""The embedded default (SQLite, eager Celery) in subprocesses, as `make run` starts it, built once per test process.

Migrating and loading the demo on SQLite is the costliest setup in the suite, so each is done once per pytest
process and per "today" and kept as a file; every test runs its scripts on a copy of it, so no test sees another's
writes.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_TODAY = "2017-10-27"  # the Makefile's AS_OF_DATE: what `make run` serves


class Embedded:
    """Runs manage.py and scripts on one SQLite file with the local settings (no DATABASE_URL, no REDIS_URL)."""

    def __init__(self, path: Path, as_of_date: str | None) -> None:
        self.path = path
        self.env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "AS_OF_DATE"}}
        self.env.update(DJANGO_SETTINGS_MODULE="salesops.settings.local", DATABASE_URL=f"sqlite:///{path}")
        if as_of_date:
            self.env["AS_OF_DATE"] = as_of_date

    def run(self, *args: str) -> str:
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def copy(self, to: Path) -> "Embedded":
        shutil.copyfile(self.path, to)
        return Embedded(to, self.env.get("AS_OF_DATE"))


class _Built:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.migrated: Embedded | None = None
        self.demos: dict[str | None, tuple[Embedded, str]] = {}

    def demo(self, as_of_date: str | None) -> tuple[Embedded, str]:
        """Return the demo loaded with `as_of_date` as today (None: the real date) and load_demo's output."""
        if as_of_date not in self.demos:
            if self.migrated is None:
                self.migrated = Embedded(self.folder / "migrated.db", None)
                self.migrated.run("manage.py", "migrate", "--no-input")
            name = f"demo-{as_of_date or 'today'}.db"
            loaded = Embedded(self.folder / name, as_of_date)
            shutil.copyfile(self.migrated.path, loaded.path)
            self.demos[as_of_date] = (loaded, loaded.run("manage.py", "load_demo"))
        return self.demos[as_of_date]


@pytest.fixture(scope="session")
def embedded_builds(tmp_path_factory) -> _Built:
    return _Built(tmp_path_factory.mktemp("embedded"))
