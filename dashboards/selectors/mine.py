"""Reads for a rep's own page: their weekly figures of a plan year beside their targets, read-only."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from kpis import metrics
from kpis.models import WeeklyFigures
from kpis.results.calculations import Pace, pace
from kpis.selectors import figures_for_user
from targets.calculations import WorkingCalendar, month_of_week, week_monday, weeks_of_month
from targets.models import PlanMonth, RepWeekTarget
from targets.selectors import TargetPeriod
from teams.access import Principal


def _derived(values: dict[str, Decimal], target: int | None) -> dict[str, Decimal | None]:
    """Return total deposits and attainment as the registry defines them (attainment None without a target)."""
    wanted = tuple(metrics.BY_CODE[code] for code in ("total_deposits", "attainment"))
    return metrics.derive(metrics.PeriodFigures(values=values, target=target), wanted)


@dataclass(frozen=True)
class RepWeek:
    """One week of the plan for the rep: the target, the figures entered (if any), whether they were due."""

    monday: date
    target: int | None
    figures: WeeklyFigures | None
    due: bool  # the rep had a target that week and the week is over, so figures are expected

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def values(self) -> dict[str, Decimal]:
        return {m.code: Decimal(getattr(self.figures, m.code)) for m in metrics.ENTERED} if self.figures else {}

    @property
    def cells(self) -> list[tuple[metrics.Metric, object]]:
        """Return (metric, value) for every entered metric, in registry order."""
        return [(m, getattr(self.figures, m.code)) for m in metrics.ENTERED] if self.figures else []

    @property
    def total(self) -> Decimal | None:
        return _derived(self.values, self.target)["total_deposits"] if self.figures else None

    @property
    def attainment(self) -> Decimal | None:
        return _derived(self.values, self.target)["attainment"] if self.figures else None

    @property
    def status(self) -> str:
        """Return the figures' state, "missing" when due and not entered, or "" when not due yet."""
        if self.figures:
            return self.figures.state
        return "missing" if self.due else ""


@dataclass(frozen=True)
class PeriodResult:
    """A period's target beside what the rep's entered figures add up to."""

    label: str
    first: date
    last: date
    target: int
    actual: Decimal
    attainment: Decimal | None

    @property
    def gap(self) -> Decimal:
        return self.actual - self.target


@dataclass(frozen=True)
class RepFigures:
    weeks: list[RepWeek]  # every week of the plan year, in order

    def period(self, label: str, first: date, last: date, target: int) -> PeriodResult:
        """Return the period's result: its weeks' entered figures summed, against `target`."""
        inside = [w for w in self.weeks if first <= w.monday <= last and w.figures]
        values = {m.code: sum((w.values[m.code] for w in inside), Decimal(0)) for m in metrics.ENTERED}
        derived = _derived(values, target)
        return PeriodResult(label, first, last, target, derived["total_deposits"], derived["attainment"])

    def periods(self, targets: list[TargetPeriod], today: date) -> list[PeriodResult]:
        """Return last week (its figures are the freshest there are) and then each of the target periods."""
        last_monday = week_monday(today) - timedelta(weeks=1)
        last = next((w for w in self.weeks if w.monday == last_monday), None)
        results = [self.period("last_week", last.monday, last.sunday, last.target or 0)] if last else []
        return results + [self.period(t.label, t.first, t.last, t.deposit_target) for t in targets]

    def month(self, calendar: list[tuple[date, list[date], int | None]]) -> list[tuple[list[date], RepWeek]]:
        """Return the rows of a month calendar (targets.selectors.rep_calendar) with each week's figures."""
        by_monday = {w.monday: w for w in self.weeks}
        return [(days, by_monday.get(monday, RepWeek(monday, target, None, False)))
                for monday, days, target in calendar]

    @property
    def has_figures(self) -> bool:
        return any(w.figures for w in self.weeks)

    @property
    def reported(self) -> list[RepWeek]:
        """Return the weeks with figures or due figures, newest first."""
        return [w for w in reversed(self.weeks) if w.figures or w.due]


def rep_figures(p: Principal, employee_id: int, plan_months: list[PlanMonth], today: date) -> RepFigures:
    """Return the employee's weeks of the plan with targets and figures the principal may see (two queries,
    whatever the size)."""
    mondays = [monday for m in plan_months for monday in weeks_of_month(m.month.year, m.month.month)]
    if not mondays:
        return RepFigures([])
    in_range = {"employee_id": employee_id, "week__range": (mondays[0], mondays[-1])}
    figures = {f.week: f for f in figures_for_user(p).filter(**in_range)}
    # A rep who moved mid-week has a target row per team for that week: add them up.
    targets = dict(RepWeekTarget.objects.filter(plan_month__in=plan_months, **in_range)
                   .values_list("week").annotate(total=Sum("deposit_target")).order_by())
    return RepFigures([RepWeek(monday, targets.get(monday), figures.get(monday),
                               bool(targets.get(monday)) and monday + timedelta(days=6) < today)
                       for monday in mondays])


def rep_pace(figures: RepFigures, first: date, last: date, as_of: date, calendar: WorkingCalendar) -> Pace:
    """Return the rep's pace over first..last (Mondays) at `as_of`, from their weekly targets and figures."""
    weeks = [w for w in figures.weeks if first <= w.monday <= last]
    return pace(weekly_targets={w.monday: w.target or 0 for w in weeks},
                actuals={w.monday: w.total for w in weeks if w.figures}, as_of=as_of, calendar=calendar)


def month_chart(figures: RepFigures, plan_months: list[PlanMonth], as_of: date) -> dict:
    """Return the rep's month-by-month target and actual in the dashboard chart's shape (no query)."""
    as_of_month = month_of_week(as_of)
    target: dict[date, int] = {}
    actual: dict[date, Decimal] = {}
    for w in figures.weeks:
        month = month_of_week(w.monday)
        target[month] = target.get(month, 0) + (w.target or 0)
        actual[month] = actual.get(month, Decimal(0)) + (w.total or 0)
    months = [m.month for m in plan_months]
    cum_t, cum_a, chart = 0, Decimal(0), {"months": [], "target": [], "actual": [], "cumulativeTarget": [],
                                          "cumulativeActual": []}
    for m in months:
        cum_t += target.get(m, 0)
        cum_a += actual.get(m, Decimal(0))
        chart["months"].append(f"{m:%Y-%m}")
        chart["target"].append(target.get(m, 0))
        chart["actual"].append(float(actual.get(m, 0)) if m <= as_of_month else None)
        chart["cumulativeTarget"].append(cum_t)
        chart["cumulativeActual"].append(float(cum_a) if m <= as_of_month else None)
    chart["asOf"] = f"{as_of_month:%Y-%m}"
    chart["teams"] = {}
    return chart
