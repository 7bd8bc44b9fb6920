"""Reads for the director's month close page: each plan month's figures by state, missing ones, open or closed.

The page is for roles that see all of sales (access.sees_all_sales), so these counts cover every team.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from targets.calculations import week_weights, weeks_of_month
from targets.models import PlanMonth, PlanYear, RepWeekTarget
from targets.selectors import working_calendar
from teams.models import StateEvent
from teams.selectors import events_for_many

from .models import FiguresState, MonthClose, WeeklyFigures


@dataclass(frozen=True)
class MonthFigures:
    """One plan month on the close page."""

    plan_month: PlanMonth
    weeks: list[date]
    states: Counter = field(default_factory=Counter)  # figures state -> rep-weeks in it
    missing: int = 0           # rep-weeks due (a target, working days, begun by `as_of`) without figures
    close: MonthClose | None = None
    begun: bool = False        # its first week has started by `as_of`: only then is closing it offered
    last_move: StateEvent | None = None  # the last close or reopen: who, when, why

    @property
    def closed(self) -> bool:
        return self.close is not None and self.close.closed

    @property
    def reopened(self) -> bool:
        return self.close is not None and not self.close.closed

    @property
    def draft(self) -> int:
        return self.states[FiguresState.DRAFT]

    @property
    def submitted(self) -> int:
        return self.states[FiguresState.SUBMITTED]

    @property
    def locked(self) -> int:
        return self.states[FiguresState.LOCKED]


def month_figures(plan: PlanYear, as_of: date) -> list[MonthFigures]:
    """Return the plan's months with their figures counted by state and last move (six queries, whatever the size)."""
    months = list(plan.months.select_related("phase").order_by("month"))
    if not months:
        return []
    weeks = {m.pk: weeks_of_month(m.month.year, m.month.month) for m in months}
    month_of_week = {week: m.pk for m in months for week in weeks[m.pk]}
    first, last = min(month_of_week), max(month_of_week)
    figures = {(e, w): s for e, w, s in WeeklyFigures.objects.filter(week__range=(first, last)).order_by().values_list(
        "employee_id", "week", "state")}
    # A week without working days (the National Day week) expects no figures, as in the rollups.
    calendar = working_calendar()
    idle = {w for m in months for w, days in week_weights(m.month.year, m.month.month, calendar).items() if not days}
    # A rep who moved mid-week has a target in both teams but one figures row: count rep-weeks, not targets.
    expected = {(e, w) for e, w in RepWeekTarget.objects.filter(plan_month__plan=plan, week__lte=as_of).order_by()
                .values_list("employee_id", "week").distinct() if w not in idle}
    closes = {c.month: c for c in MonthClose.objects.filter(month__range=(months[0].month, months[-1].month))}
    last_move = {e.subject_id: e for e in events_for_many(MonthClose, [c.pk for c in closes.values()])}  # oldest first
    states: dict[int, Counter] = {m.pk: Counter() for m in months}
    missing: Counter = Counter()
    for (_, week), state in figures.items():
        states[month_of_week[week]][state] += 1
    for employee_week in expected - figures.keys():
        missing[month_of_week.get(employee_week[1])] += 1
    return [MonthFigures(m, weeks[m.pk], states[m.pk], missing[m.pk], closes.get(m.month), weeks[m.pk][0] <= as_of,
                         last_move.get(getattr(closes.get(m.month), "pk", None)))
            for m in months]
