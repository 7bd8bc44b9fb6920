"""A month computed for the first time (no stored rows) inserts its rep rows and placings straight from the
statements; a recompute compares with the stored rows and writes only what differs. Both give the same rows."""

from kpis.results import placing_statements, statements
from kpis.results import services as rollups
from tests.kpis.results.test_rollups import _a_year_of_figures, snapshot


def test_a_first_build_and_a_rebuild_give_the_same_rows(org, plan, monkeypatch):
    _a_year_of_figures(org)
    compared, placed = [], []
    real_write, real_placings = statements._write_changed, placing_statements._Period.write
    monkeypatch.setattr(statements, "_write_changed", lambda *a, **k: compared.append(a[1]) or real_write(*a, **k))
    monkeypatch.setattr(placing_statements._Period, "write",
                        lambda self, placed_, **k: placed.append(k.get("first", False)) or real_placings(
                            self, placed_, **k))
    months = rollups.recompute_all()
    first = snapshot()
    assert first["rep"] and first["placings"]
    assert compared == [] and placed and all(placed)  # nothing stored: every row went straight in
    compared.clear(), placed.clear()
    rollups.recompute_all()
    assert compared == months and placed and not any(placed)  # compared with the stored rows
    assert snapshot() == first
