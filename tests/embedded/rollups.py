"""Run by tests/kpis/results/test_engines.py in a subprocess on the embedded default (SQLite), after migrate and
load_demo: prints check_rollups' verdict on its first line, then every stored rollup row as JSON."""

import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import CommandError, call_command  # noqa: E402

from tests.rollup_rows import rollup_rows  # noqa: E402

out = io.StringIO()
try:
    call_command("check_rollups", stdout=out)
    print(out.getvalue().splitlines()[0])
except CommandError as error:
    print(f"{error} {out.getvalue().splitlines()[:5]}")
print(json.dumps(rollup_rows()))
