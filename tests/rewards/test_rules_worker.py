"""The reward rules' tasks on a real Celery worker on Redis (tests/kpis/results/worker.py), against committed data.

The director's close of March queues the rules' run after it commits, and the worker proposes the month's top rep
and team; a second delivery proposes nothing twice. A close while Redis is away still commits, says so in one
line, and the sweep runs the rules once the broker is back. A run that finds March's results recalculating waits,
says why, and the sweep runs it once they are current.
"""

import logging
from collections.abc import Iterator
from datetime import date

import pytest
from django.db import transaction

from kpis import services
from kpis.models import MonthClose
from kpis.results import services as rollups
from rewards.models import Record, RecordState, RuleRun
from rewards.selectors.results import months_not_current
from rewards.services.rules import default_rules_ensure
from rewards.tasks import evaluate_rules, sweep_rule_runs
from tests.kpis.results.worker import CLOSED_PORT, configured, queued_on_redis, running_worker, task_runs, wait_for

from .test_rankings import APRIL, FEBRUARY, MARCH, enter_march
from .test_rules_evaluate import proposals

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EVALUATE = "rewards.tasks.evaluate_rules"
SWEEP = "rewards.tasks.sweep_rule_runs"
ROLLUP_SWEEP = "kpis.results.tasks.recompute_pending_rollups"


@pytest.fixture
def march(org, plan, settings) -> Iterator:
    """March entered (rep A far ahead, team B ahead of team A), its rollups current and the default rules in place,
    all committed while tasks ran inline; from then on tasks go to Redis. March is still open."""
    settings.AS_OF_DATE = date(2017, 10, 27)
    with transaction.atomic():
        enter_march(org)  # one recompute, inline, after the commit
    assert months_not_current([FEBRUARY, MARCH, APRIL]) == []
    default_rules_ensure(by=org.director.user)
    with queued_on_redis(settings):
        yield org


def records() -> list[tuple]:
    fields = ("pk", "rule__code", "employee_id", "team_id", "state", "version")
    return list(Record.objects.order_by("pk").values_list(*fields))


def assert_march_proposed(org) -> RuleRun:
    """Check that the month's top rep and team are proposed, and return March's run, done and counted."""
    [rep], [team] = proposals("month-top-rep"), proposals("month-top-team")
    assert (rep.employee, rep.state, rep.amount) == (org.rep_a, RecordState.PROPOSED, 2000)
    assert (team.team, team.state, team.amount) == (org.team_b, RecordState.PROPOSED, 5000)
    run = RuleRun.objects.get(month=MARCH)
    assert run.evaluated_at is not None and not run.pending
    assert (run.proposed, run.withdrawn, run.flagged, run.waiting_for, run.last_error) == (
        Record.objects.count(), 0, 0, "", "")
    return run


def test_the_close_queues_the_rules_and_the_worker_proposes_once(march):
    org = march
    with task_runs() as runs, running_worker():
        services.month_close(month=MARCH, by=org.director.user)  # commits on its own, then queues the run
        wait_for(lambda: runs, what="the rules' run")
        run = assert_march_proposed(org)
        before = records()

        evaluate_rules.delay(MARCH.isoformat())  # the same message delivered again
        wait_for(lambda: len(runs) == 2, what="the second delivery")
    assert runs == [(EVALUATE, "SUCCESS")] * 2
    assert records() == before
    assert RuleRun.objects.get(month=MARCH).evaluated_at == run.evaluated_at


def test_a_close_while_the_broker_is_away_commits_and_the_sweep_runs_the_rules(march, caplog):
    org = march
    with configured(broker_url=CLOSED_PORT), caplog.at_level(logging.WARNING):
        services.month_close(month=MARCH, by=org.director.user)  # no exception: the close is committed
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].exc_info is None, [r.getMessage() for r in lines]  # no traceback
    assert lines[0].getMessage().startswith("The reward rules of 2017-03 are due, but their run could not be queued")
    assert MonthClose.objects.get(month=MARCH).closed
    run = RuleRun.objects.get(month=MARCH)
    assert run.pending and run.requested_by == org.director.user and not Record.objects.exists()

    with task_runs() as runs, running_worker():  # Redis is back
        sweep_rule_runs.delay()  # what beat sends every minute
        wait_for(lambda: runs, what="the sweep")
    assert runs == [(SWEEP, "SUCCESS")]
    assert_march_proposed(org)
    ran = RuleRun.objects.get(month=MARCH)  # the rules page says when they really ran, not when March closed
    assert ran.evaluated_at == run.requested_at and ran.ran_at > run.requested_at


def test_a_run_waits_while_the_results_are_recalculated_and_the_sweep_runs_it_after(march):
    org = march
    services.month_close(month=MARCH, by=org.director.user)  # the run is queued; no worker is up yet
    with transaction.atomic():  # then a team change touching March, as the teams services announce it
        rollups.months_stale([MARCH])  # its recompute is queued behind the rules' run
    with task_runs() as runs, running_worker():
        wait_for(lambda: len(runs) == 2, what="the run and the recompute")
        assert runs == [(EVALUATE, "SUCCESS"), (ROLLUP_SWEEP, "SUCCESS")]  # the run came first, and waited
        run = RuleRun.objects.get(month=MARCH)
        assert run.pending and "2017-03" in run.waiting_for and not Record.objects.exists()
        assert months_not_current([MARCH]) == []  # the recompute has landed since

        sweep_rule_runs.delay()  # what beat sends every minute
        wait_for(lambda: len(runs) == 3, what="the sweep")
    assert runs[2] == (SWEEP, "SUCCESS")
    assert_march_proposed(org)
