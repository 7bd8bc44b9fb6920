"""What a rule finds in a closed period's results: pure functions, tested without a database (docs/rewards.md).

A rule compares each subject's value for the period (a rep's or a team's) with its threshold: the top N (ties
at the N-th place all qualify), at least or at most a threshold, on the bottom-elimination list (the kpis
placing decides), or a referred hire who has stayed N months. Leavers are never proposed for: someone who left
in or before the period is not rewarded or warned for it.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

TOP, AT_LEAST, AT_MOST, BOTTOM, REFERRAL = "top", "gte", "lte", "bottom", "referral"


@dataclass(frozen=True)
class Result:
    """One subject's period as a rule sees it: the metric's value (attainment as a ratio, 1.2 = 120 %)."""

    subject_id: int
    value: Decimal | None
    left: bool = False          # left the company in or before the period
    flagged: bool = False       # on the period's bottom-elimination list
    consecutive: int = 0        # periods in a row on that list, this one included


@dataclass(frozen=True)
class Qualifier:
    subject_id: int
    value: Decimal | None
    rank: int | None = None
    consecutive: int = 0


@dataclass(frozen=True)
class Hire:
    """A referred hire: who referred them, when they joined, whether they (or the referrer) have left."""

    employee_id: int
    referred_by_id: int
    hire_date: date
    left_on: date | None = None
    referrer_left_on: date | None = None


def value_text(value: Decimal | None, unit: str) -> str:
    """Return a rule's value as its reason and the record's page say it, in the site's way: a ratio unit
    "percent" as "120.0%", an amount ("cny") in 万, a count as it is; none as a dash."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    if unit == "cny":
        return f"{(value / 10_000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}万"
    return f"{value.normalize():f}"


def threshold_as_value(threshold: Decimal, *, percent: bool) -> Decimal:
    """Return the threshold in the unit values are stored in: a percent threshold (120) as a ratio (1.2)."""
    return threshold / 100 if percent else threshold


def competition_ranks(results: Iterable[Result]) -> dict[int, int]:
    """Return each ranked subject's place, highest value first, ties sharing a place (1, 1, 3): subjects without
    a value or who left are not ranked."""
    ranked = sorted((r for r in results if r.value is not None and not r.left), key=lambda r: r.value, reverse=True)
    places: dict[int, int] = {}
    for index, result in enumerate(ranked):
        if index and result.value == ranked[index - 1].value:
            places[result.subject_id] = places[ranked[index - 1].subject_id]
        else:
            places[result.subject_id] = index + 1
    return places


def qualifying(comparison: str, threshold: Decimal | None, results: Sequence[Result]) -> list[Qualifier]:
    """Return who the rule proposes for, in order of place (top) or value (thresholds) or list (bottom).

    `threshold` is already in the stored unit (see threshold_as_value); for top it is N. The top needs a value
    above zero: a month where nobody deposited anything has no winner.
    """
    present = [r for r in results if not r.left]
    if comparison == TOP:
        places = competition_ranks(r for r in present if r.value is not None and r.value > 0)
        chosen = [r for r in present if places.get(r.subject_id, 0) and places[r.subject_id] <= int(threshold or 0)]
        return [Qualifier(r.subject_id, r.value, places[r.subject_id])
                for r in sorted(chosen, key=lambda r: (places[r.subject_id], r.subject_id))]
    if comparison in (AT_LEAST, AT_MOST):
        places = competition_ranks(present)
        chosen = [r for r in present if r.value is not None and threshold is not None
                  and (r.value >= threshold if comparison == AT_LEAST else r.value <= threshold)]
        chosen.sort(key=lambda r: (-r.value if comparison == AT_LEAST else r.value, r.subject_id))
        return [Qualifier(r.subject_id, r.value, places.get(r.subject_id)) for r in chosen]
    if comparison == BOTTOM:
        return [Qualifier(r.subject_id, r.value, None, r.consecutive)
                for r in sorted(present, key=lambda r: r.subject_id) if r.flagged]
    raise ValueError(f"no comparison {comparison!r} for results")


def month_end(month: date) -> date:
    """Return the last day of the month holding `month`."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(start: date, day: date) -> int:
    """Return the whole months from `start` to `day` (15 January to 14 April: 2; to 15 April: 3)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - 1 if day.day < start.day else months


def referrals_due(hires: Iterable[Hire], *, months: int, as_of: date) -> list[Hire]:
    """Return the hires whose referrer has earned the referral reward by `as_of` (the closed month's last day):
    in the company at least `months` whole months and still employed, the referrer too."""
    return sorted((h for h in hires
                   if (h.left_on is None or h.left_on > as_of) and (h.referrer_left_on is None
                                                                    or h.referrer_left_on > as_of)
                   and h.hire_date <= as_of and months_between(h.hire_date, as_of) >= months),
                  key=lambda h: (h.hire_date, h.employee_id))


PLACEHOLDERS = ("name", "period", "value", "rank")


def reason_text(template: str, *, name: str, period: str, value: str, rank: str) -> str:
    """Return the rule's text template filled in ({name} {period} {value} {rank})."""
    return template.format(name=name, period=period, value=value, rank=rank).strip()
