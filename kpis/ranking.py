"""Pure ranking and bottom elimination (末位淘汰).

Reps are ranked by attainment (actual ÷ target), highest first; ties go to the larger total
deposits, then to the lower employee number so the order is stable. A rep who joined after the
period's mid-point, left before it, or had no target (attainment "—") is left out and says why.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import ceil


@dataclass(frozen=True)
class Candidate:
    rep: int
    employee_number: str
    attainment: Decimal | None
    total_deposits: Decimal
    joined: date
    left: date | None = None


@dataclass(frozen=True)
class Placing:
    rep: int
    rank: int
    attainment: Decimal
    total_deposits: Decimal


@dataclass(frozen=True)
class Ranking:
    placings: list[Placing]
    excluded: dict[int, str]  # rep -> "joined_late" | "left_early" | "no_target"


def midpoint(first: date, last: date) -> date:
    """Return the middle day of first..last (the earlier of two middle days)."""
    return first + (last - first) / 2


def rank(candidates: Iterable[Candidate], first: date, last: date) -> Ranking:
    """Return the ranking of the period first..last and who was left out."""
    middle = midpoint(first, last)
    excluded: dict[int, str] = {}
    ranked: list[Candidate] = []
    for c in candidates:
        if c.joined > middle:
            excluded[c.rep] = "joined_late"
        elif c.left is not None and c.left < middle:
            excluded[c.rep] = "left_early"
        elif c.attainment is None:
            excluded[c.rep] = "no_target"
        else:
            ranked.append(c)
    ranked.sort(key=lambda c: (-c.attainment, -c.total_deposits, c.employee_number))
    return Ranking([Placing(c.rep, i, c.attainment, c.total_deposits) for i, c in enumerate(ranked, start=1)],
                   excluded)


def bottom(placings: Sequence[Placing], *, count: int | None = None, percent: Decimal | None = None) -> list[int]:
    """Return the reps in the bottom `count`, or the bottom `percent` % (at least one when any is ranked)."""
    if count is None and percent is None:
        raise ValueError("give a bottom count or a bottom percentage")
    size = count if count is not None else ceil(len(placings) * percent / 100) if placings and percent else 0
    size = max(0, min(size, len(placings)))
    return [p.rep for p in placings[len(placings) - size:]] if size else []


def consecutive_flags(flagged_by_period: Sequence[set[int]]) -> dict[int, int]:
    """Return, per rep flagged in the latest period, how many periods in a row (ending there) flagged them."""
    if not flagged_by_period:
        return {}
    streaks: dict[int, int] = {}
    for rep in flagged_by_period[-1]:
        n = 0
        for period in reversed(flagged_by_period):
            if rep not in period:
                break
            n += 1
        streaks[rep] = n
    return streaks
