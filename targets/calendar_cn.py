"""Mainland China's official days off and make-up working days (调休), 2017 to January 2018.

Source: the State Council General Office notice on the 2017 holiday arrangement
(国务院办公厅关于2017年部分节假日安排的通知) and, for New Year 2018, the 2018 notice.
Ranges list every day off, weekends included, so each row names the holiday it belongs to.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, NamedTuple

from targets.calculations import WorkingCalendar

DayKind = Literal["holiday", "makeup"]


class CalendarDayRow(NamedTuple):
    """One calendar entry, shaped for a database table: (day, kind, name_zh)."""

    day: date
    kind: DayKind
    name_zh: str


# (name, first day off, last day off), in date order.
_HOLIDAY_RANGES: tuple[tuple[str, date, date], ...] = (
    ("元旦", date(2017, 1, 1), date(2017, 1, 2)),  # New Year 2017
    ("春节", date(2017, 1, 27), date(2017, 2, 2)),  # Spring Festival
    ("清明节", date(2017, 4, 2), date(2017, 4, 4)),  # Qingming
    ("劳动节", date(2017, 4, 29), date(2017, 5, 1)),  # Labour Day
    ("端午节", date(2017, 5, 28), date(2017, 5, 30)),  # Dragon Boat Festival
    ("国庆节、中秋节", date(2017, 10, 1), date(2017, 10, 8)),  # National Day
    ("元旦", date(2017, 12, 30), date(2018, 1, 1)),  # New Year 2018
)

# (name, weekend day worked instead), in date order.
_MAKEUP_DAYS: tuple[tuple[str, date], ...] = (
    ("春节", date(2017, 1, 22)),  # Spring Festival, Sunday worked
    ("春节", date(2017, 2, 4)),  # Spring Festival, Saturday worked
    ("清明节", date(2017, 4, 1)),  # Qingming, Saturday worked
    ("端午节", date(2017, 5, 27)),  # Dragon Boat Festival, Saturday worked
    ("国庆节、中秋节", date(2017, 9, 30)),  # National Day, Saturday worked
)


def _days(first: date, last: date) -> list[date]:
    """Return every day from `first` to `last` inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def calendar_rows() -> list[CalendarDayRow]:
    """Return every holiday and make-up day as (day, kind, name_zh) rows, by date."""
    rows = [
        CalendarDayRow(day, "holiday", name)
        for name, first, last in _HOLIDAY_RANGES
        for day in _days(first, last)
    ]
    rows += [CalendarDayRow(day, "makeup", name) for name, day in _MAKEUP_DAYS]
    return sorted(rows)


HOLIDAYS_2017_2018: frozenset[date] = frozenset(
    row.day for row in calendar_rows() if row.kind == "holiday"
)
MAKEUP_WORKDAYS_2017_2018: frozenset[date] = frozenset(
    row.day for row in calendar_rows() if row.kind == "makeup"
)

# Covers January 2017 to January 2018; later days count as plain Monday–Friday, so
# the 2018 plan year needs its own official arrangement added first.
CN_2017_CALENDAR = WorkingCalendar(
    holidays=HOLIDAYS_2017_2018, makeup_workdays=MAKEUP_WORKDAYS_2017_2018
)
