"""Celery tasks of the organisation: thin wrappers taking plain values and calling one service."""

from celery import shared_task

from . import clock
from .services import leavers_access_end


@shared_task(acks_late=True, reject_on_worker_lost=True)
def end_leavers_access() -> int:
    """Close the log-ins of everyone who has left by today; return how many (a second run: none)."""
    return len(leavers_access_end(on=clock.today()))
