"""Pure target arithmetic: working calendar, plan weeks and exact whole-yuan splits.

Nothing here touches the ORM, a request or the clock: dates and money come in as
arguments, money is whole yuan (``int``) and every split adds up exactly to its parent.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from math import floor
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
RepKey = TypeVar("RepKey", bound=Hashable)
TeamKey = TypeVar("TeamKey", bound=Hashable)
Weight = int | Decimal | Fraction


class AllocationError(ValueError):
    """A split cannot be made; the message says what to fix."""


# --- working calendar -------------------------------------------------------------


@dataclass(frozen=True)
class WorkingCalendar:
    """Official days off and make-up working days (调休) on top of Monday–Friday."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # A day both off and worked is a data-entry mistake; refuse it rather than guess.
        clash = self.holidays & self.makeup_workdays
        if clash:
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise ValueError(
                f"these days are both a holiday and a make-up working day: {days}"
            )

    def is_working_day(self, day: date) -> bool:
        """Return True if people work on `day`."""
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_dates(self, start: date, end: date) -> list[date]:
        """Return the working days from `start` to `end` inclusive, in order."""
        days = (start + timedelta(days=i) for i in range((end - start).days + 1))
        return [day for day in days if self.is_working_day(day)]

    def working_days(self, start: date, end: date) -> int:
        """Return the number of working days from `start` to `end` inclusive."""
        return len(self.working_dates(start, end))


# --- plan weeks and months --------------------------------------------------------


def week_monday(day: date) -> date:
    """Return the Monday of the Monday–Sunday week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_month(monday: date) -> tuple[int, int]:
    """Return (year, month) of the plan month that owns the week starting `monday`.

    A week belongs to the month holding its Thursday, so every week has exactly one
    month (ISO 8601 uses the same rule for years). Any day of the week is accepted.
    """
    thursday = week_monday(monday) + timedelta(days=3)
    return thursday.year, thursday.month


def month_of_week(day: date) -> date:
    """Return the first day of the plan month the week holding `day` counts in (the month of its Thursday)."""
    year, month = week_month(day)
    return date(year, month, 1)


def weeks_of_month(year: int, month: int) -> list[date]:
    """Return the Mondays of the weeks owned by `month`, in order (four or five)."""
    # The week holding the 4th has its Thursday between the 1st and the 7th: week one.
    monday = week_monday(date(year, month, 4))
    mondays = []
    while week_month(monday) == (year, month):
        mondays.append(monday)
        monday += timedelta(weeks=1)
    return mondays


def month_span(year: int, month: int) -> tuple[date, date]:
    """Return (first Monday, last Sunday) of the whole weeks making up the plan month."""
    mondays = weeks_of_month(year, month)
    return mondays[0], mondays[-1] + timedelta(days=6)


def week_weights(year: int, month: int, calendar: WorkingCalendar) -> dict[date, int]:
    """Return each week of the month (by Monday) mapped to its working days."""
    return {
        monday: calendar.working_days(monday, monday + timedelta(days=6))
        for monday in weeks_of_month(year, month)
    }


def month_working_days(year: int, month: int, calendar: WorkingCalendar) -> int:
    """Return the plan month's working days; AllocationError if there are none."""
    days = calendar.working_days(*month_span(year, month))
    if days == 0:
        raise AllocationError(
            f"{year}-{month:02d} has no working day in the calendar; check its holidays"
        )
    return days


# --- exact splitting --------------------------------------------------------------


def _exact(key: Hashable, weight: Weight) -> Fraction:
    """Return `weight` as an exact Fraction, refusing floats and non-finite Decimals."""
    # A float would make the split depend on binary rounding; insist on exact numbers.
    exact_type = isinstance(weight, int | Fraction) or (
        isinstance(weight, Decimal) and weight.is_finite()
    )
    if not exact_type:
        raise AllocationError(
            f"weight for {key} must be a whole number, Decimal or Fraction, not {weight!r}"
        )
    if weight < 0:
        raise AllocationError(f"weight for {key} is negative ({weight}); use 0 or more")
    return Fraction(weight)


def allocate(total: int, weights: Mapping[K, Weight]) -> dict[K, int]:
    """Return `total` split over `weights` in proportion, adding up exactly to `total`.

    Largest-remainder (Hamilton) rounding: each key first gets the whole part of its
    exact share, then the yuan left over go one each to the largest remainders. Equal
    remainders go to the key that comes first in `weights`, so the result is
    deterministic. A zero weight gets 0. Keys keep their order.
    """
    if not isinstance(total, int):
        raise TypeError(f"total must be whole yuan (int), not {type(total).__name__}")
    if total < 0:
        raise AllocationError(f"the total to split is negative ({total})")
    if not weights:
        raise AllocationError(f"there are no weights to split {total} over")
    exact = {key: _exact(key, weight) for key, weight in weights.items()}
    weight_sum = sum(exact.values(), Fraction(0))
    if weight_sum == 0:
        if total == 0:
            return {key: 0 for key in exact}
        raise AllocationError(f"all weights are zero, so {total} cannot be split")

    shares = {key: total * weight / weight_sum for key, weight in exact.items()}
    parts = {key: floor(share) for key, share in shares.items()}
    leftover = total - sum(parts.values())
    # sorted() is stable, so equal remainders stay in mapping order: first key wins.
    by_remainder = sorted(shares, key=lambda k: shares[k] - parts[k], reverse=True)
    for key in by_remainder[:leftover]:
        parts[key] += 1
    return parts


def split_month_to_weeks(
    month_target: int, year: int, month: int, calendar: WorkingCalendar
) -> dict[date, int]:
    """Return the month's target spread over its weeks (by Monday) by working days."""
    month_working_days(year, month, calendar)  # a month with no working day is an error
    return allocate(month_target, week_weights(year, month, calendar))


# --- people: dated team membership ------------------------------------------------


@dataclass(frozen=True)
class MembershipSpan(Generic[RepKey, TeamKey]):
    """A rep's membership of a team from `start` to `end` inclusive (None: open)."""

    rep: RepKey
    team: TeamKey
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"membership of rep {self.rep} in team {self.team} ends "
                f"({self.end}) before it starts ({self.start})"
            )

    def working_days_in(self, start: date, end: date, calendar: WorkingCalendar) -> int:
        """Return this membership's working days from `start` to `end` inclusive."""
        last = end if self.end is None else min(self.end, end)
        return calendar.working_days(max(self.start, start), last)


def _check_disjoint(spans: Iterable[MembershipSpan[RepKey, TeamKey]]) -> None:
    """Raise AllocationError if a rep is in two memberships on the same day."""
    # Overlaps would count a rep twice and inflate their team's share.
    by_rep: dict[RepKey, list[MembershipSpan[RepKey, TeamKey]]] = {}
    for span in spans:
        by_rep.setdefault(span.rep, []).append(span)
    for rep, rep_spans in by_rep.items():
        rep_spans.sort(key=lambda span: span.start)
        for earlier, later in pairwise(rep_spans):
            if earlier.end is None or later.start <= earlier.end:
                raise AllocationError(
                    f"rep {rep} is in teams {earlier.team} and {later.team} at once "
                    f"from {later.start}; end one membership before the next starts"
                )


def _presence(
    spans: tuple[MembershipSpan[RepKey, TeamKey], ...],
    key: Callable[[MembershipSpan[RepKey, TeamKey]], K],
    year: int,
    month: int,
    calendar: WorkingCalendar,
) -> dict[K, Fraction]:
    """Return, per `key(span)`, its working days in the plan month ÷ the month's."""
    _check_disjoint(spans)
    first, last = month_span(year, month)
    month_days = month_working_days(year, month, calendar)
    presence: dict[K, Fraction] = {}
    for span in spans:
        days = span.working_days_in(first, last, calendar)
        if days:
            so_far = presence.get(key(span), Fraction(0))
            presence[key(span)] = so_far + Fraction(days, month_days)
    return presence


def team_weights_for_month(
    spans: Iterable[MembershipSpan[RepKey, TeamKey]],
    year: int,
    month: int,
    calendar: WorkingCalendar,
) -> dict[TeamKey, Fraction]:
    """Return each staffed team's headcount in the plan month, pro rata by working days.

    A rep counts, for each team they were in, their working days in that team within
    the month's span divided by the month's working days: a full-month member counts 1,
    a rep who joins or moves mid-month counts the fraction they were there. Teams with
    nobody present are left out.
    """
    return _presence(tuple(spans), lambda span: span.team, year, month, calendar)


def rep_weights_for_team_month(
    spans: Iterable[MembershipSpan[RepKey, TeamKey]],
    team: TeamKey,
    year: int,
    month: int,
    calendar: WorkingCalendar,
    overrides: Mapping[RepKey, Weight] | None = None,
) -> dict[RepKey, Fraction]:
    """Return each rep present in `team` that month mapped to their share weight.

    The base weight of a rep is 1; an override (a manager's ramp, e.g. 0.5 on
    probation) replaces that 1. Either way it is then multiplied by the rep's presence
    (working days in the team within the month ÷ the month's working days), so a ramp
    of 0.5 for a rep there half the month weighs 0.25. Overrides for reps not in the
    team that month are ignored.
    """
    team_spans = tuple(span for span in spans if span.team == team)
    presence = _presence(team_spans, lambda span: span.rep, year, month, calendar)
    ramps = overrides or {}
    return {
        rep: share * (_exact(f"rep {rep}", ramps[rep]) if rep in ramps else 1)
        for rep, share in presence.items()
    }


def _allocate_unless_weightless(
    total: int, weights: Mapping[K, Weight], why_not: str
) -> dict[K, int]:
    """Return `allocate(total, weights)`, or all zeros when nothing weighs and total is 0."""
    if any(weights.values()):
        return allocate(total, weights)
    if total:
        raise AllocationError(why_not)
    return {key: 0 for key in weights}


def split_company_month_to_teams(
    company_month_target: int,
    spans: Iterable[MembershipSpan[RepKey, TeamKey]],
    year: int,
    month: int,
    calendar: WorkingCalendar,
) -> dict[TeamKey, int]:
    """Return the company's month target split over teams by pro-rata headcount."""
    weights = team_weights_for_month(spans, year, month, calendar)
    why_not = f"no team has a member in {year}-{month:02d}; add memberships first"
    return _allocate_unless_weightless(company_month_target, weights, why_not)


def split_team_month_to_reps(
    team_month_target: int,
    spans: Iterable[MembershipSpan[RepKey, TeamKey]],
    team: TeamKey,
    year: int,
    month: int,
    calendar: WorkingCalendar,
    overrides: Mapping[RepKey, Weight] | None = None,
) -> dict[RepKey, int]:
    """Return the team's month target split over its reps by presence × ramp."""
    weights = rep_weights_for_team_month(spans, team, year, month, calendar, overrides)
    why_not = (
        f"team {team} has no rep with a weight above zero in {year}-{month:02d}; "
        "raise a ramp above zero or add a member"
    )
    return _allocate_unless_weightless(team_month_target, weights, why_not)


def split_rep_month_to_weeks(
    rep_month_target: int,
    rep_spans: Iterable[MembershipSpan[RepKey, TeamKey]],
    year: int,
    month: int,
    calendar: WorkingCalendar,
) -> dict[date, int]:
    """Return a rep's month target in one team spread over the weeks they were in it.

    `rep_spans` are that rep's memberships of that team. Each week weighs the rep's
    working days in the team that week, so a rep who moved mid-month only gets weeks
    while they were there.
    """
    own_spans = tuple(rep_spans)
    if len({(span.rep, span.team) for span in own_spans}) > 1:
        raise ValueError("rep_spans must all be one rep's memberships of one team")
    _check_disjoint(own_spans)
    weights = {
        monday: sum(
            span.working_days_in(monday, monday + timedelta(days=6), calendar)
            for span in own_spans
        )
        for monday in weeks_of_month(year, month)
    }
    who = f"rep {own_spans[0].rep}" if own_spans else "the rep"
    why_not = (
        f"{who} has no working day in the team in {year}-{month:02d}; "
        "set the target to 0 or fix the membership dates"
    )
    return _allocate_unless_weightless(rep_month_target, weights, why_not)


# --- next year's plan from this year's seasons -------------------------------------


def seasonal_weights(history: Sequence[Weight | None], last_targets: Sequence[int]) -> list[Fraction]:
    """Return each month's weight for next year's spread: last year's deposits that month.

    A month without history (None: not over yet, or nothing reported) weighs last year's target for it times
    the attainment of the months that have history, so last year's plan stands in for its season; with no
    history at all the targets are the weights.
    """
    if len(history) != len(last_targets):
        raise ValueError("history and last year's targets must cover the same months")
    known = [(_exact(f"month {i + 1}", h), t) for i, (h, t) in enumerate(zip(history, last_targets, strict=True))
             if h is not None]
    known_targets = sum(t for _h, t in known)
    scale = sum((h for h, _t in known), Fraction(0)) / known_targets if known and known_targets else Fraction(1)
    return [_exact(f"month {i + 1}", h) if h is not None else scale * t
            for i, (h, t) in enumerate(zip(history, last_targets, strict=True))]


def total_from_growth(basis: Weight, growth_percent: Decimal) -> int:
    """Return `basis` grown by `growth_percent` (−100 or more), in whole yuan, halves rounded up."""
    if not growth_percent.is_finite() or growth_percent < -100:
        raise AllocationError(f"a growth of {growth_percent} % is below −100 %")
    grown = Fraction(basis) * (1 + Fraction(growth_percent) / 100)
    return floor(grown + Fraction(1, 2))


def seasonal_targets(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Return `total` spread over the months by `weights` (seasonal_weights), adding up exactly to `total`.

    Months that weigh nothing get 0; when no month weighs anything the months share equally.
    """
    if not any(weights):
        weights = [Fraction(1)] * len(weights)
    return list(allocate(total, dict(enumerate(weights))).values())
