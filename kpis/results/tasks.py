"""Celery tasks: thin wrappers that take plain values and call the rollup services.

Each is acknowledged late and given back to the queue when its worker is lost; the sweep is safe to run twice
(a month is leased by one run at a time, and a run replaces the month's rows).
"""

from datetime import date

from celery import shared_task
from celery.signals import worker_ready
from django.db import DatabaseError

from . import checks, sweep
from . import services as rollups

RETRIED = {"acks_late": True, "reject_on_worker_lost": True, "autoretry_for": (DatabaseError,),
           "retry_backoff": True, "retry_backoff_max": 300, "max_retries": 5}


@shared_task(bind=True, **RETRIED)
def recompute_pending_rollups(self, reclaim_from: str = "") -> list[str]:
    """Sweep: recompute the stale months, in order, that no other run holds; return the months done.

    `reclaim_from` names a worker that has just started: leases in its name died with its previous process.
    """
    done = sweep.sweep(worker=self.request.hostname or "", reclaim_from=reclaim_from)
    return [m.isoformat() for m in done]


@shared_task(**RETRIED)
def recompute_all_rollups(months: list[str] | None = None) -> list[str]:
    """Recompute the given months (ISO dates) or every month: the nightly catch-all."""
    chosen = [date.fromisoformat(m) for m in months] if months else None
    return [m.isoformat() for m in rollups.recompute_all(chosen)]


@shared_task(acks_late=True, reject_on_worker_lost=True)
def verify_rollups() -> int:
    """Compare every stored rollup column with check_rollups' recount, log and record it; return the differences."""
    return checks.rollups_verify().differences


@worker_ready.connect
def sweep_when_a_worker_starts(sender, **_kwargs) -> None:
    """Queue a sweep on a queue this worker reads, voiding the leases its previous process held (a crash or a
    deploy): whatever that process left half done is picked up now, not when its leases run out."""
    queues = [queue.name for queue in sender.task_consumer.queues] if sender.task_consumer else []
    recompute_pending_rollups.apply_async(kwargs={"reclaim_from": sender.hostname}, queue=queues[0] if queues else None)
