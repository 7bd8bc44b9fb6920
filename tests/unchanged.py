"""`unchanged`: a refused write leaves the project's tables as they were.

A checksum of every table of the project's apps (a row count and an md5 of the rows in order, one query) is taken
before the block and compared after it; when a table differs, the rows it gained and lost are shown.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, transaction

PROJECT_APPS = ("teams", "targets", "kpis", "appraisals", "promotions", "rewards", "dashboards", "salesops")
# Written by a log-in, not by the write under test.
IGNORED_COLUMNS = {"teams_user": {"last_login"}}
# The audit of a log-in or a download (teams/audit.py): a record of a read, not a write; and its copy of the admin's
# own log entry (django_admin_log, not a project table), which the admin writes for every save it makes, even one
# the model's own save then finds unchanged.
IGNORED_ROWS = {"teams_accessevent": "t.kind IN ('login', 'logout', 'export', 'admin_change')"}


def project_tables() -> dict[str, list[str]]:
    """Return every table of the project's apps (StateEvent, rollups and m2m tables included) with its columns."""
    tables = {}
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                ignored = IGNORED_COLUMNS.get(model._meta.db_table, set())
                columns = [f.column for f in model._meta.concrete_fields if f.column not in ignored]
                tables[model._meta.db_table] = columns
    return dict(sorted(tables.items()))


def _row_sql(table: str, columns: list[str]) -> tuple[str, str]:
    """Return a row of `t` as text over the columns, and the quoted table name with the rows left out."""
    quote = connection.ops.quote_name
    where = f" t WHERE NOT ({IGNORED_ROWS[table]})" if table in IGNORED_ROWS else " t"
    return f"ROW({', '.join('t.' + quote(c) for c in columns)})::text COLLATE \"C\"", quote(table) + where


def _checksums(tables: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """Return {table: (row count, md5 of its rows in order)}, in one query."""
    parts = []
    for table, columns in tables.items():
        row, name = _row_sql(table, columns)
        digest = f"md5(coalesce(string_agg({row}, ',' ORDER BY {row}), ''))"
        parts.append(f"SELECT %s::text, count(*), {digest} FROM {name}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(tables))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def _rows(table: str, columns: list[str]) -> list[str]:
    row, name = _row_sql(table, columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {row} FROM {name}")
        return [r for (r,) in cursor.fetchall()]


def _differences(changed: list[str], before_rows: dict[str, list[str]],
                 after_rows: dict[str, list[str]]) -> str:
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
            if savepoint is None:  # outside a transaction (a transactional_db test): the tables, not the rows
                raise AssertionError(f"a refused write changed the database: {', '.join(changed)}")
            after_rows = {t: _rows(t, self.tables[t]) for t in changed}
            connection.needs_rollback = False
            transaction.savepoint_rollback(savepoint)
            before_rows = {t: _rows(t, self.tables[t]) for t in changed}
            raise AssertionError("a refused write changed the database:\n"
                                 + _differences(changed, before_rows, after_rows))

        return block()
