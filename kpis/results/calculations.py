"""Pure result arithmetic: pace (where a period stands and where it will end) and ranking with bottom elimination.

Pace (the dashboard says the same in words):
- target to date = the weekly targets of weeks before the as-of week, plus the as-of week's target
  times the share of its working days already elapsed (as-of day included);
- actual to date = deposits reported for weeks that have started; a week without figures is
  *missing*, not zero: the run rate is actual ÷ the working days of reported weeks only;
- needed per remaining week = (target − actual to date) ÷ the weeks after the as-of week that
  still have working days (0 when the target is already met, None when no such week is left);
- projected end = actual to date + run rate × the working days still to come (the rest of the
  as-of week and every later week in the period).

Ranking (末位淘汰): Reps are ranked by attainment (actual ÷ target), highest first; ties go to the larger total
deposits, then to the lower employee number so the order is stable. A rep who joined after the
period's mid-point, left before it, or had no target (attainment "—") is left out and says why.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from math import ceil

from targets.calculations import WorkingCalendar, week_monday, weeks_of_month


@dataclass(frozen=True)
class Pace:
    target: int
    target_to_date: Decimal
    actual_to_date: Decimal
    gap: Decimal                      # actual − target to date: negative is behind
    needed_per_week: Decimal | None   # None: no working week left
    projected_end: Decimal | None     # None: nothing reported yet, so no run rate
    reported_weeks: int
    missing_weeks: int


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pace(*, weekly_targets: Mapping[date, int], actuals: Mapping[date, Decimal], as_of: date,
         calendar: WorkingCalendar) -> Pace:
    """Return the period's pace at `as_of`; weeks are keyed by Monday, `actuals` holds reported weeks only."""
    this_week = week_monday(as_of)
    target_to_date = Decimal(0)
    remaining_days = 0
    weeks_left = 0
    reported_days = 0
    reported = missing = 0
    for monday, target in sorted(weekly_targets.items()):
        sunday = monday + timedelta(days=6)
        days = calendar.working_days(monday, sunday)
        if monday < this_week:
            target_to_date += target
        elif monday == this_week:
            elapsed = calendar.working_days(monday, as_of)
            target_to_date += Decimal(target) * elapsed / days if days else Decimal(target)
            remaining_days += days - elapsed
        else:
            remaining_days += days
            weeks_left += 1 if days else 0
        if monday <= this_week and days:
            if monday in actuals:
                reported += 1
                reported_days += days
            else:
                missing += 1
    actual = sum((actuals[m] for m in weekly_targets if m <= this_week and m in actuals), Decimal(0))
    total = sum(weekly_targets.values())
    shortfall = max(Decimal(total) - actual, Decimal(0))
    needed = _yuan(shortfall / weeks_left) if weeks_left else (Decimal(0) if not shortfall else None)
    projected = _yuan(actual + actual / reported_days * remaining_days) if reported_days else None
    return Pace(total, _yuan(target_to_date), _yuan(actual), _yuan(actual - target_to_date), needed, projected,
                reported, missing)

def month_started(month: date, as_of: date) -> bool:
    """Return True once the month's first week has begun by `as_of`: only then is it ranked and flagged."""
    return weeks_of_month(month.year, month.month)[0] <= as_of


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


def retry_delay(attempts: int, base_seconds: int, max_seconds: int) -> timedelta:
    """Return how long a month whose recompute failed `attempts` times in a row waits before the next attempt:
    the base, doubled with each further failure, never more than the maximum."""
    return timedelta(seconds=min(base_seconds * 2 ** min(max(attempts - 1, 0), 30), max_seconds))
