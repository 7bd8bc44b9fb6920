"""Replayed fixture builds: a costly fixture (the approved plan, the demo) is built through the services once per
test process, and later tests get the same rows written back in one statement per table.

`replayed(name, build)` runs `build()` the first time and records what it changed in the database (the rows it
inserted, updated and deleted, read back as JSON per table) and what it returned (pickled). The next call with the
same name, in the same circumstances, writes those rows back with `json_populate_recordset` and returns a fresh
unpickled copy of the result: the same database state and the same objects the build gives, at a fraction of the
cost. Each test still runs in its own transaction, rolled back after it, so replayed rows vanish with the test.

A replay is only taken when it is sure to equal the build, else the build runs as before:
- inside a transaction (a `db` test or a module's transaction): a `transactional_db` test builds for real;
- nothing was written in this transaction except by earlier replays, in the same order (the chain): a test whose
  own fixture writes between `org` and `plan` (an extra rep before the split) gets a real build;
- the same settings that a build may read (today, language, time zone);
- the database looks as it did when the build was recorded: every table's row count, and the primary keys of
  the tables the build wrote and of the tables those point at (a flush by a `transactional_db` test recreates
  content types and permissions under new keys, for instance). Otherwise the build is recorded again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import pickle
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|COPY|ALTER|CREATE|DROP|MERGE|WITH|SELECT\b.*\bFOR\s+UPDATE)",
                   re.IGNORECASE | re.DOTALL)


@dataclass
class _Table:
    name: str
    columns: list[str]
    pk: list[str]
    references: set[str]
    sequence: str | None


@dataclass
class _Delta:
    inserted: dict[str, list[str]] = field(default_factory=dict)  # table -> rows as JSON
    updated: dict[str, list[str]] = field(default_factory=dict)
    deleted: dict[str, list[str]] = field(default_factory=dict)
    max_pk: dict[str, int] = field(default_factory=dict)  # table -> largest inserted integer key

    def tables(self) -> set[str]:
        return set(self.inserted) | set(self.updated) | set(self.deleted)


@dataclass
class _Recording:
    delta: _Delta
    watched: list[str]  # the tables whose keys must match (written, and pointed at)
    fingerprint: tuple
    result: bytes


class _Writes:
    """Counts the statements that may write, on the connection of the test thread."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql):
            self.count += 1
        return execute(sql, params, many, context)


_writes = _Writes()
_recordings: dict[tuple, _Recording] = {}
_tables: dict[str, _Table] | None = None
_chain: dict = {"transaction": None, "writes": None, "names": ()}  # the replays of the open transaction


def _watch_writes() -> None:
    """Count the writes on this thread's connection from the first replayed build on."""
    if _writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_writes)
        _chain["transaction"] = None  # writes before went uncounted: no chain continues across this


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _schema() -> dict[str, _Table]:
    global _tables
    if _tables is None:
        tables = {}
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor)
            for name in names:
                columns = [c.name for c in connection.introspection.get_table_description(cursor, name)]
                pk = connection.introspection.get_primary_key_columns(cursor, name) or []
                references = {target for _, target in connection.introspection.get_relations(cursor, name).values()}
                sequence = None
                if len(pk) == 1:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_quote(name), pk[0]])
                    sequence = cursor.fetchone()[0]
                tables[name] = _Table(name, columns, pk, references, sequence)
        _tables = tables
    return _tables


def _key_sql(table: _Table) -> str:
    return "json_build_array(" + ", ".join(_quote(c) for c in table.pk) + ")::text COLLATE \"C\""


def _read_all() -> dict[str, dict[str, str]]:
    """Return every table's rows as {key as JSON: row as JSON}."""
    contents = {}
    with connection.cursor() as cursor:
        for table in _schema().values():
            if not table.pk:
                cursor.execute(f"SELECT count(*) FROM {_quote(table.name)}")
                contents[table.name] = {"count": str(cursor.fetchone()[0])}
                continue
            cursor.execute(f"SELECT {_key_sql(table)}, row_to_json(t)::text FROM {_quote(table.name)} t")
            contents[table.name] = dict(cursor.fetchall())
    return contents


def _fingerprint(watched) -> tuple:
    """Every table's row count and a digest of the watched tables' keys, in one query."""
    tables = _schema()
    parts = []
    for name in sorted(tables):
        table = tables[name]
        keys = (f"md5(coalesce(string_agg({_key_sql(table)}, ',' ORDER BY {_key_sql(table)}), ''))"
                if name in watched and table.pk else "''")
        parts.append(f"SELECT %s::text, count(*), {keys}::text FROM {_quote(name)}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), sorted(tables))
        return tuple(sorted(cursor.fetchall()))


def _diff(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> _Delta | None:
    delta = _Delta()
    for name, table in _schema().items():
        old, new = before[name], after[name]
        if old == new:
            continue
        if not table.pk:
            return None  # a table without a key cannot be written back row by row
        if inserted := [row for key, row in new.items() if key not in old]:
            delta.inserted[name] = inserted
            if table.sequence:
                delta.max_pk[name] = max(json.loads(key)[0] for key in new if key not in old)
        if updated := [row for key, row in new.items() if key in old and old[key] != row]:
            delta.updated[name] = updated
        if deleted := [row for key, row in old.items() if key not in new]:
            delta.deleted[name] = deleted
    return delta


def _write_back(delta: _Delta) -> None:
    """Delete the deleted and updated rows, then insert the inserted and updated ones.

    An updated row is written as a delete and an insert, not an UPDATE: after a flush that reset the sequences,
    Django writes the content types again under other keys, and moving (teams, position) from key 9 back to key 6
    while key 9 still holds it broke the unique constraint half-way through one UPDATE. Foreign keys are deferred,
    so the rows pointing at a re-inserted one see it again by the commit.
    """
    tables = _schema()
    with connection.cursor() as cursor:
        for name in {**delta.deleted, **delta.updated}:
            rows = delta.deleted.get(name, []) + delta.updated.get(name, [])
            keys = ", ".join(_quote(c) for c in tables[name].pk)
            cursor.execute(f"DELETE FROM {_quote(name)} WHERE ({keys}) IN "
                           f"(SELECT {keys} FROM json_populate_recordset(NULL::{_quote(name)}, %s))",
                           ["[" + ",".join(rows) + "]"])
        for name in {**delta.inserted, **delta.updated}:
            rows = delta.inserted.get(name, []) + delta.updated.get(name, [])
            columns = ", ".join(_quote(c) for c in tables[name].columns)
            cursor.execute(f"INSERT INTO {_quote(name)} ({columns}) SELECT {columns} "
                           f"FROM json_populate_recordset(NULL::{_quote(name)}, %s)", ["[" + ",".join(rows) + "]"])
        if delta.max_pk:  # keys taken by the recording stay taken, even if a sequence was reset since
            # setval marks the value as used (is_called), which a fresh sequence whose last_value equals the
            # recorded key is not: without it, the next insert takes that key again.
            pairs = [(tables[name].sequence, top) for name, top in delta.max_pk.items()]
            cursor.execute(" UNION ALL ".join(
                "SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM " + seq + ")))" for seq, _ in pairs),
                [value for seq, top in pairs for value in (seq, top)])


def _circumstances() -> tuple:
    return (str(getattr(settings, "AS_OF_DATE", None)), translation.get_language(),
            timezone.get_current_timezone_name())


def _clean() -> tuple | None:
    """Return the chain of replays this transaction has seen, or None when something else wrote in it."""
    if not connection.in_atomic_block:
        return None
    _watch_writes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current_if_assigned()")
        txid = cursor.fetchone()[0]
    if txid is None:
        return ()  # nothing written yet in this transaction
    if _chain["transaction"] == txid and _chain["writes"] == _writes.count:
        return _chain["names"]
    return None


def _remember(names: tuple) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current_if_assigned()")
        txid = cursor.fetchone()[0]
    _chain.update(transaction=txid, writes=_writes.count, names=names)


def replayed(name: str, build: Callable[[], object], *, shared: bool = False) -> object:
    """Return `build()`, or a replay of its recorded rows and result when that is sure to be the same.

    `shared`: the recording is also written to `shared_folder`, and the pytest-xdist processes of the run take
    turns: the first builds, the others wait for it and replay its recording (the demo takes half a minute).
    """
    chain = _clean()
    if chain is None:
        return build()
    key = (name, chain, _circumstances())
    recording = _recordings.get(key)
    if recording is None and shared:
        with _turn(key):
            return _replay_or_build(key, build, _shared_read(key), shared=True)
    return _replay_or_build(key, build, recording, shared=False)


def _replay_or_build(key: tuple, build: Callable[[], object], recording: _Recording | None, *, shared: bool):
    name, chain, _ = key
    if recording is not None and _fingerprint(recording.watched) == recording.fingerprint:
        _recordings[key] = recording
        _write_back(recording.delta)
        _check_now()
        _remember((*chain, name))
        return pickle.loads(recording.result)

    found = _fingerprint(_schema())  # the database as the build finds it
    before = _read_all()
    result = build()
    delta = _diff(before, _read_all())
    if delta is not None:
        tables = _schema()
        watched = sorted(delta.tables() | {t for n in delta.tables() for t in tables[n].references})
        # What a replay must find: every count, and the keys of the tables written and pointed at.
        fingerprint = tuple((n, count, keys if n in watched else "") for n, count, keys in found)
        _recordings[key] = _Recording(delta, watched, fingerprint, pickle.dumps(result))
        if shared:
            _shared_write(key, _recordings[key])
    _check_now()
    if delta is not None:
        _remember((*chain, name))
    return result


shared_folder: Path | None = None  # set by tests/conftest.py: one folder for all the processes of a run


def _shared_path(key: tuple) -> Path | None:
    if shared_folder is None:
        return None
    return shared_folder / hashlib.sha256(repr(key).encode()).hexdigest()[:24]


@contextmanager
def _turn(key: tuple, wait_s: float = 600) -> Iterator[None]:
    """Hold the key's file lock while building or reading it, so a second process waits for the first's
    recording instead of building the same rows beside it; after `wait_s`, build anyway."""
    path = _shared_path(key)
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield
                    return
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _shared_read(key: tuple) -> _Recording | None:
    path = _shared_path(key)
    if path is None or not path.exists():
        return None
    return pickle.loads(path.read_bytes())


def _shared_write(key: tuple, recording: _Recording) -> None:
    path = _shared_path(key)
    if path is not None:
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(recording))
        partial.replace(path)


def _check_now() -> None:
    """Check the deferred foreign keys of the rows just written, here and once.

    Left deferred, the checks of a module fixture's demo (tens of thousands of rows, in the module's transaction)
    were fired by every test's teardown (`check_constraints`, inside the test's savepoint) and put back by its
    rollback: 1–1.5 s of every test on the demo. Fired in the transaction that wrote the rows, they are done.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        connection.check_constraints()


def load_demo(*, rollups: bool = False) -> None:
    """Load the demo (and compute its rollups) in the open transaction.

    The first load in a test process runs `load_demo` (it takes a while); later ones replay its rows
    (`replayed`), so every module that needs the demo gets the same rows a load gives.
    """
    import io

    from django.core.management import call_command

    from kpis.results import services as rollups_services

    replayed("demo", lambda: call_command("load_demo", stdout=io.StringIO()), shared=True)
    if rollups:
        replayed("demo rollups", rollups_services.recompute_all, shared=True)


_initial: dict[str, dict[str, str]] | None = None


def initial_take() -> None:
    """Read the rows the migrations wrote (content types, permissions, rating labels, course types), once per
    process, so that `initial_restore` can put them back."""
    global _initial
    if _initial is None:
        _initial = _read_all()


@contextmanager
def restoring_after_flush() -> Iterator[None]:
    """Make Django's `flush` command end with `initial_restore`, so whatever runs after a flush (the next test, a
    module fixture loading the demo) finds the migrations' rows under their first keys."""
    from django.core.management.commands import flush

    handle = flush.Command.handle

    def flush_and_restore(self, **options):
        handle(self, **options)
        initial_restore()

    flush.Command.handle = flush_and_restore
    try:
        yield
    finally:
        flush.Command.handle = handle


def initial_restore() -> None:
    """Put the database back as the migrations left it, keys included, after a `transactional_db` test's flush.

    The flush empties every table, and Django then writes content types and permissions again under new keys
    (it does not reset sequences). Without this, the next test on the process found no rating labels or course
    types, and every recorded replay's fingerprint was off, so each costly fixture was built again for real.
    """
    from django.db import transaction

    if _initial is None:
        return
    delta = _diff(_read_all(), _initial)
    if delta is None:
        raise AssertionError("a table without a key changed; the migrations' rows cannot be put back")
    if delta.tables():
        with transaction.atomic():
            _write_back(delta)
