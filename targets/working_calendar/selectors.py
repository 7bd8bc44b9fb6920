"""Reads of the working calendar: the years it knows and the plan months beyond them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..calculations import month_span
from ..models import CalendarDay, CalendarYear


def months_beyond_calendar(months: Iterable[date]) -> list[date]:
    """Return the plan months whose weeks reach into a year without statutory holidays loaded (one query)."""
    known = set(CalendarYear.objects.values_list("year", flat=True))
    return [m for m in months if {day.year for day in month_span(m.year, m.month)} - known]


@dataclass(frozen=True)
class CalendarYearSummary:
    """A year of the working calendar: whether its statutory days are loaded, and its days by kind and source."""

    year: int
    loaded: CalendarYear | None
    holidays: int
    makeup_days: int
    company_days: list[CalendarDay]


def calendar_overview() -> list[CalendarYearSummary]:
    """Return every year the calendar knows or holds days in, newest first (two queries)."""
    loaded = {y.year: y for y in CalendarYear.objects.all()}
    days = list(CalendarDay.objects.order_by("day"))
    years = sorted(set(loaded) | {d.day.year for d in days}, reverse=True)
    return [CalendarYearSummary(
        year, loaded.get(year),
        sum(1 for d in days if d.day.year == year and d.kind == CalendarDay.Kind.HOLIDAY),
        sum(1 for d in days if d.day.year == year and d.kind == CalendarDay.Kind.MAKEUP),
        [d for d in days if d.day.year == year and d.source == CalendarDay.Source.COMPANY],
    ) for year in years]
