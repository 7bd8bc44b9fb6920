"""Spreadsheet import and export of weekly figures: a preview that writes nothing, the confirm, templates, exports.

The upload is read by kpis.resources (which refuses suspicious files before parsing) and checked row by row
without writing. The confirm checks again and writes every week through kpis.services.weekly_figures_save in one
transaction: one bad row in any week, and nothing is written.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from targets.calculations import month_of_week
from targets.models import PlanMonth
from teams import access
from teams.access import Principal
from teams.errors import DomainError
from teams.models import Employee, Team, User

from . import metrics, selectors, services
from .models import Channel, MonthClose, WeeklyFigures
from .resources import NAME, FiguresResource, ParsedSheet, SheetLine, SheetRow, parse_week, sheet_file
from .uploads import sheet_read

LISTED_PLAIN = 200  # new and unchanged rows the preview's table lists; the rest are counted


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet's row number (the header is row 1)
    column: str      # the column's header as the file wrote it
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, %(column)s: %(message)s") % {"row": self.row, "column": self.column,
                                                           "message": self.message}


@dataclass(frozen=True)
class WarningGroup:
    column: str
    message: str
    rows: tuple[int, ...]

    def __str__(self) -> str:
        return ngettext("row %(rows)s, %(column)s: %(message)s", "rows %(rows)s, %(column)s: %(message)s",
                        len(self.rows)) % {"rows": row_ranges(self.rows), "column": self.column,
                                           "message": self.message}


def row_ranges(rows: Sequence[int]) -> str:
    """Return row numbers as ranges: 2–5, 8, 10–11."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


class ImportRefused(DomainError):
    """Some rows are wrong; nothing was written. `errors` names each by row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(_("%(n)s cells need fixing; nothing was imported.") % {"n": len(errors)}, field="rows")
        self.errors = errors


# --- who may import -------------------------------------------------------------------------------------------

def teams_for_import(p: Principal) -> list[Team]:
    """Return the teams whose figures the principal may enter: a manager's own, every team for the director."""
    return list(access.changeable_teams(p).order_by("name"))


# --- the preview: every row checked, nothing written ----------------------------------------------------------

@dataclass(frozen=True)
class PreviewCell:
    metric: metrics.Metric
    text: str                        # as the file wrote it
    value: int | Decimal | None      # None when the text is wrong
    old: int | Decimal | None        # the saved value, None when the rep-week is new
    error: str = ""

    @property
    def changed(self) -> bool:
        return self.old is not None and self.value is not None and self.value != self.old


@dataclass(frozen=True)
class PreviewRow:
    line: SheetLine
    name: str
    week: date | None
    employee_id: int | None
    cells: list[PreviewCell]
    problems: list[RowError]  # what is wrong with the row's rep or week
    errors: list[RowError]    # every error of the row: its problems and its cells'
    status: str             # new, changed, unchanged or error
    version: int | None     # the saved figures' version the preview compared against
    warnings: list[RowError] = field(default_factory=list)  # what the uploader must confirm before the import


@dataclass(frozen=True)
class ImportPreview:
    sheet: ParsedSheet
    rows: list[PreviewRow]

    @property
    def metrics(self) -> tuple[metrics.Metric, ...]:
        return tuple(c.metric for c in self.rows[0].cells) if self.rows else ()

    @cached_property  # the preview's table asks once per row
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @cached_property
    def warnings(self) -> list[RowError]:
        return [w for r in self.rows for w in r.warnings]

    @cached_property
    def warning_groups(self) -> list[WarningGroup]:
        """The warnings, one line per column and message with the rows it holds for (a week in no plan year
        would otherwise be said once for each of its reps)."""
        rows: dict[tuple[str, str], list[int]] = defaultdict(list)
        for w in self.warnings:
            rows[(w.column, w.message)].append(w.row)
        return [WarningGroup(column, message, tuple(found)) for (column, message), found in rows.items()]

    @cached_property
    def listed(self) -> list[PreviewRow]:
        """The rows the preview's table shows: every row with an error or a change, and the first `LISTED_PLAIN`
        of the others (a 5,000-row file would otherwise make a page of megabytes; warnings are listed above it)."""
        plain, listed = 0, []
        for r in self.rows:
            if r.status in ("error", "changed"):
                listed.append(r)
            elif plain < LISTED_PLAIN:
                listed.append(r)
                plain += 1
        return listed

    @property
    def not_listed(self) -> int:
        return len(self.rows) - len(self.listed)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("new", "changed", "unchanged", "error")}

    @property
    def seen(self) -> dict[str, int | None]:
        """Return the version each rep-week had when previewed, keyed as the confirm looks it up."""
        return {_key(r.line.employee_number, r.week): r.version for r in self.rows if r.status != "error"}


def _key(employee_number: str, week: date | None) -> str:
    return f"{employee_number}|{week}"


def figures_import_preview(*, upload: UploadedFile, by: User) -> ImportPreview:
    """Return the upload row by row as new / changed / unchanged / error, writing nothing."""
    return _preview(sheet_read(upload), by)


def _preview(sheet: ParsedSheet, by: User) -> ImportPreview:
    weeks: dict[int, date | str] = {}
    for line in sheet.lines:
        try:
            weeks[line.row] = parse_week(line.week)
        except ValueError as error:
            weeks[line.row] = str(error)
    mondays = {w for w in weeks.values() if isinstance(w, date)}
    employees = {e.employee_number: e for e in
                 Employee.objects.filter(employee_number__in={line.employee_number for line in sheet.lines})}
    teams = selectors.rep_week_teams(mondays, employee_ids=[e.pk for e in employees.values()])
    closed = set(MonthClose.objects.filter(closed=True).values_list("month", flat=True))
    planned = set(PlanMonth.objects.values_list("month", flat=True))
    principal = access.principal_of(by)
    saved = {(f.employee_id, f.week): f for f in
             WeeklyFigures.objects.filter(employee__in=list(employees.values()), week__in=mondays)}
    first_row: dict[str, int] = {}
    rows = []
    for line in sheet.lines:
        week, employee = weeks[line.row], employees.get(line.employee_number)
        problems = [RowError(line.row, sheet.columns[key], message) for key, message
                    in _row_problems(line, week, employee, teams, closed, principal, first_row)]
        figures = saved.get((employee.pk, week)) if employee and not problems else None
        errors, cells = list(problems), []
        for metric in metrics.ENTERED:
            text, old = line.values.get(metric.code, ""), getattr(figures, metric.code, None) if figures else None
            try:
                cells.append(PreviewCell(metric, text, services.parse_value(metric, text), old))
            except ValueError as error:
                cells.append(PreviewCell(metric, text, None, old, str(error)))
                errors.append(RowError(line.row, sheet.columns[metric.code], str(error)))
        status = ("error" if errors else "new" if figures is None
                  else "changed" if any(c.changed for c in cells) else "unchanged")
        shown = employee.name if employee and not problems else line.name
        warnings = _row_warnings(line, week, employee, planned, sheet.columns) if not problems else []
        rows.append(PreviewRow(line, shown, week if isinstance(week, date) else None,
                               employee.pk if employee and not problems else None, cells, problems, errors, status,
                               figures.version if figures else None, warnings))
    return ImportPreview(sheet, rows)


def _row_problems(line: SheetLine, week: date | str, employee: Employee | None, teams: Mapping,
                  closed: set[date], principal: Principal, first_row: dict[str, int]) -> list[tuple[str, str]]:
    """Return (column, message) for what is wrong with the row's rep and week; its cells are checked apart."""
    problems = []
    if not line.employee_number:
        problems.append(("employee_number", _("The employee number is missing.")))
    if isinstance(week, str):
        problems.append(("week", week))
    elif month_of_week(week) in closed:
        problems.append(("week", _("The month of the week of %(week)s is closed; the director can reopen it.")
                         % {"week": week}))
    if problems:
        return problems
    team = teams.get((employee.pk, week)) if employee else None
    # One message, told by the number the uploader wrote, whatever the reason (no such number, someone in another
    # team, someone in no team): the uploader learns nothing of who exists or where they are.
    if team is None or not access.may_change_team(principal, team):
        return [("employee_number", _("%(number)s is not one of your team's reps that week.")
                 % {"number": line.employee_number})]
    key = _key(line.employee_number, week)
    if key in first_row:
        return [("employee_number", _("%(number)s's week of %(week)s is already on row %(row)s.")
                 % {"number": line.employee_number, "week": week, "row": first_row[key]})]
    first_row[key] = line.row
    return []


def _row_warnings(line: SheetLine, week: date, employee: Employee, planned: set[date],
                  columns: Mapping[str, str]) -> list[RowError]:
    """Return what may be a mistake in a valid row: a name that is not the number's, a week in no plan year."""
    warnings = []
    if line.name and "".join(line.name.split()).casefold() != "".join(employee.name.split()).casefold():
        warnings.append(RowError(line.row, columns.get("name", NAME), _(
            "The file says %(written)s, but %(number)s is %(name)s.")
            % {"written": line.name, "number": line.employee_number, "name": employee.name}))
    if month_of_week(week) not in planned:
        warnings.append(RowError(line.row, columns["week"], _(
            "The week of %(week)s is in no plan year; check the year before importing it.") % {"week": week}))
    return warnings


# --- the confirm ----------------------------------------------------------------------------------------------

def figures_import_confirm(*, sheet: ParsedSheet, seen: Mapping[str, int | None], by: User) -> services.SaveSummary:
    """Return what the import created, changed and left alone; every row of every week is written or none.

    `seen` holds the versions the preview showed: a rep-week someone saved since is refused, not overwritten.
    """
    preview = _preview(sheet, by)
    if preview.errors:
        raise ImportRefused(preview.errors)
    by_week: dict[date, list[services.RepWeekInput]] = defaultdict(list)
    for row in preview.rows:
        by_week[row.week].append(services.RepWeekInput(
            row.employee_id, {c.metric.code: c.value for c in row.cells},
            version=seen.get(_key(row.line.employee_number, row.week)), row=row.line.row))
    total = services.SaveSummary()
    try:
        with transaction.atomic():
            for week in sorted(by_week):
                done = services.weekly_figures_save(week=week, rows=by_week[week], by=by, channel=Channel.IMPORT)
                total.created += done.created
                total.changed += done.changed
                total.unchanged += done.unchanged
    except services.FiguresRefused as refused:
        columns = {**sheet.columns, "employee": sheet.columns["employee_number"]}
        raise ImportRefused([RowError(e.row, columns.get(e.field, e.field), e.message)
                             for e in refused.errors]) from None
    return total


# --- template and export --------------------------------------------------------------------------------------

def figures_template(*, teams: Sequence[Team], week: date, file_format: str) -> tuple[bytes, str]:
    """Return a template for the week: the teams' reps filled in, with their saved figures if any."""
    reps = [rep for team in teams for rep in selectors.team_reps_in_week(team, week)]
    saved = {f.employee_id: f for f in WeeklyFigures.objects.filter(week=week, employee__in=reps)}
    rows = [SheetRow(rep.employee_number, rep.name, week,
                     {m.code: getattr(saved.get(rep.pk), m.code, None) for m in metrics.ENTERED}) for rep in reps]
    return sheet_file(FiguresResource().sheet(rows), file_format)


def figures_export(*, principal: Principal, team: Team | None, first: date, last: date,
                   chosen: Sequence[metrics.Metric], file_format: str) -> tuple[bytes, str]:
    """Return the figures the principal may see for the weeks from `first` to `last` (all of their teams, or one)."""
    figures = selectors.figures_for_user(principal).filter(week__range=(first, last))
    if team is not None:
        figures = figures.filter(team=team)
    rows = [SheetRow(f.employee.employee_number, f.employee.name, f.week, {m.code: getattr(f, m.code) for m in chosen},
                     team=f.team.name, state=f.get_state_display())
            for f in figures.order_by("week", "team__name", "employee__employee_number")]
    return sheet_file(FiguresResource(chosen, with_team_and_state=True).sheet(rows), file_format)
