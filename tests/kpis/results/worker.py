"""A real Celery worker for the task tests: the project's app, on Redis (REDIS_URL picks the database), in a
thread of the test process, so it reads and writes the test database through its own connection.

Tests using it need `transactional_db`: the worker only sees committed rows.
"""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
from celery import signals
from celery.contrib.testing.worker import start_worker

from salesops.celery import app

CLOSED_PORT = "redis://127.0.0.1:6390/0"  # nothing listens there: a broker outage


@contextmanager
def configured(**values: object) -> Iterator[None]:
    """Override these Celery settings while the block runs, then fall back to Django's settings again.

    The app reads Django's settings live; overrides sit in `app.conf.changes`, so they are taken out, not set
    back. A new broker URL also drops the app's cached connection pools, and a new default queue its cached queue
    table (else a worker started later in the process reads only the queue of the test that built it).
    """
    changes = app.conf.changes
    before = {key: changes[key] for key in values if key in changes}

    def drop_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None
        for cached in ("queues", "default_queue", "router"):
            app.amqp.__dict__.pop(cached, None)

    changes.update(values)
    drop_pools()
    try:
        yield
    finally:
        for key in values:
            changes.pop(key, None)
        changes.update(before)
        drop_pools()


@contextmanager
def queued_on_redis(settings) -> Iterator[str]:
    """Stop running tasks inline while the block runs: they go to Redis (settings.CELERY_BROKER_URL, so
    REDIS_URL picks the database), with nothing left queued by an earlier test. Yield the broker's URL."""
    url = settings.CELERY_BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the settings fixture puts it back
    # Keys prefixed per test process: parallel runs (pytest-xdist) sharing the Redis database never take each
    # other's tasks. worker_hijack_root_logger off: a worker starting must not take pytest's log capture away.
    prefix = f"salesops-tests-{os.getpid()}:"
    with configured(task_always_eager=False, worker_hijack_root_logger=False, broker_url=url,
                    broker_transport_options={"global_keyprefix": prefix}):
        app.control.purge()
        try:
            yield url
        finally:
            client = redis.Redis.from_url(url)
            client.delete(*client.scan_iter(match=f"{prefix}*"), "")  # "": delete() needs one key at least
            client.close()


def queued_messages() -> int:
    """Return how many task messages wait in the default queue."""
    with app.connection_for_write() as connection:
        # The Redis channel's own count (every priority list), as the passive queue_declare ignores key prefixes.
        return connection.default_channel._size(app.conf.task_default_queue)


@contextmanager
def running_worker() -> Iterator[object]:
    """Run a worker (solo pool, one task at a time) until the block ends, then stop it."""
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=20,
                      loglevel="WARNING") as worker:
        yield worker


@contextmanager
def task_runs() -> Iterator[list[tuple[str, str]]]:
    """Collect (task name, final state) of every task the worker finishes while the block runs."""
    runs: list[tuple[str, str]] = []

    def finished(sender=None, state=None, **_kwargs) -> None:
        runs.append((sender.name, state))

    signals.task_postrun.connect(finished, weak=False)
    try:
        yield runs
    finally:
        signals.task_postrun.disconnect(finished)


def wait_for(condition: Callable[[], object], timeout: float = 20, what: str = "the worker") -> object:
    """Return the condition's first truthy value, polling until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout} s for {what}")
