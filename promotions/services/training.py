"""Training records: HR adds a session (a course on a day, for some hours) and who attended, with exam scores."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from teams.errors import DomainError
from teams.models import Employee, User

from ..models import Attendance, CourseType, TrainingSession
from ._numbers import number
from .paths import hr_only


@transaction.atomic
def session_add(*, course: CourseType, title: str, held_on: date, hours: Decimal | int | str, by: User,
                has_exam: bool = False) -> TrainingSession:
    """Return the new session of a course on a day."""
    hr_only(by)
    title = title.strip()
    if not title:
        raise DomainError(_("Give the session a title."), field="title")
    hours = number(hours, TrainingSession._meta.get_field("hours"), field="hours", high=Decimal(24), above_zero=True,
                   message=_("A session lasts more than 0 and at most 24 hours."))
    if hours is None:
        raise DomainError(_("A session lasts more than 0 and at most 24 hours."), field="hours")
    if TrainingSession.objects.filter(course=course, title=title, held_on=held_on).exists():
        raise DomainError(_("This session is already recorded."), field="title")
    return TrainingSession.objects.create(course=course, title=title, held_on=held_on, hours=hours,
                                          has_exam=has_exam, recorded_by=by)


def attendance_problem(session: TrainingSession, employee: Employee, score: Decimal | None) -> tuple[str, str] | None:
    """Return (field, message) when the attendance breaks a rule, else None (the import asks the same)."""
    if session.held_on < employee.hire_date:
        return "employee", _("%(name)s was hired on %(day)s, after the session (%(held)s).") % {
            "name": employee.name, "day": employee.hire_date.isoformat(), "held": session.held_on.isoformat()}
    if employee.left_on is not None and session.held_on > employee.left_on:
        return "employee", _("%(name)s left on %(day)s, before the session.") % {
            "name": employee.name, "day": employee.left_on.isoformat()}
    if score is not None and not session.has_exam:
        return "exam_score", _("The session had no exam.")
    if score is not None and not Decimal(0) <= score <= 100:
        return "exam_score", _("An exam score is between 0 and 100.")
    return None


def exam_score_parse(value: object) -> Decimal | None:
    """Return the typed exam score (None when blank), or refuse it naming exam_score (the import asks the same)."""
    return number(value, Attendance._meta.get_field("exam_score"), field="exam_score", high=Decimal(100),
                  message=_("An exam score is a number between 0 and 100."))


@transaction.atomic
def attendance_record(*, session: TrainingSession, employee: Employee, by: User,
                      exam_score: Decimal | int | str | None = None) -> Attendance:
    """Return the person's attendance of the session with their score (a second record updates the score)."""
    hr_only(by)
    score = exam_score_parse(exam_score)
    problem = attendance_problem(session, employee, score)
    if problem:
        raise DomainError(problem[1], field=problem[0])
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        session=session, employee=employee, defaults={"exam_score": score})
    if not created and attendance.exam_score != score:
        attendance.exam_score = score
        attendance.save(update_fields=["exam_score"])
    return attendance


@transaction.atomic
def attendance_record_many(*, session: TrainingSession, scores: Mapping[int, Decimal | None],
                           by: User) -> list[Attendance]:
    """Return the attendance written for {employee id: score}, all or nothing (the import's confirm)."""
    hr_only(by)
    people = Employee.objects.in_bulk(list(scores))
    return [attendance_record(session=session, employee=people[pk], by=by, exam_score=score)
            for pk, score in scores.items()]


class AttendanceRefused(DomainError):
    """Some rows of the attendance form break a rule; nothing was written. `errors` holds (row index, field,
    message) for each, so the form puts every refusal on its own row."""

    def __init__(self, errors: list[tuple[int, str, str]]) -> None:
        super().__init__(_("Nothing was saved: fix the rows marked below."), field="rows")
        self.errors = errors


@transaction.atomic
def attendance_add(*, session: TrainingSession, rows: Sequence[tuple[Employee, object]], by: User) -> list[Attendance]:
    """Return the attendance written for each (employee, typed exam score) row: every row checked first, then all
    written or none (the form's counterpart of the import's confirm)."""
    hr_only(by)
    errors: list[tuple[int, str, str]] = []
    scores: dict[int, Decimal | None] = {}
    for index, (employee, typed) in enumerate(rows):
        try:
            score = exam_score_parse(typed)
        except DomainError as refused:
            errors.append((index, "exam_score", refused.message))
            continue
        problem = attendance_problem(session, employee, score)
        if problem:
            errors.append((index, *problem))
        elif employee.pk in scores:
            errors.append((index, "employee", _("%(name)s is on another row too.") % {"name": employee.name}))
        else:
            scores[employee.pk] = score
    if errors:
        raise AttendanceRefused(errors)
    if not scores:
        raise DomainError(_("Choose at least one employee."), field="rows")
    return attendance_record_many(session=session, scores=scores, by=by)
