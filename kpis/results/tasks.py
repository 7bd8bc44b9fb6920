"""Celery tasks: thin wrappers that take plain values and call the rollup services."""

from datetime import date

from celery import shared_task
from django.db import DatabaseError

from . import services as rollups


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=300,
             max_retries=5)
def recompute_pending_rollups() -> list[str]:
    """Recompute every month whose figures, targets or memberships changed; return the months done."""
    return [m.isoformat() for m in rollups.recompute_pending()]


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=300,
             max_retries=5)
def recompute_all_rollups(months: list[str] | None = None) -> list[str]:
    """Recompute the given months (ISO dates) or every month: the nightly catch-all."""
    chosen = [date.fromisoformat(m) for m in months] if months else None
    return [m.isoformat() for m in rollups.recompute_all(chosen)]
