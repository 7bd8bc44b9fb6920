"""Reads of the rules page: the rules, the latest runs and the records the rules flagged for review."""

from django.db.models import QuerySet

from ..models import Record, Rule, RuleRun

RUNS_SHOWN = 12


def rules() -> QuerySet[Rule]:
    return Rule.objects.select_related("changed_by__employee").order_by("-active", "period", "code")


def latest_runs() -> list[RuleRun]:
    return list(RuleRun.objects.select_related("requested_by__employee").order_by("-month")[:RUNS_SHOWN])


def flagged_count() -> int:
    """Return how many approved or published records a re-close left for a person to review."""
    return Record.objects.filter(needs_review=True, state__in=("approved", "published")).count()
