import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from targets import demo as targets_demo
from targets import services as target_services
from targets.calendar_cn import calendar_rows
from targets.models import PlanMonth, PlanYear
from teams import services
from teams.models import Employee, Role, Team
from tests import factories
from tests.snapshots import load_demo, replayed


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
    replayed("calendar", lambda: target_services.calendar_load(
        [(row.day, row.kind, row.name_zh) for row in calendar_rows()]))


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


# --- refused writes change nothing ------------------------------------------------------------------------------

PROJECT_APPS = ("teams", "targets", "kpis", "appraisals", "promotions", "rewards", "dashboards", "salesops")
# Written by a log-in, not by the write under test.
IGNORED_COLUMNS = {"teams_user": {"last_login"}}


def project_tables() -> dict[str, list[str]]:
    """Return every table of the project's apps (StateEvent, rollups and m2m tables included) with its columns."""
    from django.apps import apps

    tables = {}
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                ignored = IGNORED_COLUMNS.get(model._meta.db_table, set())
                columns = [f.column for f in model._meta.concrete_fields if f.column not in ignored]
                tables[model._meta.db_table] = columns
    return dict(sorted(tables.items()))


def _row_sql(table: str, columns: list[str]) -> tuple[str, str]:
    """Return a row of `t` as text over the columns, and the quoted table name."""
    from django.db import connection

    quote = connection.ops.quote_name
    return f"ROW({', '.join('t.' + quote(c) for c in columns)})::text COLLATE \"C\"", quote(table)


def _checksums(tables: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Return {table: (row count, md5 of its rows in order)}, in one query."""
    from django.db import connection

    parts = []
    for table, columns in tables.items():
        row, name = _row_sql(table, columns)
        digest = f"md5(coalesce(string_agg({row}, ',' ORDER BY {row}), ''))"
        parts.append(f"SELECT %s::text, count(*), {digest} FROM {name} t")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(tables))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def _rows(table: str, columns: list[str]) -> list[str]:
    from django.db import connection

    row, name = _row_sql(table, columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {row} FROM {name} t")
        return [r for (r,) in cursor.fetchall()]


def _differences(changed: list[str], before_rows: dict[str, list[str]],
                 after_rows: dict[str, list[str]]) -> str:
    from collections import Counter

    lines = []
    for table in changed:
        old, new = Counter(before_rows[table]), Counter(after_rows[table])
        gone, added = sorted((old - new).elements()), sorted((new - old).elements())
        lines.append(f"{table}: {sum(old.values())} rows before, {sum(new.values())} after")
        lines += [f"  - {row}" for row in gone[:3]] + [f"  + {row}" for row in added[:3]]
    return "\n".join(lines)


class Unchanged:
    """`with unchanged():` asserts that the block changed no row of the project's tables (a refused write);
    `with unchanged.unless(allowed):` asserts that the block changed something if `allowed`, and nothing if not.

    The checksum is taken when the block starts, so log in before it. The block runs in a savepoint: when a table
    differs, the rows after are read, the savepoint is rolled back and the rows before are read, to show which rows
    the block added or removed."""

    def __init__(self) -> None:
        self.tables = project_tables()

    def __call__(self):
        return self.unless(False)

    def unless(self, allowed: bool):
        from contextlib import contextmanager

        from django.db import connection, transaction

        @contextmanager
        def block():
            before = _checksums(self.tables)
            savepoint = transaction.savepoint()
            yield
            after = _checksums(self.tables)
            changed = [t for t in self.tables if before[t] != after[t]]
            if allowed:
                transaction.savepoint_commit(savepoint)
                assert changed, "the write was allowed but changed no table"
                return
            if not changed:
                transaction.savepoint_commit(savepoint)
                return
            after_rows = {t: _rows(t, self.tables[t]) for t in changed}
            connection.needs_rollback = False
            transaction.savepoint_rollback(savepoint)
            before_rows = {t: _rows(t, self.tables[t]) for t in changed}
            raise AssertionError("a refused write changed the database:\n"
                                 + _differences(changed, before_rows, after_rows))

        return block()


@pytest.fixture
def unchanged(db) -> Unchanged:
    """A context manager asserting that its block changed nothing in the project's tables (see `Unchanged`)."""
    return Unchanged()
