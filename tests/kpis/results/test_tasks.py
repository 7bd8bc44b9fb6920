"""The rollup tasks on a real Celery worker on Redis (tests/kpis/worker.py), against committed data.

A save queues one recompute after its transaction commits and the worker lands it; many saves in one
transaction queue one run; a failing recompute keeps the previous rows, records its error and is retried by the
sweep with a growing back-off; a Redis outage loses no figures, logs one line, leaves the months pending (the
pages say so) and the sweep converges to the rows a direct recompute gives.
"""

import logging
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from kpis.models import WeeklyFigures
from kpis.results import services as rollups
from kpis.results.models import RepMonthResult, RollupMonth
from kpis.results.tasks import recompute_pending_rollups
from targets.calculations import weeks_of_month
from tests.kpis.results.test_rollups import enter, figures, snapshot
from tests.kpis.results.worker import (
    CLOSED_PORT,
    configured,
    queued_messages,
    queued_on_redis,
    running_worker,
    task_runs,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

JULY, AUGUST = date(2017, 7, 1), date(2017, 8, 1)
PENDING_RUN = "kpis.results.tasks.recompute_pending_rollups"


@pytest.fixture
def redis_broker(settings) -> Iterator[str]:
    with queued_on_redis(settings) as url:
        yield url


@pytest.fixture
def world(org, plan):
    """The organisation and the approved plan, committed; the run after approval computed every plan month."""
    assert RollupMonth.objects.count() == 12 and not any(s.pending for s in RollupMonth.objects.all())
    return org


def total_of(employee, month: date):
    row = RepMonthResult.objects.filter(employee=employee, month=month).first()
    return row.total_deposits if row else None


def pending(*months: date) -> bool:
    return any(s.pending for s in RollupMonth.objects.filter(month__in=months))


@pytest.fixture
def counted_recomputes(monkeypatch) -> list[date]:
    """Return the months recomputed (whole, or only the teams that changed), in the worker thread too."""
    calls: list[date] = []
    real_month, real_teams = rollups.recompute_month, rollups.recompute_teams

    def counting_month(month: date, **options) -> None:
        calls.append(month)
        real_month(month, **options)

    def counting_teams(month: date, teams: set[int], **options) -> None:
        calls.append(month)
        real_teams(month, teams, **options)

    monkeypatch.setattr(rollups, "recompute_month", counting_month)
    monkeypatch.setattr(rollups, "recompute_teams", counting_teams)
    return calls


def test_a_save_queues_a_recompute_that_the_worker_lands(world, redis_broker):
    org = world
    with task_runs() as runs, running_worker():
        enter(org, org.rep_a, date(2017, 8, 7), figures(12_345, opened=2, engaged=5))  # commits on its own
        wait_for(lambda: total_of(org.rep_a, AUGUST) == 12_345, what="the August row")
        wait_for(lambda: runs, what="the task to finish")
    assert not pending(AUGUST)
    row = RepMonthResult.objects.get(employee=org.rep_a, month=AUGUST)
    assert (row.accounts_opened, row.weeks_reported, row.weeks_missing) == (2, 1, 4)
    assert runs == [(PENDING_RUN, "SUCCESS")]


def test_many_saves_in_one_transaction_queue_one_run(world, redis_broker, counted_recomputes):
    org = world
    with transaction.atomic():
        for week in weeks_of_month(2017, 8):
            enter(org, org.rep_a, week, figures(1000))
        enter(org, org.rep_b, date(2017, 7, 24), figures(500))
    assert queued_messages() == 1  # one message for six saves in two months
    assert pending(JULY) and pending(AUGUST) and total_of(org.rep_a, AUGUST) == 0  # nothing ran inline

    with task_runs() as runs, running_worker():
        wait_for(lambda: not pending(JULY, AUGUST), what="July and August")
        wait_for(lambda: runs, what="the task to finish")
    assert runs == [(PENDING_RUN, "SUCCESS")] and queued_messages() == 0
    # each month once: July and August, and the later months whose growth and customer base read them
    assert sorted(counted_recomputes) == [*(date(2017, m, 1) for m in range(7, 13)), date(2018, 1, 1)]
    assert (total_of(org.rep_a, AUGUST), total_of(org.rep_b, JULY)) == (5000, 500)


def test_a_failing_recompute_keeps_the_figures_and_is_retried_with_a_growing_back_off(world, redis_broker,
                                                                                     monkeypatch, client):
    org, broken = world, [True]
    real_month, real_teams = rollups.recompute_month, rollups.recompute_teams

    def failing(real):
        def recompute(month: date, *teams, **options) -> None:
            if broken:
                raise OperationalError("server closed the connection unexpectedly")
            real(month, *teams, **options)
        return recompute

    monkeypatch.setattr(rollups, "recompute_month", failing(real_month))
    monkeypatch.setattr(rollups, "recompute_teams", failing(real_teams))  # a save in a computed month goes here

    def sweep_once(runs: list) -> None:
        done = len(runs)
        recompute_pending_rollups.delay()  # what beat sends every 30 s
        wait_for(lambda: len(runs) > done, what="the sweep")

    with task_runs() as runs, running_worker():
        enter(org, org.rep_a, date(2017, 8, 7), figures(4000))  # commits, queues a sweep, which fails
        wait_for(lambda: RollupMonth.objects.get(month=AUGUST).attempts == 1, what="the failed run")
        wait_for(lambda: runs, what="the sweep to finish")
        august = RollupMonth.objects.get(month=AUGUST)
        assert august.pending and total_of(org.rep_a, AUGUST) == 0  # the previous rows stay, and say they are old
        assert august.last_error == "OperationalError: server closed the connection unexpectedly"
        assert august.retry_at - august.run_finished_at == timedelta(seconds=60)
        assert RollupMonth.objects.get(month=date(2017, 9, 1)).pending  # later months wait for August
        client.force_login(org.director.user)
        status = client.get(reverse("kpis:rollups"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "OperationalError: server closed the connection unexpectedly" in status

        sweep_once(runs)  # before the next attempt is due: nothing is tried
        assert RollupMonth.objects.get(month=AUGUST).attempts == 1
        RollupMonth.objects.filter(month=AUGUST).update(retry_at=timezone.now())  # a minute later
        sweep_once(runs)
        august = RollupMonth.objects.get(month=AUGUST)
        assert august.attempts == 2 and august.retry_at - august.run_finished_at == timedelta(seconds=120)

        broken.clear()  # the connection is back
        RollupMonth.objects.filter(month=AUGUST).update(retry_at=timezone.now())
        sweep_once(runs)
    august = RollupMonth.objects.get(month=AUGUST)
    assert total_of(org.rep_a, AUGUST) == 4000 and not pending(*(s.month for s in RollupMonth.objects.all()))
    assert (august.attempts, august.last_error, august.retry_at) == (0, "", None)
    assert {state for _name, state in runs} == {"SUCCESS"}  # failures are the sweep's to record, not Celery's


def test_a_broker_outage_keeps_the_figures_says_so_in_one_line_and_the_sweep_catches_up(world, redis_broker,
                                                                                        caplog):
    org = world
    with configured(broker_url=CLOSED_PORT), caplog.at_level(logging.WARNING):
        enter(org, org.rep_a, date(2017, 8, 7), figures(7000))  # no exception: the figures are committed
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].exc_info is None, [r.getMessage() for r in lines]  # no traceback
    assert lines[0].getMessage().startswith("Rollups marked stale, but their recompute could not be queued")

    assert WeeklyFigures.objects.get(employee=org.rep_a, week=date(2017, 8, 7)).new_customer_deposits == 7000
    assert pending(AUGUST)  # the pages say since when they are recalculating, not that the old number is current
    assert total_of(org.rep_a, AUGUST) == 0

    with task_runs() as runs, running_worker():  # Redis is back
        recompute_pending_rollups.delay()  # what beat sends every 30 s
        wait_for(lambda: runs, what="the sweep")
    assert runs == [(PENDING_RUN, "SUCCESS")]
    assert total_of(org.rep_a, AUGUST) == 7000 and not pending(AUGUST)
    landed = snapshot()
    rollups.recompute_all()
    assert snapshot() == landed
