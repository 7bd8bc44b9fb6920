"""Celery tasks of the rules that propose rewards: thin wrappers over rewards.services.runs."""

from datetime import date

from celery import shared_task

from .services import runs


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evaluate_rules(month: str) -> bool:
    """Run the month's rules if they are due and can run now; return whether they ran (else the sweep retries)."""
    return runs.run_due(date.fromisoformat(month)) is not None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_rule_runs() -> list[str]:
    """Run every pending month's rules that can run now (each minute): a lost or unqueued run is picked up."""
    return [m.isoformat() for m in runs.runs_sweep()]
