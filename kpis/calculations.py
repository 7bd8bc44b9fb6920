"""Pure KPI arithmetic: rates that are None ("—") when their base is zero, and the week's team."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from targets.calculations import MembershipSpan

Number = int | Decimal


def ratio(numerator: Number | None, denominator: Number | None) -> Decimal | None:
    """Return numerator ÷ denominator, or None when either is missing or the base is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def attainment(actual: Number | None, target: Number | None) -> Decimal | None:
    """Return actual ÷ target (KPI 11 ÷ 10); None ("—") without a target."""
    return ratio(actual, target)


def growth(current: Number | None, base: Number | None) -> Decimal | None:
    """Return (current − base) ÷ base, or None when there is no base to grow from."""
    if current is None or base is None or base == 0:
        return None
    return (Decimal(current) - Decimal(base)) / Decimal(base)


def team_for_week(spans: Iterable[MembershipSpan], monday: date) -> object | None:
    """Return the team a rep's figures for the week belong to: the team holding the week's Thursday,
    else (a rep who joined after or left before it) the team of the rep's last day in that week."""
    thursday, sunday = monday + timedelta(days=3), monday + timedelta(days=6)
    overlapping = [s for s in spans if s.start <= sunday and (s.end is None or s.end >= monday)]
    for span in overlapping:
        if span.start <= thursday and (span.end is None or span.end >= thursday):
            return span.team
    if not overlapping:
        return None
    return max(overlapping, key=lambda s: min(s.end or sunday, sunday)).team


def expected_weeks(spans: Iterable[MembershipSpan], weeks: Iterable[date], working_days: dict[date, int]) -> dict:
    """Return, per team, how many of `weeks` (with working days) the rep's figures were due for that team."""
    due: dict = {}
    own = list(spans)
    for monday in weeks:
        if not working_days.get(monday):
            continue  # a week without working days (the National Day week) expects no figures
        team = team_for_week(own, monday)
        if team is not None:
            due[team] = due.get(team, 0) + 1
    return due
