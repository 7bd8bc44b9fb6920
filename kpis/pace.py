"""Pure pace arithmetic: where a period stands at an as-of date and where it will end at today's pace.

How it is computed (the dashboard says the same in words):
- target to date = the weekly targets of weeks before the as-of week, plus the as-of week's target
  times the share of its working days already elapsed (as-of day included);
- actual to date = deposits reported for weeks that have started; a week without figures is
  *missing*, not zero: the run rate is actual ÷ the working days of reported weeks only;
- needed per remaining week = (target − actual to date) ÷ the weeks after the as-of week that
  still have working days (0 when the target is already met, None when no such week is left);
- projected end = actual to date + run rate × the working days still to come (the rest of the
  as-of week and every later week in the period).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from targets.calculations import WorkingCalendar


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
    this_week = as_of - timedelta(days=as_of.weekday())
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
