"""Sweeps (kpis/results/sweep.py) without a worker: a failed month keeps its rows, records its error and is tried
again after a back-off that doubles, later months wait for it; a month leased by another run is left to it until
the lease runs out or its worker starts again; the nightly check records what it finds; the status page and the
admin show all of it."""

import logging
import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from kpis.results import checks, sweep
from kpis.results import services as rollups
from kpis.results.calculations import retry_delay
from kpis.results.models import RepMonthResult, RollupMonth
from teams.models import Role
from tests import factories
from tests.kpis.results.test_rollups import enter, figures, rep_row
from tests.snapshots import replayed

AUGUST, SEPTEMBER = date(2017, 8, 1), date(2017, 9, 1)
AUGUST_ON = [*(date(2017, m, 1) for m in range(8, 13)), date(2018, 1, 1)]


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 60), (2, 120), (3, 240), (6, 1920), (7, 3600), (200, 3600)])
def test_the_wait_before_the_next_attempt_doubles_with_each_failure_up_to_the_maximum(attempts, seconds):
    assert retry_delay(attempts, 60, 3600) == timedelta(seconds=seconds)


@pytest.fixture
def computed(org, plan) -> None:
    """Every plan month computed (the approval's own run is queued on a commit a `db` test never makes)."""
    replayed("computed", rollups.recompute_pending)


@pytest.fixture
def broken_september(monkeypatch) -> list[bool]:
    """Make September's recompute raise while the list is not empty (clear it to repair the bad row)."""
    broken = [True]
    for name in ("recompute_month", "recompute_teams"):
        real = getattr(rollups, name)

        def failing(month, *teams, real=real, **options):
            if broken and month == SEPTEMBER:
                raise ValueError("a bad row in September")
            real(month, *teams, **options)

        monkeypatch.setattr(rollups, name, failing)
    return broken


def test_a_failed_month_keeps_its_rows_records_the_error_and_the_later_months_wait(org, computed, broken_september,
                                                                                   caplog):
    enter(org, org.rep_a, date(2017, 9, 4), figures(5000))  # September to January stale
    last_runs = list(RollupMonth.objects.filter(month__gt=SEPTEMBER).values_list("run_started_at", flat=True))
    with caplog.at_level(logging.ERROR, logger="kpis.results.sweep"):
        assert rollups.recompute_pending() == []
    september = RollupMonth.objects.get(month=SEPTEMBER)
    assert september.pending and rep_row(org.rep_a, SEPTEMBER).total_deposits == 0  # the previous rows stay
    assert (september.attempts, september.last_error) == (1, "ValueError: a bad row in September")
    assert september.retry_at - september.run_finished_at == timedelta(seconds=60)
    assert september.claimed_until is None
    [line] = caplog.records
    assert line.getMessage().startswith("Recomputing the rollups of 2017-09 failed (attempt 1, by ")
    later = RollupMonth.objects.filter(month__gt=SEPTEMBER)
    assert all(s.pending for s in later)
    assert [s.run_started_at for s in later] == last_runs  # not run: they read September

    assert rollups.recompute_pending() == []  # not yet due
    assert RollupMonth.objects.get(month=SEPTEMBER).attempts == 1
    RollupMonth.objects.filter(month=SEPTEMBER).update(retry_at=timezone.now())
    assert rollups.recompute_pending() == []
    september = RollupMonth.objects.get(month=SEPTEMBER)
    assert september.attempts == 2 and september.retry_at - september.run_finished_at == timedelta(seconds=120)

    broken_september.clear()
    RollupMonth.objects.filter(month=SEPTEMBER).update(retry_at=timezone.now())
    assert rollups.recompute_pending() == AUGUST_ON[1:]
    september = RollupMonth.objects.get(month=SEPTEMBER)
    assert (september.attempts, september.last_error, september.retry_at) == (0, "", None)
    assert rep_row(org.rep_a, SEPTEMBER).total_deposits == 5000 and not september.pending


def test_a_month_leased_by_another_run_waits_for_its_lease_to_run_out_or_its_worker_to_start_again(org, computed):
    enter(org, org.rep_a, date(2017, 8, 7), figures(4000))
    RollupMonth.objects.filter(month=AUGUST).update(claimed_by="celery@other", run_started_at=timezone.now(),
                                                    claimed_until=timezone.now() + timedelta(seconds=15))
    assert rollups.recompute_pending() == []  # August is held, and the months after it read it
    assert sweep.sweep(reclaim_from="celery@elsewhere") == []
    assert sweep.sweep(reclaim_from="celery@other") == AUGUST_ON  # that worker started again: its lease died
    assert rep_row(org.rep_a, AUGUST).total_deposits == 4000

    enter(org, org.rep_a, date(2017, 8, 14), figures(500))
    RollupMonth.objects.filter(month=AUGUST).update(claimed_by="celery@other",
                                                    claimed_until=timezone.now() - timedelta(seconds=1))
    assert rollups.recompute_pending() == AUGUST_ON  # the lease ran out
    assert rep_row(org.rep_a, AUGUST).total_deposits == 4500
    state = RollupMonth.objects.get(month=AUGUST)
    assert state.claimed_by == sweep.own_name() and state.claimed_until is None and not state.pending


def test_the_nightly_check_records_and_logs_a_difference(org, computed, caplog):
    assert checks.rollups_verify().differences == 0
    row = RepMonthResult.objects.filter(month=AUGUST).first()
    RepMonthResult.objects.filter(pk=row.pk).update(total_deposits=1)
    with caplog.at_level(logging.ERROR, logger="kpis.results.checks"):
        check = checks.rollups_verify()
    assert check.differences == 1 and "2017-08 rep" in check.report and "total_deposits is 1.00" in check.report
    assert [r.getMessage().splitlines()[0] for r in caplog.records if r.levelno >= logging.ERROR] == [
        "check_rollups found 1 differences between the stored rollups and the weekly figures:"]


def status_page(client, user, language: str = "en") -> str:
    client.force_login(user)
    response = client.get(reverse("kpis:rollups"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_page_says_when_every_month_is_current(client, org, computed):
    page = status_page(client, org.director.user, "zh-hans")
    assert "所有汇总均为最新：没有等待重新计算的月份。" in page
    assert page.count('<span class="tag approved">最新</span>') == 12 and "尚未运行每晚核对。" in page


def test_the_status_page_lists_running_failed_and_stale_months_and_the_last_check(client, org, computed):
    checks.rollups_verify()
    enter(org, org.rep_a, date(2017, 8, 7), figures(4000))  # August to January stale
    RollupMonth.objects.filter(month=AUGUST).update(claimed_by="celery@worker-1", run_started_at=timezone.now(),
                                                    claimed_until=timezone.now() + timedelta(seconds=15))
    RollupMonth.objects.filter(month=SEPTEMBER).update(attempts=3, last_error="ValueError: a bad row",
                                                       run_finished_at=timezone.now(),
                                                       retry_at=timezone.now() + timedelta(minutes=4))
    page = status_page(client, org.director.user)
    claimed, failed, stale = (page[page.index(f'<ul id="{key}">'):] for key in ("claimed", "failed", "stale"))
    assert "August 2017: taken by celery@worker-1" in claimed[:claimed.index("</ul>")]
    failed = failed[:failed.index("</ul>")]
    assert "September 2017: failed at" in failed and "(3 attempts); next attempt at" in failed
    assert "ValueError: a bad row" in failed
    stale = stale[:stale.index("</ul>")]
    assert [m in stale for m in ("October 2017", "November 2017", "December 2017", "January 2018")] == [True] * 4
    assert "August 2017" not in stale and "All rollups are current" not in page
    assert "the stored rollups match a recount of the weekly figures" in page  # the check ran before the save


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_the_admins_see_the_status_page_too(client, db, who):
    user = factories.employee(role=Role.ADMIN if who == "admin" else Role.HR).user
    if who == "staff":  # HR with the admin's staff flag
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    assert "All rollups are current" in status_page(client, user)


@pytest.mark.django_db(transaction=True)
def test_the_admin_action_queues_a_recompute_that_skips_the_back_off(admin_client, org, plan, broken_september):
    enter(org, org.rep_a, date(2017, 9, 4), figures(5000))  # commits; its sweep runs eagerly and fails
    september = RollupMonth.objects.get(month=SEPTEMBER)
    assert september.attempts == 1 and september.retry_at > timezone.now()
    broken_september.clear()
    url = reverse("admin:kpis_rollupmonth_changelist")
    assert "ValueError: a bad row in September" in admin_client.get(url, {"state": "failed"}).content.decode()
    response = admin_client.post(url, {"action": "queue_recompute", "_selected_action": [september.pk]})
    assert response.status_code == 302
    september.refresh_from_db()
    assert not september.pending and september.attempts == 0  # its sweep did not wait for the back-off
    assert rep_row(org.rep_a, SEPTEMBER).total_deposits == 5000


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_compute_each_stale_month_once_in_month_order(org, plan, monkeypatch):
    monkeypatch.setattr(rollups, "_send_recompute", lambda: None)  # the test runs the sweeps
    with transaction.atomic():
        rollups.every_month_stale()
    calls, real = [], rollups.recompute_month

    def slow_counting(month: date, **options) -> None:
        calls.append(month)
        time.sleep(0.05)  # long enough for the other sweep to try to claim in the meantime
        real(month, **options)

    monkeypatch.setattr(rollups, "recompute_month", slow_counting)
    start, done, errors = threading.Barrier(2), [], []

    def sweep_in_a_thread() -> None:
        try:
            start.wait(10)
            done.append(rollups.recompute_pending())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_in_a_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    months = sorted(RollupMonth.objects.values_list("month", flat=True))
    assert errors == [] and calls == months  # each month once, in order, whichever sweep took it
    assert sorted(done[0] + done[1]) == months and not any(s.pending for s in RollupMonth.objects.all())
