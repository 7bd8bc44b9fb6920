"""What each stored rollup column is computed from, declared once, and the months a change invalidates. Pure.

A change to a month's inputs (its weekly figures, targets, memberships; a rep's opening customer base; the
elimination rule) makes stale the months whose stored columns read that month. A month's recompute rebuilds its
rep, team, company and team-week rows, its month placing and its phase's placing, and recounts the streaks, so
the phase placing is rebuilt by the recompute of whichever of its months changed.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum

from ..metrics import ENTERED


class Reads(Enum):
    """Which months a stored column of month M is computed from."""

    MONTH = "the month's own figures, targets and memberships"
    PREVIOUS_MONTH = "the month before (环比)"
    YEAR_BEFORE = "the same month a year before (同比)"
    # The customer base is the opening base plus every account opened before the month; a streak counts the
    # flags of the periods before. Both reach back past the plan year's start: every earlier month counts.
    EARLIER_MONTHS = "every earlier month"
    PHASE = "every started month of the month's phase"


_OWN = frozenset({Reads.MONTH})

# Rep, team and company month rows.
MONTH_COLUMNS: Mapping[str, frozenset[Reads]] = {
    **{m.code: _OWN for m in ENTERED},
    "total_deposits": _OWN,
    "deposit_target": _OWN,
    "attainment": _OWN,
    "close_rate": _OWN,
    "weeks_reported": _OWN,
    "weeks_missing": _OWN,
    "customer_base": frozenset({Reads.EARLIER_MONTHS}),
    "customer_growth_rate": frozenset({Reads.MONTH, Reads.EARLIER_MONTHS}),
    "performance_growth_rate": frozenset({Reads.MONTH, Reads.PREVIOUS_MONTH}),
    "performance_growth_yoy": frozenset({Reads.MONTH, Reads.YEAR_BEFORE}),
    "rank_in_team": _OWN,
    "rank_in_company": _OWN,
    "rank": _OWN,  # a team's rank
}

# A month's placing (PeriodPlacing, period "month").
MONTH_PLACING_COLUMNS: Mapping[str, frozenset[Reads]] = {
    **{c: _OWN for c in ("rank", "excluded", "attainment", "total_deposits", "flagged", "on_probation")},
    "consecutive": frozenset({Reads.MONTH, Reads.EARLIER_MONTHS}),
}

# A phase's placing (period "phase"), stored under the phase's first month.
PHASE_PLACING_COLUMNS: Mapping[str, frozenset[Reads]] = {
    **{c: frozenset({Reads.PHASE}) for c in ("rank", "excluded", "attainment", "total_deposits", "flagged",
                                             "on_probation")},
    "consecutive": frozenset({Reads.PHASE, Reads.EARLIER_MONTHS}),
}

# What a month's stored rows read: the union over its columns. The phase placing is not among them: it is
# rebuilt by the recompute of any month of the phase, and a changed month is always recomputed itself.
MONTH_READS: frozenset[Reads] = frozenset().union(*MONTH_COLUMNS.values(), *MONTH_PLACING_COLUMNS.values())


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def year_before(month: date) -> date:
    return date(month.year - 1, month.month, 1)


def reads(month: date, other: date, kinds: Iterable[Reads] = MONTH_READS) -> bool:
    """Return True if the stored columns of `month` (first day) are computed from `other`'s inputs."""
    for kind in kinds:
        if kind is Reads.MONTH and other == month:
            return True
        if kind is Reads.PREVIOUS_MONTH and other == previous_month(month):
            return True
        if kind is Reads.YEAR_BEFORE and other == year_before(month):
            return True
        if kind is Reads.EARLIER_MONTHS and other < month:
            return True
    return False


def months_invalidated(changed_months: Iterable[date], all_months: Iterable[date]) -> list[date]:
    """Return, in order, the months whose stored rollups a change to `changed_months` makes stale: the changed
    months themselves and every month of `all_months` (those with results or a plan) that reads one of them."""
    changed = {m.replace(day=1) for m in changed_months}
    if not changed:
        return []
    candidates = changed | {m.replace(day=1) for m in all_months}
    earliest = min(changed)
    # Nothing reads a later month, so only months from the earliest change on can be stale.
    return sorted(m for m in candidates if m >= earliest and any(reads(m, c) for c in changed))
