"""Celery tasks of the appraisals app: thin wrappers taking plain values and calling one service."""

from celery import shared_task

from teams import clock

from .services.reminders import reminders_send


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_appraisal_reminders() -> int:
    """Send one reminder to whoever holds an appraisal past its step's deadline; return how many were sent (a
    second run the same day sends none: each reminder is claimed by its row first)."""
    return reminders_send(today=clock.today())
