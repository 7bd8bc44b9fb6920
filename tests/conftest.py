import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from targets import demo as targets_demo
from targets import services as target_services
from targets.models import PlanMonth, PlanYear
from targets.working_calendar import services as calendar_services
from teams import services
from teams.models import Employee, Role, Team
from tests import factories, snapshots
from tests.embedded_sqlite import embedded_builds  # noqa: F401  (a session fixture, shared by two files)
from tests.snapshots import load_demo, replayed
from tests.unchanged import Unchanged


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items) -> None:
    """The files with embedded tests (each loads the demo on SQLite in a subprocess, the longest tests here) go
    first, so the two xdist processes share them out at the start instead of one finishing them alone at the end.
    Nothing else moves: pytest-django's order of database tests is kept."""
    first = {item.path for item in items if item.get_closest_marker("embedded")}
    items[:] = [item for item in items if item.path in first] + [item for item in items if item.path not in first]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (each process's memory: settings.CACHES): the API's rate limits count
    there, and one test's requests must not use up another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """The test database, as the migrations left it, read once for `snapshots.initial_restore`; from then on
    every flush (a `transactional_db` test's teardown, a module fixture's own) puts those rows back at once.
    The shared replays go in the run's folder, which every xdist process's temporary folder is inside."""
    base = tmp_path_factory.getbasetemp()
    snapshots.shared_folder = (base.parent if worker_id != "master" else base) / "replays"
    with django_db_blocker.unblock():
        snapshots.initial_take()
    with snapshots.restoring_after_flush():
        yield


def pytest_configure(config) -> None:
    """Each pytest-xdist worker (gw0, gw1, …) takes its own Redis database, counting down from REDIS_URL's: gw0
    uses it, gw1 the one below, and so on (the default 15, 14, …; 0 wraps to 15). PostgreSQL is per worker
    already (pytest-django appends _gw0, _gw1 to the test database's name). The worker tests' key prefix keeps
    two runs sharing a database apart as well (tests/kpis/results/worker.py)."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not settings.REDIS_URL:
        return
    base, _, db = settings.REDIS_URL.rpartition("/")
    if not db.isdigit():  # no database in the URL: Redis's 0
        base, db = settings.REDIS_URL.rstrip("/"), "0"
    url = f"{base}/{(int(db) - int(worker[2:])) % 16}"
    settings.REDIS_URL = settings.CELERY_BROKER_URL = url


@dataclass
class Organisation:
    """Two teams, their managers, reps, a rep who moved from A to B in June 2017 and a leaver from A."""

    team_a: Team
    team_b: Team
    manager_a: Employee
    manager_b: Employee
    rep_a: Employee
    rep_b: Employee
    mover: Employee
    leaver: Employee
    director: Employee
    general_manager: Employee
    hr: Employee

    def by_role(self, name: str) -> Employee:
        return getattr(self, name)


@pytest.fixture
def org(db) -> Organisation:
    return replayed("org", _build_org)


def _build_org() -> Organisation:
    team_a, team_b = factories.TeamFactory(name="先锋队"), factories.TeamFactory(name="猛虎队")
    hired = date(2016, 1, 4)
    mover = factories.employee(team=team_a, hired=hired, name="调动者")
    services.membership_start(employee=mover, team=team_b, starts_on=date(2017, 6, 1))
    leaver = factories.employee(team=team_a, hired=hired, name="离职者")
    services.employee_leave(employee=leaver, left_on=date(2017, 3, 31), reason="个人原因")
    return Organisation(
        team_a=team_a, team_b=team_b,
        manager_a=factories.manager_of(team_a), manager_b=factories.manager_of(team_b),
        rep_a=factories.employee(team=team_a, hired=hired, name="甲队员"),
        rep_b=factories.employee(team=team_b, hired=hired, name="乙队员"),
        mover=mover, leaver=leaver,
        director=factories.employee(role=Role.DIRECTOR), general_manager=factories.employee(role=Role.GENERAL_MANAGER),
        hr=factories.employee(role=Role.HR),
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are translated; tests outside a request read them in English (pages pick their own)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def calendar(db) -> None:
    replayed("calendar", calendar_services.calendar_sync_statutory)


@pytest.fixture
def draft_plan(org, calendar) -> PlanYear:
    """The seed's 2017 plan (Feb 2017 – Jan 2018, 1400万 in four phases), not yet approved."""
    return replayed("draft_plan", lambda: target_services.plan_create(
        name=targets_demo.PLAN_2017, first_month=date(2017, 2, 1), phases=targets_demo.PHASES_2017,
        month_targets=targets_demo.TARGETS_2017, by=org.director.user))


@pytest.fixture
def plan(draft_plan, org) -> PlanYear:
    """The 2017 plan approved by the general manager, so split to teams, reps and weeks."""
    return replayed("plan", lambda: target_services.plan_approve(plan=draft_plan, version=draft_plan.version,
                                                                  by=org.general_manager.user))


@pytest.fixture
def month_of(draft_plan) -> Callable[[int, int], PlanMonth]:
    """Return a function giving the 2017 plan's month for (year, month)."""
    return lambda year, month: draft_plan.months.select_related("plan").get(month=date(year, month, 1))


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, in a transaction rolled back after it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_once, db) -> None:
    """The module's demo, seen from the test's own savepoint."""


@pytest.fixture
def unchanged(db) -> Unchanged:
    """A context manager asserting that its block changed nothing in the project's tables (see `Unchanged`)."""
    return Unchanged()
