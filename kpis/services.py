"""Every write to weekly figures: the grid, the import, the API, the admin and the demo all call these.

A save checks every cell first and writes nothing when any is wrong; it refuses, naming what
changed, when someone else saved the same rep-week since the caller read it; it records one
FigureChange per changed cell with the channel it came through.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from targets.calculations import month_of_week, weeks_of_month
from teams import access, hooks, inputs
from teams.errors import DomainError
from teams.models import Employee, Team, User

from . import metrics, states
from .models import CustomerBase, FigureChange, FiguresState, MonthClose, WeeklyFigures
from .results import services as rollups
from .selectors import teams_for_week, week_is_locked


@dataclass(frozen=True)
class RepWeekInput:
    """One rep's figures for the week as the caller sent them; `version` is what they started from."""

    employee_id: int
    values: Mapping[str, object]
    version: int | None = None
    row: int | None = None  # the caller's row number (a spreadsheet line), for messages


@dataclass(frozen=True)
class CellError:
    row: int | None
    employee_id: int | None
    field: str
    message: str


class FiguresRefused(DomainError):
    """Some cells are wrong; nothing was saved. `errors` says which, by row and field."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(_("%(n)s cells need fixing; nothing was saved.") % {"n": len(errors)}, field="rows")
        self.errors = errors


@dataclass(frozen=True)
class Conflict:
    employee: str
    saved_by: str
    saved_at: object
    differences: list[tuple[str, str, str]]  # (metric label, their value, your value)


class StaleFigures(DomainError):
    """Someone else saved these rep-weeks since the caller read them; nothing was saved."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        names = ", ".join(c.employee for c in conflicts)
        super().__init__(_("Someone else saved figures for %(names)s since you opened the week; nothing was saved. "
                           "Reload to see their figures.") % {"names": names}, field="version")
        self.conflicts = conflicts


@dataclass
class SaveSummary:
    created: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


def parse_value(metric: metrics.Metric, raw: object) -> int | Decimal:
    """Return the cell as its metric's number within its column's limits, or raise ValueError (inputs.InputError)
    with a message for the user; blank is 0."""
    try:
        column = WeeklyFigures._meta.get_field(metric.code)
    except FieldDoesNotExist:  # a registry entry whose migration has not run: the column it will be
        column = metric.model_field()
    if metric.unit == metrics.Unit.COUNT:
        return inputs.count(raw, column)
    return inputs.amount(raw, column)


def _check(week: date, rows: Sequence[RepWeekInput], by: User, team: Team | None) -> tuple[dict, dict[int, int]]:
    """Return parsed values and each rep's team, or raise FiguresRefused listing every wrong cell."""
    errors: list[CellError] = []
    try:
        inputs.served_day(week)
    except inputs.InputError as error:
        raise DomainError(error.message, field="week") from None
    if week.weekday() != 0:
        raise DomainError(_("A week is given by its Monday; %(day)s is not a Monday.") % {"day": week}, field="week")
    if week_is_locked(week):
        raise DomainError(_("The month of the week of %(day)s is closed; the director can reopen it.") % {"day": week},
                          field="week")
    seen: set[int] = set()
    ids = [r.employee_id for r in rows]
    known = dict(Employee.objects.filter(pk__in=ids).values_list("pk", "name"))
    teams = teams_for_week(list(known), week)
    principal = access.principal_of(by)
    parsed: dict[int, dict[str, int | Decimal]] = {}
    for r in rows:
        def refuse(name: str, message: str, r: RepWeekInput = r) -> None:
            errors.append(CellError(r.row, r.employee_id, name, message))

        rep_team = teams.get(r.employee_id)
        # One message, naming no one, whatever the reason (no such id, in no team, in another team, outside the
        # caller's teams): a refusal must not tell who exists or where they are.
        if (rep_team is None or (team is not None and rep_team != team.pk)
                or not access.may_change_team(principal, rep_team)):
            refuse("employee", _("Not one of your team's reps that week."))
            continue
        if r.employee_id in seen:
            refuse("employee", _("%(name)s appears twice for this week.") % {"name": known[r.employee_id]})
            continue
        seen.add(r.employee_id)
        unknown = set(r.values) - {m.code for m in metrics.ENTERED}
        for name in sorted(unknown):
            refuse(name, _("There is no entered metric called “%(name)s”.") % {"name": name})
        parsed[r.employee_id] = {}
        for metric in metrics.ENTERED:
            # A metric left out, or null, keeps the stored value (0 for a new rep-week): only what was sent changes.
            if r.values.get(metric.code) is not None:
                try:
                    parsed[r.employee_id][metric.code] = parse_value(metric, r.values[metric.code])
                except ValueError as error:
                    refuse(metric.code, str(error))
    if errors:
        raise FiguresRefused(errors)
    return parsed, {e: t for e, t in teams.items() if t}


@transaction.atomic
def weekly_figures_save(*, week: date, rows: Sequence[RepWeekInput], by: User, channel: str,
                        team: Team | None = None) -> SaveSummary:
    """Return what the save created, changed and left alone; all rows are written or none."""
    parsed, teams = _check(week, rows, by, team)
    versions = {r.employee_id: r.version for r in rows}
    existing = {f.employee_id: f for f in WeeklyFigures.objects.select_for_update(of=("self",)).filter(
        week=week, employee_id__in=list(parsed)).select_related("employee", "entered_by__employee")}
    conflicts = [_conflict(f, parsed[e]) for e, f in existing.items() if versions[e] != f.version]
    if conflicts:
        raise StaleFigures(conflicts)
    now, summary, changes = timezone.now(), SaveSummary(), []
    created = _create({e: v for e, v in parsed.items() if e not in existing}, teams, week, by, now)
    for employee_id, values in parsed.items():
        figures = existing.get(employee_id)
        if figures is None:
            changes += [FigureChange(figures=created[employee_id], field=k, old_value="", new_value=str(v),
                                     channel=channel, changed_by=by, changed_at=now) for k, v in values.items()]
            summary.created.append(employee_id)
            continue
        diff = {k: v for k, v in values.items() if getattr(figures, k) != v}
        if not diff:
            summary.unchanged.append(employee_id)
            continue
        changes += [FigureChange(figures=figures, field=k, old_value=str(getattr(figures, k)), new_value=str(v),
                                 channel=channel, changed_by=by, changed_at=now) for k, v in diff.items()]
        for k, v in diff.items():
            setattr(figures, k, v)
        figures.version, figures.entered_by, figures.entered_at = figures.version + 1, by, now
        figures.save(update_fields=[*diff, "version", "entered_by", "entered_at"])
        summary.changed.append(employee_id)
    FigureChange.objects.bulk_create(changes)
    if changes:
        touched = summary.created + summary.changed
        rollups.rollups_request([month_of_week(week)], teams={teams[e] for e in touched})
    return summary


def _create(new: Mapping[int, dict], teams: Mapping[int, int], week: date, by: User, now) -> dict[int, WeeklyFigures]:
    """Return {employee id: their first figures for the week}, written in one statement (an import's 5,000 rows
    took one INSERT each)."""
    rows = [WeeklyFigures(employee_id=e, team_id=teams[e], week=week, entered_by=by, entered_at=now, **values)
            for e, values in new.items()]
    try:
        with transaction.atomic():  # a savepoint: a concurrent first save of the same rep-week must not poison ours
            WeeklyFigures.objects.bulk_create(rows, batch_size=1000)
    except IntegrityError:
        others = WeeklyFigures.objects.select_related("employee", "entered_by__employee").filter(
            employee_id__in=list(new), week=week)
        raise StaleFigures([_conflict(other, new[other.employee_id]) for other in others]) from None
    return {f.employee_id: f for f in rows}


def _conflict(figures: WeeklyFigures, yours: Mapping[str, object]) -> Conflict:
    saved_by = getattr(getattr(figures.entered_by, "employee", None), "name", figures.entered_by.username)
    differences = [(m.label, str(getattr(figures, m.code)), str(yours[m.code])) for m in metrics.ENTERED
                   if m.code in yours and getattr(figures, m.code) != yours[m.code]]
    return Conflict(figures.employee.name, saved_by, figures.entered_at, differences)


def _set_state(rows, state: str, by: User, reason: str = "") -> int:
    now = timezone.now()
    rows = list(rows.select_for_update(of=("self",)))
    FigureChange.objects.bulk_create(FigureChange(figures=f, field="state", old_value=f.state, new_value=state,
                                                  channel="system", changed_by=by, changed_at=now, reason=reason)
                                     for f in rows)
    ids = [f.pk for f in rows]
    WeeklyFigures.objects.filter(pk__in=ids).update(state=state)
    return len(ids)


@transaction.atomic
def weekly_figures_submit(*, team: Team, week: date, by: User) -> int:
    """Return how many of the team's draft figures for the week were submitted to the director."""
    if not access.may_change_team(access.principal_of(by), team):
        raise DomainError(_("You may submit figures only for your own team."), field="team")
    if week_is_locked(week):
        raise DomainError(_("The month of this week is closed."), field="week")
    return _set_state(WeeklyFigures.objects.filter(team=team, week=week, state=FiguresState.DRAFT),
                      FiguresState.SUBMITTED, by)


def _month_close_row(month: date) -> MonthClose:
    """Return the month's close row locked for a move, or an unsaved open one when it was never closed."""
    try:
        inputs.served_day(month)
    except inputs.InputError as error:
        raise DomainError(error.message, field="month") from None
    return MonthClose.objects.select_for_update().filter(month=month).first() or MonthClose(month=month, closed=False)


@transaction.atomic
def month_close(*, month: date, by: User) -> int:
    """Return how many figures were locked by closing the month (the weeks whose Thursday falls in it)."""
    month = month.replace(day=1)
    close = _month_close_row(month)
    states.MONTH.authorise(close, "close", by=by)
    if close.closed:
        return 0  # closed already: nothing changes, no second event
    now = timezone.now()
    # closed_by/closed_at/reopen_reason mirror the last move for older readers; the history is the StateEvents.
    states.MONTH.move(close, "close", by=by, at=now, also={"closed_by": by, "closed_at": now, "reopen_reason": ""})
    hooks.month_closed(month, by.pk)  # the rules that propose rewards run on final results
    weeks = weeks_of_month(month.year, month.month)
    return _set_state(WeeklyFigures.objects.filter(week__in=weeks).exclude(state=FiguresState.LOCKED),
                      FiguresState.LOCKED, by)


@transaction.atomic
def month_reopen(*, month: date, by: User, reason: str) -> int:
    """Return how many figures went back to submitted when the director reopened the month."""
    month = month.replace(day=1)
    try:
        reason = inputs.text(reason, MonthClose._meta.get_field("reopen_reason"))
    except inputs.InputError as error:
        raise DomainError(error.message, field="reason") from None
    close = _month_close_row(month)
    states.MONTH.move(close, "reopen", by=by, reason=reason, also={"reopen_reason": reason})
    weeks = weeks_of_month(month.year, month.month)
    return _set_state(WeeklyFigures.objects.filter(week__in=weeks, state=FiguresState.LOCKED),
                      FiguresState.SUBMITTED, by, reason)


@transaction.atomic
def customer_base_set(*, employee: Employee, opening_base: int, counted_from: date) -> CustomerBase:
    """Return the rep's customer base, created or changed to these values (untouched when already equal); a
    change queues the recompute of every month's rollups."""
    if opening_base < 0:
        raise DomainError(_("A customer base cannot be negative."), field="opening_base")
    base = CustomerBase.objects.select_for_update().filter(employee=employee).first()
    if base is not None and (base.opening_base, base.counted_from) == (opening_base, counted_from):
        return base
    if base is None:
        base = CustomerBase.objects.create(employee=employee, opening_base=opening_base, counted_from=counted_from)
    else:
        base.opening_base, base.counted_from = opening_base, counted_from
        base.save(update_fields=["opening_base", "counted_from"])
    rollups.every_month_stale()  # the opening base is part of every month's customer base
    return base
