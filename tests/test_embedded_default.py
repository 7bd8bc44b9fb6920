"""`make run`'s embedded default works: SQLite, eager Celery, the demo, each role's start page, and a week saved in
the grid and an import reaching the director's dashboard. Both run on copies of one demo load (tests/embedded_sqlite.py)
with the Makefile's "today", 27 October 2017."""

import pytest

from tests.embedded_sqlite import DEMO_TODAY


@pytest.fixture
def made_run(embedded_builds, tmp_path):
    """A copy of the demo as `make run` loads it (AS_OF_DATE=2017-10-27), and load_demo's output."""
    built, output = embedded_builds.demo(DEMO_TODAY)
    return built.copy(tmp_path / "demo.db"), output


@pytest.mark.embedded
def test_demo_runs_on_sqlite_with_eager_celery(made_run):
    embedded, output = made_run
    assert "director" in output
    lines = embedded.run("tests/embedded/smoke.py").splitlines()
    assert lines[0] == "engine django.db.backends.sqlite3 eager True"
    pages = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert set(pages) == {"gm", "director", "hr1", "manager1", "rep01"}
    assert all(status == "200" for status, _, _ in pages.values()), pages
    assert pages["director"][1] == "/dashboard/"
    assert pages["manager1"][1].startswith("/dashboard/teams/")
    assert pages["rep01"][1] == "/mine/"
    assert pages["hr1"][1] == "/promotions/candidates/"
    assert all(chinese == "True" for _, _, chinese in pages.values()), pages


@pytest.mark.embedded
def test_a_week_saved_in_the_grid_and_an_import_reach_the_directors_dashboard_on_sqlite(made_run):
    embedded, _ = made_run
    facts = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in embedded.run("tests/embedded/workflow.py")
             .splitlines()}
    assert facts["engine"] == "django.db.backends.sqlite3 eager True"
    assert facts["grid"] == "302 ['本周数据已保存：新增 0 条，修改 1 条，未变 6 条。']"
    assert facts["preview"] == "{'new': 0, 'changed': 1, 'unchanged': 0, 'error': 0}"
    assert facts["confirm"] == "200 ['figures.csv 已导入（按人按周计）：新增 0 条，修改 1 条，未变 0 条。']"
    assert facts["pending"] == "[]"  # eager: each save's recompute ran after its commit, in the request
    # The demo's year to 27 October: 9,815,800 yuan; the grid added 12,345.67 and the import 20,000.
    assert facts["before"] == "9815800.00 981.58万"
    assert facts["after"] == "9848145.67 984.81万"  # 984.814567万 on the page to two decimals
    assert facts["check"] == "rollups match"  # check_rollups after the two incremental recomputes


@pytest.mark.embedded
def test_the_demo_on_sqlite_is_dated_from_2016_to_its_today_not_when_it_was_loaded(made_run):
    """`make run`'s demo dates its acts where they happened (salesops/demo_dates.py's bulk UPDATEs, on SQLite)."""
    embedded, _ = made_run
    lines = embedded.run("tests/embedded/dates.py").splitlines()
    spans = {name: (first, last) for name, first, last in (line.split() for line in lines[:-1])}
    spans.pop("targets.CalendarYear.loaded_at")  # the statutory calendar's load: the system's, not a demo act
    assert {"teams.StateEvent.at", "kpis.FigureChange.changed_at", "kpis.MonthClose.closed_at",
            "appraisals.Appraisal.published_at", "kpis.RollupMonth.computed_at"} <= set(spans)
    outside = {name: span for name, span in spans.items()
               if not "2016-01-01" <= span[0] <= span[1] < f"{DEMO_TODAY}T24:00"}
    assert not outside
    assert spans["kpis.WeeklyFigures.entered_at"][1][:13] in {f"{DEMO_TODAY}T17", f"{DEMO_TODAY}T18"}  # Friday evening
    assert lines[-1] == "rollups current after-last-entry"
