"""Reads about the rollups themselves: which months are stale, held by a run or failed, and the last check."""

from dataclasses import dataclass
from datetime import datetime

from .models import RollupCheck, RollupMonth


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
