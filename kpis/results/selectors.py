"""Reads about the results: which months are stale, held by a run or failed, and the last check; how fresh a page's
months are; and the rep, team and company month results a principal may see (teams.access.scope_rows)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from teams import access
from teams.access import Principal

from .models import CompanyMonthResult, EliminationRule, RepMonthResult, RollupCheck, RollupMonth, TeamMonthResult

CURRENT, RECALCULATING = "current", "recalculating"


@dataclass
class MonthState:
    """A month's rollups as the status page reads them."""

    state: RollupMonth
    claimed: bool  # a run holds its lease now
    failed: bool   # stale, and its last run failed

    @property
    def stale(self) -> bool:
        return self.state.pending


@dataclass
class RollupStatus:
    months: list[MonthState]
    last_check: RollupCheck | None

    @property
    def stale(self) -> list[MonthState]:
        return [m for m in self.months if m.stale and not m.claimed and not m.failed]

    @property
    def claimed(self) -> list[MonthState]:
        return [m for m in self.months if m.claimed]

    @property
    def failed(self) -> list[MonthState]:
        return [m for m in self.months if m.failed and not m.claimed]

    @property
    def all_current(self) -> bool:
        return not any(m.stale or m.claimed for m in self.months)


def rollup_status(now: datetime) -> RollupStatus:
    """Return every month's rollup state at `now`, latest month first, and the last nightly check (two queries)."""
    months = [MonthState(state=s, claimed=s.claimed_until is not None and s.claimed_until > now, failed=s.failed)
              for s in RollupMonth.objects.order_by("-month")]
    return RollupStatus(months=months, last_check=RollupCheck.objects.order_by("-checked_at").first())


def elimination_rule() -> EliminationRule:
    """Return the bottom-elimination rule in force (its defaults, unsaved, until the director first sets it)."""
    return EliminationRule.objects.select_related("changed_by__employee").first() or EliminationRule()


# --- how fresh the figures are: what the pages' freshness line and the API's rows say --------------------------

@dataclass
class Freshness:
    """How old the figures of a page's months are: when they were computed, since when a recompute is waiting
    (None: they are current), and, when a recompute failed, when it did and when it is tried again."""

    computed_at: datetime | None
    stale_since: datetime | None = None
    failed_at: datetime | None = None
    retry_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.stale_since is not None

    @property
    def state(self) -> str:
        """Return "recalculating" while a recompute of the months waits (their figures are not final), else
        "current"."""
        return RECALCULATING if self.pending else CURRENT


def _freshness(states: list[RollupMonth]) -> Freshness:
    computed = [s.computed_at for s in states if s.computed_at]
    stale = [s.stale_since or s.requested_at for s in states if s.pending]
    failed = [s for s in states if s.failed]
    return Freshness(computed_at=max(computed) if computed else None, stale_since=min(stale) if stale else None,
                     failed_at=max((s.run_finished_at for s in failed if s.run_finished_at), default=None),
                     retry_at=min((s.retry_at for s in failed if s.retry_at), default=None))


def freshness(months: Iterable[date]) -> Freshness:
    """Return when the months' rollups were last computed, since when a recompute of any of them waits, and the
    latest failure with its next attempt (one query)."""
    return _freshness(list(RollupMonth.objects.filter(month__in=list(months))))


def freshness_by_month(months: Iterable[date]) -> dict[date, Freshness]:
    """Return each month's own freshness, by the same rule as `freshness` (one query); a month never computed
    has no entry."""
    return {s.month: _freshness([s]) for s in RollupMonth.objects.filter(month__in=list(months))}


# --- the results a principal may see ---------------------------------------------------------------------------

def rep_results(p: Principal) -> QuerySet[RepMonthResult]:
    """Return the reps' month results the principal may see, joined: all of sales; a manager's teams' rows (a rep
    who moved: only the months in their team) and their own; a rep's own."""
    rows = RepMonthResult.objects.select_related("employee", "team")
    return access.scope_rows(p, rows).order_by("month", "team__name", "employee__employee_number")


def rep_months(p: Principal, employee, months: list[date]) -> QuerySet[RepMonthResult]:
    """Return the rep's month results the principal may see (a manager: the months in their team), one query."""
    rows = RepMonthResult.objects.filter(employee=employee, month__in=months).select_related("team")
    return access.scope_rows(p, rows).order_by("month", "team__code")


def team_results(p: Principal) -> QuerySet[TeamMonthResult]:
    """Return the teams' month results the principal may see, joined: all of sales; a manager's teams'."""
    rows = TeamMonthResult.objects.select_related("team")
    return access.scope_rows(p, rows, employee_field=None).order_by("month", "team__name")


def company_results(p: Principal) -> QuerySet[CompanyMonthResult]:
    """Return the company's month results for sales leadership (the cockpit's readers); none for anyone else."""
    rows = CompanyMonthResult.objects.order_by("month")
    return rows if access.sees_all_sales(p) else rows.none()
