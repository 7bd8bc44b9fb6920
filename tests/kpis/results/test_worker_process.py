"""The rollups on a separate `celery -A salesops worker` process, as production runs them: the venv's celery, on
the test database and this pytest process's Redis database, started and stopped by the test.

test_tasks.py runs the worker in a thread of the pytest process; this proves the app also works when nothing is
shared but the database and the broker: the worker imports the project itself, finds the tasks, and lands the
rollups a save queued after its commit. The beat schedule names only tasks that exist, in Shanghai time.
"""

import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from celery.beat import ScheduleEntry
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from kpis.results import services as rollups
from kpis.results.models import RepMonthResult, RollupMonth
from salesops.celery import app
from tests.kpis.results.test_lock import waiting_for_the_lock
from tests.kpis.results.test_rollups import enter, figures
from tests.kpis.results.worker import configured, wait_for

ROOT = Path(__file__).resolve().parents[3]
CELERY = Path(sys.executable).parent / "celery"  # the venv's, beside its python
AUGUST = date(2017, 8, 1)


def database_url() -> str:
    """Return the URL of the test database this process uses (pytest-django's test_<name>[_gwN])."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def worker_process(queue: str, log: Path, **env_vars: str) -> Iterator[subprocess.Popen]:
    """Run `celery -A salesops worker` on `queue` (its node name `queue@host`, the same each time), with these extra
    environment variables, until the block ends, then stop it (warm shutdown) and wait."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "salesops.settings.test", "DATABASE_URL": database_url(),
           "REDIS_URL": settings.CELERY_BROKER_URL, "CELERY_TASK_ALWAYS_EAGER": "0",
           "PYTHONPATH": str(ROOT), **env_vars}  # PYTHONPATH: this worktree's code, whatever the venv points at
    with log.open("a") as out:
        worker = subprocess.Popen(
            [str(CELERY), "-A", "salesops", "worker", "--pool=solo", "--concurrency=1", "--loglevel=INFO",
             "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"{queue}@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield worker
        finally:
            if worker.poll() is None:
                worker.terminate()  # SIGTERM: a warm shutdown, the task in hand finishes first
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


@pytest.fixture
def own_queue(settings) -> Iterator[str]:
    """Send tasks to Redis, on a queue named for this process (no other run's worker takes them); yield its name."""
    queue = f"salesops-tests-process-{os.getpid()}"
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the settings fixture puts it back
    url = settings.CELERY_BROKER_URL
    with configured(task_always_eager=False, broker_url=url, task_default_queue=queue,
                    worker_hijack_root_logger=False):
        client = redis.Redis.from_url(url)
        client.delete(queue)
        try:
            yield queue
        finally:
            client.delete(queue)
            for tag, message in client.hgetall("unacked").items():  # what a killed worker held, redelivered later
                if queue.encode() in message:
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
            client.close()


def total_of(employee, month: date):
    row = RepMonthResult.objects.filter(employee=employee, month=month).first()
    return row.total_deposits if row else None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_lands_the_rollups_a_save_queued(org, plan, own_queue, tmp_path):
    assert not any(s.pending for s in RollupMonth.objects.all())  # the approval computed every month
    log = tmp_path / "worker.log"
    with worker_process(own_queue, log) as worker:
        enter(org, org.rep_a, date(2017, 8, 7), figures(12_345, opened=2, engaged=5))  # commits, then queues
        assert RollupMonth.objects.get(month=AUGUST).pending  # nothing ran in this process
        try:
            wait_for(lambda: total_of(org.rep_a, AUGUST) == 12_345 and not RollupMonth.objects.get(
                month=AUGUST).pending, timeout=60, what="the worker process to land August")
        except AssertionError:
            raise AssertionError(f"worker exit code {worker.poll()}; its log:\n{log.read_text()}") from None
    assert worker.returncode == 0, log.read_text()  # stopped cleanly
    row = RepMonthResult.objects.get(employee=org.rep_a, month=AUGUST)
    assert (row.accounts_opened, row.weeks_reported, row.weeks_missing) == (2, 1, 4)
    assert "Task kpis.results.tasks.recompute_pending_rollups[" in log.read_text()  # the process took it


def computed_months() -> int:
    return sum(not s.pending for s in RollupMonth.objects.all())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_after_a_kill_9_mid_recompute_the_restarted_worker_sweeps_and_check_rollups_is_clean(org, plan, own_queue,
                                                                                              tmp_path):
    log = tmp_path / "worker.log"
    with transaction.atomic():
        rollups.every_month_stale()  # as a new elimination rule does: twelve months to recompute, one sweep queued
    assert computed_months() == 0
    # The worker pauses a second between months; once three are done this connection takes the rollup lock, so the
    # worker is caught inside a month's run, whatever the timing: then it is killed.
    with connection.cursor() as cursor, worker_process(own_queue, log, ROLLUP_SWEEP_PAUSE_SECONDS="1") as worker:
        wait_for(lambda: computed_months() >= 3, timeout=60, what="three months computed")
        cursor.execute("SELECT pg_advisory_lock(%s)", [rollups.ROLLUP_LOCK])
        try:
            wait_for(waiting_for_the_lock, timeout=30, what="the worker to wait inside a month's run")
            worker.kill()  # SIGKILL: no shutdown, the task is neither finished nor acknowledged
            worker.wait(timeout=10)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [rollups.ROLLUP_LOCK])
    assert worker.returncode == -signal.SIGKILL
    wait_for(lambda: not waiting_for_the_lock(), what="the killed worker's connection to end")
    done = computed_months()
    assert 3 <= done < 12, done  # killed in the middle: the months before stay computed, the rest stale
    held = RollupMonth.objects.exclude(claimed_until=None).get()
    assert held.pending and held.claimed_by.startswith(f"{own_queue}@")  # its lease has not run out yet

    with worker_process(own_queue, log) as worker:  # the same worker started again: its sweep takes over at once
        try:
            wait_for(lambda: computed_months() == 12, timeout=60, what="the sweep of the restarted worker")
        except AssertionError:
            raise AssertionError(f"worker exit code {worker.poll()}; its log:\n{log.read_text()}") from None
    call_command("check_rollups", stdout=io.StringIO())  # raises on any difference
    assert RollupMonth.objects.filter(attempts__gt=0).count() == 0


INTERVAL_SWEEPS = {"rollups-sweep", "reward-rules-sweep"}


def test_the_beat_schedule_names_registered_tasks_in_shanghai_time():
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE, "a nightly run at least"
    for name, spec in settings.CELERY_BEAT_SCHEDULE.items():
        assert spec["task"] in app.tasks, f"{name}: no task {spec['task']} in the app's registry"
        # As beat reads it: the entry's crontab bound to the app, so in the app's time zone.
        entry = ScheduleEntry(name=name, task=spec["task"], schedule=spec["schedule"], app=app)
        if name not in INTERVAL_SWEEPS:  # a sweep runs on an interval, whatever the clock says
            assert isinstance(entry.schedule, crontab), name
            assert entry.schedule.tz == ZoneInfo("Asia/Shanghai"), name
    nightly = settings.CELERY_BEAT_SCHEDULE["nightly-rollups"]
    assert nightly["task"] == "kpis.results.tasks.recompute_all_rollups"
    assert (nightly["schedule"].hour, nightly["schedule"].minute) == ({2}, {30})  # 02:30, a quiet hour in Shanghai
    sweep = settings.CELERY_BEAT_SCHEDULE["rollups-sweep"]
    assert sweep["task"] == "kpis.results.tasks.recompute_pending_rollups"
    every = ScheduleEntry(name="rollups-sweep", task=sweep["task"], schedule=sweep["schedule"], app=app).schedule
    # a month lost with its worker: its lease runs out, and the next sweep takes it, within a minute together
    assert every.seconds + settings.ROLLUP_LEASE_SECONDS < 60
    assert sweep["options"]["expires"] < every.seconds  # sweeps queued while no worker listens do not pile up
    check = settings.CELERY_BEAT_SCHEDULE["nightly-rollup-check"]
    assert check["task"] == "kpis.results.tasks.verify_rollups"
    assert (check["schedule"].hour, check["schedule"].minute) == ({3}, {30})  # after the nightly recompute


def test_a_lost_task_goes_back_to_the_queue_well_within_the_hour_and_never_while_it_runs():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_time_limit < visibility <= 30 * 60
