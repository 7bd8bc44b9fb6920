"""Sweeps: how stale months get recomputed, whoever asked and whatever crashed in between.

A sweep takes stale months one at a time, in month order, and stops when none is left that it may take. It takes
a month by a lease on its RollupMonth row (who, until when), chosen with `select_for_update(skip_locked=True)` so
two sweeps never wait for each other or take the same month, and holds that row locked while the month runs: a
sweep that dies (kill -9, a lost connection) loses its lock with its connection, and its lease runs out after
ROLLUP_LEASE_SECONDS (a worker starting again voids its own name's leases at once). A later month reads the
earlier ones (streaks, phases), so a month waits while an earlier one is stale: running, claimed, or failed and
waiting for its next attempt. A failed run rolls back (the previous rows stay), keeps the month stale, records
the error and the attempt count, and is tried again after a back-off that doubles with each failure.

The save that made a month stale queues a sweep after commit; beat sends one every 30 s and a worker one when
it starts (tasks.py), so a recompute lost to a crash, a broker outage or a deploy is picked up within a minute.
"""

import logging
import os
import socket
import time
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .calculations import retry_delay
from .models import RollupMonth

logger = logging.getLogger(__name__)


def stale_months() -> QuerySet[RollupMonth]:
    """Return the months whose last request has not been computed."""
    return RollupMonth.objects.filter(requested_at__isnull=False).filter(
        Q(computed_at__isnull=True) | Q(requested_at__gt=F("computed_at")))


def own_name() -> str:
    """Return who this process is, for a lease taken outside a worker (load_demo, eager runs, the shell)."""
    return f"{socket.gethostname()} pid {os.getpid()}"


def sweep(*, worker: str = "", reclaim_from: str = "") -> list[date]:
    """Recompute the stale months this sweep may take, in month order; return the months it finished.

    `reclaim_from` names a worker that has just started: leases in its name died with its previous life.
    """
    name, done = worker or own_name(), []
    pause = settings.ROLLUP_SWEEP_PAUSE_SECONDS  # a test-only pause between months (a crash lands mid-sweep)
    while (claimed := _claim(name, reclaim_from)) is not None:
        if not _run(claimed, name):
            break  # later months read this one: they wait for its next attempt
        done.append(claimed.month)
        if pause:
            time.sleep(pause)
    return done


def _claim(name: str, reclaim_from: str) -> RollupMonth | None:
    """Lease the earliest stale month nobody holds and not waiting for a retry; None if there is none, or if an
    earlier stale month is held or waiting (later months read it)."""
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    if reclaim_from:
        free |= Q(claimed_by=reclaim_from)
    due = Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    with transaction.atomic():
        state = stale_months().filter(free, due).select_for_update(skip_locked=True).order_by("month").first()
        if state is None or stale_months().filter(month__lt=state.month).exists():
            return None
        state.claimed_by, state.claimed_until = name, now + timedelta(seconds=settings.ROLLUP_LEASE_SECONDS)
        state.run_started_at = now
        state.save(update_fields=["claimed_by", "claimed_until", "run_started_at"])
    return state


def _run(claimed: RollupMonth, name: str) -> bool:
    """Recompute the claimed month; return whether it succeeded (a failure is recorded, not raised)."""
    from . import services  # services imports this module; its recompute functions are looked up at run time

    started = timezone.now()
    try:
        with transaction.atomic():
            # Locked until the run commits: a live run's month is skipped by every other claim, and a save that
            # stamps it waits, so the request read here is exactly the one this run computes.
            state = RollupMonth.objects.select_for_update().get(pk=claimed.pk)
            if state.pending:
                place_phase = not services.phase_placed_later(state.month)
                if state.stale_teams:
                    services.recompute_teams(state.month, set(state.stale_teams), place_phase=place_phase)
                else:
                    services.recompute_month(state.month, place_phase=place_phase)
            # A request stamped by a clock ahead of this one is still computed by this run.
            computed = max(started, state.requested_at) if state.pending else state.computed_at
            RollupMonth.objects.filter(pk=state.pk).update(
                computed_at=computed, stale_since=None, stale_teams=None, claimed_until=None,
                run_finished_at=timezone.now(), attempts=0, last_error="", retry_at=None)
    except Exception as error:  # any failure: the month stays stale and the sweep retries it later
        _record_failure(claimed, name, error)
        return False
    return True


def _record_failure(claimed: RollupMonth, name: str, error: Exception) -> None:
    now = timezone.now()
    attempts = RollupMonth.objects.get(pk=claimed.pk).attempts + 1
    retry_at = now + retry_delay(attempts, settings.ROLLUP_RETRY_BASE_SECONDS, settings.ROLLUP_RETRY_MAX_SECONDS)
    RollupMonth.objects.filter(pk=claimed.pk).update(
        attempts=attempts, last_error=f"{type(error).__name__}: {error}"[:2000], retry_at=retry_at,
        claimed_until=None, run_finished_at=now)
    logger.error("Recomputing the rollups of %s failed (attempt %d, by %s): %s: %s. The previous figures stay; "
                 "the next attempt is at %s.", f"{claimed.month:%Y-%m}", attempts, name, type(error).__name__, error,
                 timezone.localtime(retry_at).isoformat(timespec="seconds"), exc_info=error)

