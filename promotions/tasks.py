"""Celery tasks of the promotions app: thin wrappers taking plain values and calling one service."""

from celery import shared_task

from teams import clock

from .services.acts import cases_apply_due


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_due_cases() -> int:
    """Apply each approved case whose effective date has come; return how many (a second run applies none)."""
    return cases_apply_due(today=clock.today())
