"""Writes to the working calendar: the statutory days reloaded beside the company's own, all or nothing."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.errors import DomainError

from .. import calendar_cn
from ..models import CalendarDay, CalendarYear


@dataclass(frozen=True)
class CalendarSync:
    """What a reload of the statutory calendar did."""

    added: int
    changed: int
    removed: int
    company_kept: int


def _calendar_days(rows: Sequence[tuple[date, str, str]]) -> dict[date, tuple[str, str]]:
    """Return the rows by day, or refuse a kind we do not know or a day that is both off and worked."""
    days: dict[date, tuple[str, str]] = {}
    for day, kind, name in rows:
        if kind not in CalendarDay.Kind.values:
            raise DomainError(_("%(day)s: the kind must be holiday or makeup, not “%(kind)s”."), field="kind",
                              day=day, kind=kind)
        if days.get(day, (kind,))[0] != kind:
            raise DomainError(_("%(day)s is both a holiday and a make-up working day; keep one of them."),
                              field="day", day=day)
        days[day] = (kind, name[:50])
    return days


@transaction.atomic
def calendar_sync(*, rows: Sequence[tuple[date, str, str]], years: Sequence[int], source: str) -> CalendarSync:
    """Return what changed when the statutory (day, kind, name) rows of `years` replace the statutory days held.

    The company's own days (added or overridden in the admin) stay as they are; statutory days the source no
    longer has go. Nothing is written when a row is refused.
    """
    wanted = _calendar_days(rows)
    held = {row.day: row for row in CalendarDay.objects.all()}
    company = {day for day, row in held.items() if row.source == CalendarDay.Source.COMPANY}
    added = [CalendarDay(day=day, kind=kind, name=name, source=CalendarDay.Source.STATUTORY)
             for day, (kind, name) in wanted.items() if day not in held]
    changed = []
    for day, (kind, name) in wanted.items():
        row = held.get(day)
        if row is not None and day not in company and (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            changed.append(row)
    gone = [row.pk for day, row in held.items() if day not in company and day not in wanted]
    CalendarDay.objects.filter(pk__in=gone).delete()
    CalendarDay.objects.bulk_create(added)
    CalendarDay.objects.bulk_update(changed, ["kind", "name"])
    now = timezone.now()
    CalendarYear.objects.exclude(year__in=years).delete()
    CalendarYear.objects.filter(year__in=years).exclude(source=source).update(source=source, loaded_at=now)
    known = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source=source, loaded_at=now)
                                      for y in sorted(set(years) - known)])
    return CalendarSync(len(added), len(changed), len(gone), len(company & set(wanted)))


def calendar_sync_statutory() -> CalendarSync:
    """Return what changed when the working calendar takes every year the pinned `chinesecalendar` knows."""
    return calendar_sync(rows=calendar_cn.calendar_rows(), years=calendar_cn.known_years(),
                         source=calendar_cn.source_label())
