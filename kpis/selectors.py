"""Reads of weekly figures, scoped to the principal through teams.access: the entry grid and its list of weeks,
a cell's history, the month close page's counts, and which team and month a rep's week belongs to."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F, QuerySet, Sum
from django.http import Http404

from targets.calculations import MembershipSpan, month_of_week, week_monday, week_weights, weeks_of_month
from targets.models import PlanMonth, PlanYear, RepWeekTarget
from targets.selectors import current_plan, working_calendar
from teams import access
from teams.access import Principal
from teams.models import Employee, Membership, StateEvent, Team, membership_during
from teams.selectors import events_for_many

from . import metrics
from .calculations import attainment, team_for_week
from .models import FigureChange, FiguresState, MonthClose, WeeklyFigures


def closed_months(months: list[date]) -> list[date]:
    """Return which of the months (first days) the director has closed, so their figures are locked."""
    return list(MonthClose.objects.filter(month__in=months, closed=True).values_list("month", flat=True))


def company_month_deposits(months: list[date]) -> dict[date, Decimal]:
    """Return the company's total deposits (new + existing customers) in each month that has figures (one query)."""
    weeks = [monday for m in months for monday in weeks_of_month(m.year, m.month)]
    rows = (WeeklyFigures.objects.filter(week__in=weeks).values("week").order_by()
            .annotate(total=Sum(F("new_customer_deposits") + F("existing_customer_deposits"))))
    found: dict[date, Decimal] = {}
    for row in rows:
        month = month_of_week(row["week"])
        found[month] = found.get(month, Decimal(0)) + row["total"]
    return found


def week_is_locked(week: date) -> bool:
    """Return whether the director has closed the month the week belongs to."""
    return MonthClose.objects.filter(month=month_of_week(week), closed=True).exists()


def rep_week_teams(weeks: Iterable[date], *, employee_ids: Sequence[int] | None = None,
                   team: Team | None = None) -> dict[tuple[int, date], int]:
    """Return the team each rep's figures of each week belong to, keyed (employee id, Monday), in one query.

    "Which team a rep's week belongs to" in one place: the team of the week's Thursday
    (kpis.calculations.team_for_week). The reps are `employee_ids`, or with `team` everyone who was in
    that team during the weeks (their other teams count too: a rep who moved mid-week belongs to the
    team holding the Thursday). A rep in no team that week has no key.
    """
    weeks = sorted(set(weeks))
    if not weeks:
        return {}
    during = membership_during(weeks[0], weeks[-1] + timedelta(days=6))
    rows = Membership.objects.filter(during)
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=employee_ids)
    if team is not None:
        rows = rows.filter(employee_id__in=Membership.objects.filter(during, team=team).values("employee_id"))
    spans: dict[int, list[MembershipSpan]] = defaultdict(list)
    for m in rows:
        spans[m.employee_id].append(MembershipSpan(m.employee_id, m.team_id, m.starts_on, m.ends_on))
    found = {(e, w): team_for_week(s, w) for e, s in spans.items() for w in weeks}
    return {key: t for key, t in found.items() if t is not None}


def teams_for_week(employee_ids: Sequence[int], week: date) -> dict[int, int | None]:
    """Return, per rep, the team their figures for the week belong to (None: in no team that week)."""
    teams = rep_week_teams([week], employee_ids=employee_ids)
    return {e: teams.get((e, week)) for e in employee_ids}


def figures_for_user(p: Principal) -> QuerySet[WeeklyFigures]:
    """Return the weekly figures the principal may see: all of sales, a manager's teams' weeks, a rep's own."""
    return access.scope_rows(p, WeeklyFigures.objects.select_related("employee", "team", "entered_by"))


def figures_row(p: Principal, pk: int, write: bool = False) -> WeeklyFigures:
    """Return one rep-week's figures: 404 outside the principal's scope, 403 when `write` and they may only look."""
    return access.get_rep_week(p, WeeklyFigures.objects.select_related("employee", "team", "entered_by"), pk, write)


@dataclass(frozen=True)
class GridRow:
    employee: Employee
    figures: WeeklyFigures | None
    week_target: int | None

    @property
    def version(self) -> int | None:
        return self.figures.version if self.figures else None

    def value(self, code: str) -> object:
        return getattr(self.figures, code) if self.figures else None


@dataclass(frozen=True)
class WeekGrid:
    """A team's week as the entry grid shows it: a row per rep in the team that week."""

    team: Team
    week: date
    rows: list[GridRow]
    locked: bool

    @property
    def state(self) -> str:
        return week_state([r.figures for r in self.rows], len(self.rows))

    @property
    def metrics(self) -> tuple[metrics.Metric, ...]:
        return metrics.ENTERED

    @property
    def missing_reps(self) -> list[Employee]:
        return [r.employee for r in self.rows if r.figures is None]


def week_state(figures: list[WeeklyFigures | None], reps: int) -> str:
    """Return missing (someone has no row), else the least advanced state among the rows."""
    present = [f for f in figures if f is not None]
    if reps == 0 or len(present) < reps:
        return "missing"
    for state in (FiguresState.DRAFT, FiguresState.SUBMITTED):
        if any(f.state == state for f in present):
            return state
    return FiguresState.LOCKED


def team_reps_in_week(team: Team, week: date) -> list[Employee]:
    """Return the reps whose figures for the week belong to the team, by employee number."""
    ids = [e for (e, _week), t in rep_week_teams([week], team=team).items() if t == team.pk]
    return list(Employee.objects.filter(pk__in=ids).order_by("employee_number"))


def week_grid(p: Principal, team: Team, week: date) -> WeekGrid:
    """Return the team's week for the grid (a team loaded by access.get_team; 404 outside the principal's scope)."""
    if not access.may_see_team(p, team):
        raise Http404
    reps = team_reps_in_week(team, week)
    figures = {f.employee_id: f for f in WeeklyFigures.objects.filter(week=week, employee__in=reps)}
    targets = dict(RepWeekTarget.objects.filter(team=team, week=week).values_list("employee_id", "deposit_target"))
    rows = [GridRow(rep, figures.get(rep.pk), targets.get(rep.pk)) for rep in reps]
    return WeekGrid(team, week, rows, week_is_locked(week))


def cell_history(p: Principal, figures_id: int, field: str) -> QuerySet[FigureChange]:
    """Return the changes of one cell, newest first, for figures the principal may see (a rep: their own)."""
    figures = figures_for_user(p).filter(pk=figures_id)
    return FigureChange.objects.filter(figures__in=figures, field=field).select_related("changed_by__employee")


# The entry grid's list of weeks: a team's plan weeks up to today with their state, in a fixed number of
# queries (the per-week selectors would cost three queries a week).


@dataclass(frozen=True)
class WeekSummary:
    """One week of the team: how many reps it expects, how many rows exist in which state, and the deposits."""

    week: date
    reps: int
    state: str
    counts: dict[str, int]
    total_deposits: Decimal
    target: int | None

    @property
    def entered(self) -> int:
        return sum(self.counts.values())

    @property
    def sunday(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def attainment(self) -> Decimal | None:
        return attainment(self.total_deposits, self.target)


@dataclass(frozen=True)
class MonthWeeks:
    month: date
    closed: bool
    weeks: list[WeekSummary]


@dataclass(frozen=True)
class TeamWeeks:
    team: Team
    plan: PlanYear | None
    months: list[MonthWeeks]


def team_weeks(p: Principal, team_pk: int, today: date) -> TeamWeeks:
    """Return the current plan's months newest first, each with its weeks up to today (newest first).

    Seven queries whatever the team's size or the plan's length: the team (404 outside the user's scope),
    the plan, its months, the memberships, the figures, the week targets and the closed months.
    """
    team = access.get_team(p, team_pk)
    plan = current_plan(today)
    if plan is None:
        return TeamWeeks(team, None, [])
    last = week_monday(today)
    months = [(m.month, [w for w in weeks_of_month(m.month.year, m.month.month) if w <= last])
              for m in plan.months.order_by("-month")]
    months = [(month, weeks) for month, weeks in months if weeks]
    if not months:
        return TeamWeeks(team, plan, [])
    first = min(w for _, weeks in months for w in weeks)
    teams = rep_week_teams([w for _, weeks in months for w in weeks], team=team)
    figures: dict[date, list[WeeklyFigures]] = defaultdict(list)
    for f in WeeklyFigures.objects.filter(team=team, week__gte=first, week__lte=last):
        figures[f.week].append(f)
    targets = dict(RepWeekTarget.objects.filter(team=team, week__gte=first, week__lte=last).values("week")
                   .annotate(total=Sum("deposit_target")).values_list("week", "total"))
    closed = set(MonthClose.objects.filter(closed=True, month__in=[m for m, _ in months])
                 .values_list("month", flat=True))
    return TeamWeeks(team, plan, [
        MonthWeeks(month, month in closed,
                   [_summary(team, w, teams, figures[w], targets.get(w)) for w in reversed(weeks)])
        for month, weeks in months
    ])


def _summary(team: Team, week: date, teams: dict[tuple[int, date], int], figures: list[WeeklyFigures],
             target: int | None) -> WeekSummary:
    reps = {e for (e, w), t in teams.items() if w == week and t == team.pk}
    present = [f for f in figures if f.employee_id in reps]
    counts = {state: sum(f.state == state for f in present) for state in FiguresState.values}
    # Sum every entered metric, then let the registry's formula make the total: no formula copied here.
    sums = {m.code: sum((Decimal(getattr(f, m.code, 0)) for f in present), Decimal(0)) for m in metrics.ENTERED}
    total = metrics.BY_CODE["total_deposits"].formula(metrics.PeriodFigures(values=sums))
    return WeekSummary(week, len(reps), week_state(present, len(reps)), counts, total, target)


# The director's month close page: each plan month's figures by state, missing ones, open or closed. The page
# is for roles that see all of sales, so these counts cover every team.


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
