"""Reads for the training pages: sessions (filtered, newest first, with their attendee count), one session's
attendance with each person's team on the day and their hours so far, and one person's training by course type.

Not scoped by team: only HR opens these pages (teams.access.may_keep_training_records). Hours count as the engine
counts them: sessions held on or before the day (promotions.calculations._training_checks)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from teams.models import Employee, Membership, membership_during

from ..models import Attendance, CourseType, TrainingSession


def sessions(*, course: str = "", year: int | None = None) -> QuerySet[TrainingSession]:
    """Return the sessions of a course type (its code) and year, newest first, each with its course, `attendees`
    and `person_hours` (one query per page, and the paginator's count)."""
    rows = TrainingSession.objects.select_related("course").annotate(attendees=Count("attendance")).annotate(
        person_hours=ExpressionWrapper(F("hours") * F("attendees"), output_field=DecimalField()))
    if course:
        rows = rows.filter(course__code=course)
    if year:
        rows = rows.filter(held_on__year=year)
    return rows.order_by("-held_on", "-pk")


def session_years() -> list[int]:
    """Return the years that have a session, newest first (one query)."""
    return [d.year for d in TrainingSession.objects.dates("held_on", "year", order="DESC")]


def session_for(pk: object) -> TrainingSession:
    """Return the session with its course and who recorded it; 404 when there is none."""
    if not str(pk).isdigit() or int(str(pk)[:12]) > 2**31 - 1:
        raise Http404
    found = TrainingSession.objects.select_related("course", "recorded_by__employee").filter(pk=int(pk)).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Attendee:
    """One line of a session's attendance: the person, their team on the session's day, their score, and their
    hours so far in this course type and in all."""

    attendance: Attendance
    team_name: str
    course_hours: Decimal
    total_hours: Decimal


def attendance_of(session: TrainingSession, on: date) -> list[Attendee]:
    """Return the session's attendance by name, with the hours each attendee has on `on` (two queries)."""
    team = Membership.objects.filter(membership_during(OuterRef("session__held_on")),
                                     employee=OuterRef("employee_id")).values("team__name")[:1]
    rows = list(session.attendance.select_related("employee").annotate(team_name=Subquery(team))
                .order_by("employee__name", "employee__employee_number"))
    held = Q(session__held_on__lte=on)
    hours = {h["employee_id"]: h for h in Attendance.objects.filter(held, employee__in=[r.employee_id for r in rows])
             .values("employee_id").annotate(total=Sum("session__hours"),
                                             course=Sum("session__hours", filter=Q(session__course=session.course_id)))}
    zero = Decimal(0)
    return [Attendee(r, r.team_name or "", hours.get(r.employee_id, {}).get("course") or zero,
                     hours.get(r.employee_id, {}).get("total") or zero) for r in rows]


def attendee_ids(session: TrainingSession) -> set[int]:
    """Return who is on the session's attendance already (one query): the import says whose score it updates."""
    return set(session.attendance.values_list("employee_id", flat=True))


def employees_for_attendance(session: TrainingSession) -> list[tuple[int, str]]:
    """Return (id, "name (employee number)") of everyone who had not left before the session, by name (one query).

    Those hired after it are listed too: the record is refused with the rule named, rather than the person
    silently missing from the list."""
    rows = (Employee.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=session.held_on))
            .order_by("name", "employee_number").values_list("pk", "name", "employee_number"))
    return [(pk, f"{name} ({number})") for pk, name, number in rows]


@dataclass(frozen=True)
class CourseHours:
    course: CourseType
    sessions: int
    hours: Decimal
    best_score: Decimal | None


@dataclass(frozen=True)
class PersonTraining:
    """A person's training on a day: hours and the best exam score per course type, and each session attended."""

    employee: Employee
    by_course: list[CourseHours]
    total_hours: Decimal
    attended: list[Attendance]


def training_of(employee: Employee, on: date) -> PersonTraining:
    """Return the person's training on `on`: every course type (none attended shows 0), then their sessions,
    newest first (three queries)."""
    done = (employee.training.filter(session__held_on__lte=on).values("session__course_id")
            .annotate(sessions=Count("pk"), hours=Sum("session__hours"), best=Max("exam_score")))
    per_course = {d["session__course_id"]: d for d in done}
    by_course = [CourseHours(c, per_course.get(c.pk, {}).get("sessions", 0),
                             per_course.get(c.pk, {}).get("hours") or Decimal(0), per_course.get(c.pk, {}).get("best"))
                 for c in CourseType.objects.all()]
    attended = list(employee.training.select_related("session__course").order_by("-session__held_on", "-pk"))
    return PersonTraining(employee, by_course, sum((c.hours for c in by_course), Decimal(0)), attended)


def people_for_training() -> list[tuple[int, str]]:
    """Return (id, "name (employee number)") of every employee, by name, for the person chooser (one query)."""
    rows = Employee.objects.order_by("name", "employee_number").values_list("pk", "name", "employee_number")
    return [(pk, f"{name} ({number})") for pk, name, number in rows]
