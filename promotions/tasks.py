"""Celery tasks of the promotions app: thin wrappers taking plain values and calling one service."""

from celery import shared_task

from teams import clock

from .services.acts import cases_apply_due
from .services.rounds import rounds_build


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_due_cases() -> int:
    """Apply each approved case whose effective date has come; return how many (a second run applies none)."""
    return cases_apply_due(today=clock.today())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_candidate_rounds() -> int:
    """Build every year-end round due today and not built yet, and mail HR; return how many (a second run: none)."""
    return rounds_build(today=clock.today())
