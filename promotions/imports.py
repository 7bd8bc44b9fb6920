"""Importing a session's attendance from a spreadsheet, as the weekly figures are imported: the file is read under
kpis.uploads' bounds, a preview checks every row and writes nothing, the confirm checks again and writes all rows
through promotions.services.training in one transaction, or none.

Columns: 工号 (the employee number), 姓名 (read, not used), 考试成绩 (the exam score, blank when none).
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

import tablib
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kpis.imports import ImportRefused, RowError
from kpis.resources import UploadRefused
from kpis.uploads import HEADER_SEARCH_ROWS, tables_read
from teams.errors import DomainError
from teams.models import Employee, User

from .models import TrainingSession
from .services import training
from .services.paths import hr_only

COLUMNS = {
    "employee_number": ("工号", "员工编号", "employee number", "employee_number"),
    "name": ("姓名", "name"),
    "exam_score": ("考试成绩", "成绩", "exam score", "score"),
}


@dataclass(frozen=True)
class AttendanceLine:
    row: int
    employee_number: str
    name: str
    exam_score: str


@dataclass(frozen=True)
class PreviewRow:
    line: AttendanceLine
    employee_id: int | None
    name: str
    score: Decimal | None
    errors: list[RowError]


@dataclass(frozen=True)
class AttendancePreview:
    columns: dict[str, str]
    rows: list[PreviewRow]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    def lines_json(self) -> list[dict]:
        return [asdict(r.line) for r in self.rows]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def sheet_lines(upload: UploadedFile) -> tuple[dict[str, str], list[AttendanceLine]]:
    """Return the headers found and the rows under them, or refuse the file as a whole."""
    names = {_fold(n): key for key, aliases in COLUMNS.items() for n in aliases}
    for table in tables_read(upload):
        for index, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            positions = {names[_fold(c)]: p for p, c in enumerate(cells) if _fold(c) in names}
            if "employee_number" not in positions:
                continue
            columns = {key: cells[p] for key, p in positions.items()}
            lines = []
            for number, row in table.rows[index + 1:]:
                cell = {key: row[p] if p < len(row) else "" for key, p in positions.items()}
                if any(cell.values()):
                    lines.append(AttendanceLine(number, cell["employee_number"], cell.get("name", ""),
                                                cell.get("exam_score", "")))
            if not lines:
                raise UploadRefused(_("The file has no rows of attendance."))
            return columns, lines
    raise UploadRefused(_("The file lacks the column 工号 (the employee number)."))


def attendance_preview(*, session: TrainingSession, lines: list[AttendanceLine], columns: dict[str, str],
                       by: User) -> AttendancePreview:
    """Return every row checked against the rules of an attendance record, writing nothing (one query)."""
    hr_only(by)
    people = {e.employee_number: e for e in Employee.objects.filter(
        employee_number__in={line.employee_number for line in lines})}
    seen: dict[str, int] = {}
    rows = []
    number_column = columns.get("employee_number", "工号")
    score_column = columns.get("exam_score", "考试成绩")
    for line in lines:
        errors, score = [], None
        employee = people.get(line.employee_number)
        if employee is None:
            errors.append(RowError(line.row, number_column, _("No employee has the number “%(number)s”.") % {
                "number": line.employee_number}))
        elif line.employee_number in seen:
            errors.append(RowError(line.row, number_column, _("Also on row %(row)s.") % {
                "row": seen[line.employee_number]}))
        seen.setdefault(line.employee_number, line.row)
        if line.exam_score:
            try:
                score = training.exam_score_parse(line.exam_score)
            except DomainError as refused:
                errors.append(RowError(line.row, score_column, refused.message))
                score = None
        if employee is not None and not errors:
            problem = training.attendance_problem(session, employee, score)
            if problem:
                column = score_column if problem[0] == "exam_score" else number_column
                errors.append(RowError(line.row, column, problem[1]))
        rows.append(PreviewRow(line, employee.pk if employee else None, employee.name if employee else line.name,
                               score, errors))
    return AttendancePreview(columns, rows)


def attendance_import_confirm(*, session: TrainingSession, lines: list[AttendanceLine], columns: dict[str, str],
                              by: User) -> int:
    """Return how many attendances were written: every row checked again, then all written or none."""
    preview = attendance_preview(session=session, lines=lines, columns=columns, by=by)
    if preview.errors:
        raise ImportRefused(preview.errors)
    training.attendance_record_many(session=session, scores={r.employee_id: r.score for r in preview.rows}, by=by)
    return len(preview.rows)


def attendance_template(session: TrainingSession) -> bytes:
    """Return an XLSX holding the header row the import reads (the exam score's column only for a session with an
    exam), for HR to fill in."""
    headers = ["工号", "姓名", "考试成绩"] if session.has_exam else ["工号", "姓名"]
    sheet = tablib.Dataset(headers=headers, title=_("Attendance")[:31])  # an XLSX sheet's name holds 31 characters
    return sheet.export("xlsx")
