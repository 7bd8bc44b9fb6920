"""Mainland China's statutory days off and make-up working days (调休), from the `chinesecalendar` package.

The package (PyPI, maintained) follows each year's State Council notice (国务院办公厅关于…部分节假日安排的通知)
from 2004 on; it is pinned in requirements.txt, and `manage.py calendar_sync` loads a newer release's days into
the working-calendar table without touching the company's own days. Its holiday lists hold the weekdays off and
only some of the weekend days inside a holiday, which changes no working day.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from typing import Literal, NamedTuple

import chinese_calendar
from chinese_calendar import constants

from targets.calculations import WorkingCalendar

DayKind = Literal["holiday", "makeup"]
SOURCE_NAME = "chinesecalendar"


class CalendarDayRow(NamedTuple):
    """One calendar entry, shaped for a database table: (day, kind, name_zh)."""

    day: date
    kind: DayKind
    name_zh: str


def _name_zh(english: str) -> str:
    """Return the holiday's Chinese name (the package keys its days by the English one)."""
    return chinese_calendar.Holiday(english).chinese


def calendar_rows() -> list[CalendarDayRow]:
    """Return every statutory holiday and make-up day the package knows as (day, kind, name_zh) rows, by date."""
    rows = [CalendarDayRow(day, "holiday", _name_zh(name)) for day, name in constants.holidays.items()]
    rows += [CalendarDayRow(day, "makeup", _name_zh(name)) for day, name in constants.workdays.items()]
    return sorted(rows)


def known_years() -> list[int]:
    """Return the years whose official arrangement the package holds (every year it names a holiday in)."""
    return sorted({day.year for day in constants.holidays})


def source_label() -> str:
    """Return the package and release the statutory days come from, e.g. "chinesecalendar 1.11.0"."""
    return f"{SOURCE_NAME} {version(SOURCE_NAME)}"


STATUTORY_CALENDAR = WorkingCalendar(
    holidays=frozenset(row.day for row in calendar_rows() if row.kind == "holiday"),
    makeup_workdays=frozenset(row.day for row in calendar_rows() if row.kind == "makeup"),
)
