"""The rollups computed in SQL give the same numbers on PostgreSQL and on the embedded SQLite: the demo loaded on
each, every stored rollup row compared, and check_rollups (the independent recount) accepting both."""

import io
import json

import pytest
from django.core.management import call_command

from tests.rollup_rows import rollup_rows


def on_sqlite(embedded_builds, tmp_path) -> tuple[str, dict, str]:
    """On a copy of the demo loaded on SQLite (today the real date, as the PostgreSQL demo here), return
    check_rollups' verdict there, its rollup rows and how a save's band re-ranking compared with a full recompute."""
    built, _ = embedded_builds.demo(None)
    verdict, rows, band = built.copy(tmp_path / "demo.db").run("tests/embedded/rollups.py").splitlines()
    return verdict, json.loads(rows), band


@pytest.mark.embedded
def test_the_demos_rollups_are_the_same_on_postgresql_and_sqlite_and_check_rollups_accepts_both(demo, embedded_builds,
                                                                                                 tmp_path):
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert out.getvalue().startswith("rollups match: ")
    on_postgresql = rollup_rows()
    verdict, rows, band = on_sqlite(embedded_builds, tmp_path)
    assert verdict.startswith("rollups match: "), verdict
    # SQLite runs the band re-ranking too (the suite proves it on PostgreSQL in test_bands.py)
    assert band == "band rows differing: 0; band steps: ['_placings_band', 'rank_reps']", band
    assert {k: len(v) for k, v in rows.items()} == {k: len(v) for k, v in on_postgresql.items()}
    assert all(len(v) > 0 for v in rows.values())
    for table, stored in on_postgresql.items():
        differing = [(pg, lite) for pg, lite in zip(stored, rows[table], strict=True) if pg != lite]
        assert not differing, (table, differing[:3])
