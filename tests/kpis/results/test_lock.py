"""Concurrent recomputes of one month take turns on the advisory lock (ROLLUP_LOCK) instead of colliding on the
result tables' unique keys. Real threads, real connections: `transactional_db`."""

import threading
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from kpis import services
from kpis.models import Channel
from kpis.results import services as rollups
from kpis.results.models import CompanyMonthResult, RepMonthResult

MARCH, WEEK = date(2017, 3, 1), date(2017, 3, 13)


def enter(org) -> None:
    """rep_a: 50,000 + 7,000 in the week of 13 March; rep_b: 30,000 + 0."""
    rows = [services.RepWeekInput(rep.pk, {"new_customers": 1, "engaged_customers": 2, "accounts_opened": 1,
                                           "new_customer_deposits": new, "existing_customer_deposits": existing,
                                           "trading_volume": 0})
            for rep, new, existing in [(org.rep_a, 50_000, 7_000), (org.rep_b, 30_000, 0)]]
    services.weekly_figures_save(week=WEEK, rows=rows, by=org.director.user, channel=Channel.GRID)


def in_thread(work, errors: list) -> threading.Thread:
    def run():
        try:
            work()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def assert_march_is_right(org) -> None:
    reps = {r.employee_id: r.total_deposits for r in RepMonthResult.objects.filter(month=MARCH)
            if r.employee_id in (org.rep_a.pk, org.rep_b.pk)}
    assert reps == {org.rep_a.pk: Decimal(57_000), org.rep_b.pk: Decimal(30_000)}
    assert RepMonthResult.objects.filter(month=MARCH, employee=org.rep_a).count() == 1
    assert CompanyMonthResult.objects.get(month=MARCH).total_deposits == Decimal(87_000)


def waiting_for_the_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                       "AND classid = 0 AND objid = %s", [rollups.ROLLUP_LOCK])
        return cursor.fetchone()[0]


def test_a_recompute_waits_while_another_connection_holds_the_rollup_lock(transactional_db, org, plan):
    enter(org)
    held, release, done, errors = threading.Event(), threading.Event(), threading.Event(), []

    def hold():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [rollups.ROLLUP_LOCK])
            held.set()
            release.wait(30)

    def recompute():
        held.wait(30)
        rollups.recompute_month(MARCH)
        done.set()

    holder, worker = in_thread(hold, errors), in_thread(recompute, errors)
    try:
        assert held.wait(10)
        assert not done.wait(1.0), "the recompute ran while another connection held the lock"
        assert waiting_for_the_lock() == 1  # it is queued on the advisory lock, not busy elsewhere
    finally:
        release.set()
    assert done.wait(30), errors
    holder.join(10), worker.join(10)
    assert errors == []
    assert_march_is_right(org)


def test_two_recomputes_of_the_same_month_at_once_both_finish_with_the_right_rows(transactional_db, org, plan):
    enter(org)
    start, errors = threading.Barrier(2), []

    def recompute():
        start.wait(10)
        rollups.recompute_month(MARCH)

    threads = [in_thread(recompute, errors) for _ in range(2)]
    for thread in threads:
        thread.join(60)
    assert errors == []  # no IntegrityError on one_rep_result_per_month
    assert_march_is_right(org)
