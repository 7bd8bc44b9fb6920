"""Reads of weekly figures, scoped through teams.access."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from targets.models import RepWeekTarget
from teams import access
from teams.models import Employee, Membership, Team, User

from . import metrics
from .models import FigureChange, FiguresState, WeeklyFigures
from .services import teams_for_week, week_is_locked


def figures_for_user(user: User) -> QuerySet[WeeklyFigures]:
    """Return the weekly figures the user may see: all of sales, a manager's teams' weeks, a rep's own."""
    rows = WeeklyFigures.objects.select_related("employee", "team", "entered_by")
    if access.sees_all_sales(user):
        return rows
    return rows.filter(Q(team__in=access.managed_teams(user)) | Q(employee__user=user))


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
    candidates = Membership.objects.filter(team=team, starts_on__lte=week + timedelta(days=6)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=week)).values_list("employee_id", flat=True)
    ids = [e for e, t in teams_for_week(list(set(candidates)), week).items() if t == team.pk]
    return list(Employee.objects.filter(pk__in=ids).order_by("employee_number"))


def week_grid(user: User, team: Team, week: date) -> WeekGrid:
    """Return the team's week for the grid (the team must be visible to the user: 404 otherwise)."""
    team = access.get_visible_team(user, team.pk)
    reps = team_reps_in_week(team, week)
    figures = {f.employee_id: f for f in WeeklyFigures.objects.filter(week=week, employee__in=reps)}
    targets = dict(RepWeekTarget.objects.filter(team=team, week=week).values_list("employee_id", "deposit_target"))
    rows = [GridRow(rep, figures.get(rep.pk), targets.get(rep.pk)) for rep in reps]
    return WeekGrid(team, week, rows, week_is_locked(week))


def cell_history(user: User, figures_id: int, field: str) -> QuerySet[FigureChange]:
    """Return the changes of one cell, newest first, for figures the user may see."""
    figures = figures_for_user(user).filter(pk=figures_id)
    return FigureChange.objects.filter(figures__in=figures, field=field).select_related("changed_by__employee")
