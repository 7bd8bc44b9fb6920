"""Run by tests/kpis/results/test_engines.py in a subprocess on the embedded default (SQLite), after migrate and
load_demo: prints check_rollups' verdict on its first line, then every stored rollup row as JSON, then whether a
save in one team re-ranked by the band (kpis/results/bands.py) gives the rows of a full recompute."""

import io
import json
import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import CommandError, call_command  # noqa: E402

from tests.rollup_rows import rollup_rows  # noqa: E402


def verdict() -> str:
    out = io.StringIO()
    try:
        call_command("check_rollups", stdout=out)
        return out.getvalue().splitlines()[0]
    except CommandError as error:
        return f"{error} {out.getvalue().splitlines()[:5]}"


def band_against_full() -> str:
    """Save one team's last October week (the demo's as-of month) with more deposits, let the save's recompute
    re-rank by the band, then recompute October whole; return how the two differ and which band steps ran."""
    from kpis import services
    from kpis.models import Channel, WeeklyFigures
    from kpis.results import bands, placing_statements
    from kpis.results import services as rollups
    from teams.models import Role, User

    ran = []
    for module, name in ((bands, "rank_reps"), (placing_statements, "_placings_band")):
        real = getattr(module, name)
        setattr(module, name, lambda *a, real=real, name=name, **k: ran.append(name) or real(*a, **k))
    week = WeeklyFigures.objects.filter(week__lt=date(2017, 10, 30)).order_by("-week").values_list("week",
                                                                                                    flat=True)[0]
    team = WeeklyFigures.objects.filter(week=week).values_list("team_id", flat=True).first()
    rows = [services.RepWeekInput(f.employee_id, {"new_customer_deposits": f.new_customer_deposits * 3 + 50_000},
                                  version=f.version) for f in WeeklyFigures.objects.filter(week=week, team_id=team)]
    services.weekly_figures_save(week=week, rows=rows, by=User.objects.filter(role=Role.DIRECTOR).first(),
                                 channel=Channel.SYSTEM)
    rollups.recompute_pending()  # the save's own run when Celery is eager
    banded = rollup_rows()
    rollups.recompute_all()
    differing = sum(a != b for table in banded for a, b in zip(banded[table], rollup_rows()[table], strict=True))
    return f"band rows differing: {differing}; band steps: {sorted(set(ran))}"


print(verdict())
print(json.dumps(rollup_rows()))
print(band_against_full())
