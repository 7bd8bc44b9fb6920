"""Reads of the organisation, already scoped to the user through access.py and already joined."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Model, OuterRef, Prefetch, Q, QuerySet, Subquery

from . import access
from .models import Appointment, Employee, Membership, StateEvent, Team, User, membership_during
from .transitions import subject_type


def _in_force(on: date, field: str) -> Subquery:
    """Return a subquery of the appointment's `field` in force on `on` for the outer employee."""
    rows = Appointment.objects.filter(employee=OuterRef("pk"), effective_from__lte=on).order_by("-effective_from")
    return Subquery(rows.values(field)[:1])


def _team_on(on: date, field: str) -> Subquery:
    rows = Membership.objects.filter(membership_during(on), employee=OuterRef("pk"))
    return Subquery(rows.values(field)[:1])


def employees_for_user(user: User, *, on: date, search: str = "", team_id: int | None = None,
                       status: str = "", order: str = "employee_number") -> QuerySet[Employee]:
    """Return the employees the user may see, annotated with position, grade and team on `on`."""
    rows = access.visible_employees(user).annotate(
        position_name=_in_force(on, "position__name"),
        position_level=_in_force(on, "position__level"),
        grade_code=_in_force(on, "salary_grade__code"),
        team_name=_team_on(on, "team__name"),
        team_id_on=_team_on(on, "team_id"),
    ).select_related("user")
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(employee_number__icontains=search)
                           | Q(user__username__icontains=search))
    if team_id:
        rows = rows.filter(team_id_on=team_id)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by(order, "employee_number")


@dataclass(frozen=True)
class TeamCard:
    """A team as the organisation page shows it: its manager and its members on a date."""

    team: Team
    members: list[Employee]


def organisation_for_user(user: User, *, on: date) -> list[TeamCard]:
    """Return the visible teams, each with its manager and the members on `on` (2 queries)."""
    on_date = Membership.objects.filter(membership_during(on))
    teams = access.visible_teams(user).select_related("manager").prefetch_related(
        Prefetch("memberships", queryset=on_date.select_related("employee").order_by("employee__employee_number"),
                 to_attr="members_on")
    )
    return [TeamCard(team=t, members=[m.employee for m in t.members_on]) for t in teams]


def team_memberships(user: User, team: Team) -> QuerySet[Membership]:
    """Return every membership of the team (current and former), for a team the user may see."""
    access.get_visible_team(user, team.pk)
    return team.memberships.select_related("employee").order_by("ends_on", "employee__employee_number")


@dataclass(frozen=True)
class EmployeeRecord:
    """An employee page: the person, the position and grade history, the team history."""

    employee: Employee
    appointments: list[Appointment]
    memberships: list[Membership]
    current: Appointment | None


def employee_record(user: User, pk: int, *, on: date) -> EmployeeRecord:
    """Return the employee page's data, or raise 404 outside the user's scope."""
    employee = access.get_visible_employee(user, pk)
    appointments = list(employee.appointments.select_related("position", "salary_grade", "recorded_by"))
    memberships = list(employee.memberships.select_related("team").order_by("-starts_on"))
    current = next((a for a in appointments if a.effective_from <= on), None)
    return EmployeeRecord(employee, appointments, memberships, current)


def events_for(subject: Model) -> QuerySet[StateEvent]:
    """Return the subject's state events, oldest first, with who made each move."""
    return events_for_many(type(subject), [subject.pk])


def events_for_many(model: type[Model], ids: Iterable[int]) -> QuerySet[StateEvent]:
    """Return the state events of these rows of `model`, oldest first: one query for a whole page."""
    return StateEvent.objects.filter(subject_type=subject_type(model), subject_id__in=list(ids)).select_related(
        "by__employee").order_by("at", "pk")
