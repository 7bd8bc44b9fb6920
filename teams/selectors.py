"""Reads of the organisation, already scoped to the principal through access.py and already joined."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from . import access
from .access import Principal
from .models import Appointment, Employee, Membership, StateEvent, Team, membership_during
from .transitions import subject_type


def _in_force(field: str) -> Subquery:
    """Return a subquery of the appointment's `field` in force on the outer employee's `seen_until`."""
    rows = Appointment.objects.filter(employee=OuterRef("pk"), effective_from__lte=OuterRef("seen_until"))
    return Subquery(rows.order_by("-effective_from").values(field)[:1])


def _team_on(field: str) -> Subquery:
    rows = Membership.objects.filter(membership_during(OuterRef("seen_until")), employee=OuterRef("pk"))
    return Subquery(rows.values(field)[:1])


def employees_for_user(p: Principal, *, on: date, search: str = "", team_id: int | None = None,
                       status: str = "", order: str = "employee_number") -> QuerySet[Employee]:
    """Return the employees the principal may see, annotated with position, grade and team on `on`, or on the
    last day they may see them (a rep who left a manager's team shows as they were then)."""
    rows = access.visible_employees(p).annotate(seen_until=access.visible_until(p, on)).annotate(
        position_name=_in_force("position__name"),
        position_level=_in_force("position__level"),
        grade_code=_in_force("salary_grade__code"),
        team_name=_team_on("team__name"),
        team_id_on=_team_on("team_id"),
    ).select_related("user")
    if search:
        rows = matching(rows, search)
    if team_id:
        rows = rows.filter(team_id_on=team_id)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by(order, "employee_number")


def matching(rows: QuerySet[Employee], search: str) -> QuerySet[Employee]:
    """Return the employees whose name, employee number or log-in contains the search (the people page's box)."""
    return rows.filter(Q(name__icontains=search) | Q(employee_number__icontains=search)
                       | Q(user__username__icontains=search))


@dataclass(frozen=True)
class TeamCard:
    """A team as the organisation page shows it: its manager and its members on a date."""

    team: Team
    members: list[Employee]


def organisation_for_user(p: Principal, *, on: date) -> list[TeamCard]:
    """Return the visible teams, each with its manager and the members on `on` (2 queries)."""
    on_date = Membership.objects.filter(membership_during(on))
    teams = access.visible_teams(p).select_related("manager").prefetch_related(
        Prefetch("memberships", queryset=on_date.select_related("employee").order_by("employee__employee_number"),
                 to_attr="members_on")
    )
    return [TeamCard(team=t, members=[m.employee for m in t.members_on]) for t in teams]


def team_memberships(p: Principal, team: Team) -> QuerySet[Membership]:
    """Return every membership of the team (current and former), for a team the principal may see (else 404)."""
    if not access.may_see_team(p, team):
        raise Http404
    return team.memberships.select_related("employee").order_by("ends_on", "employee__employee_number")


@dataclass(frozen=True)
class EmployeeRecord:
    """An employee page: the person, the position and grade history, the team history."""

    employee: Employee
    appointments: list[Appointment]
    memberships: list[Membership]
    current: Appointment | None


def employee_record(p: Principal, pk: int, *, on: date) -> EmployeeRecord:
    """Return the employee page's data, or raise 404 outside the principal's scope.

    A manager sees a rep for the dates the rep was in one of their teams: those memberships, the appointments in
    force then, and the position held on the last of those days; nothing of the rep's later teams or grades.
    """
    employee = access.get_employee(p, pk)
    periods = [(first or date.min, last or date.max) for first, last in access.visible_periods(p, employee)]
    appointments = list(employee.appointments.select_related("position", "salary_grade", "recorded_by"))
    memberships = list(employee.memberships.select_related("team").order_by("-starts_on"))
    # Appointments come newest first: each is in force from its date to the day before the next one's.
    ends = [date.max, *(a.effective_from - timedelta(days=1) for a in appointments[:-1])]
    appointments = [a for a, end in zip(appointments, ends, strict=True) if _seen(periods, a.effective_from, end)]
    memberships = [m for m in memberships if _seen(periods, m.starts_on, m.ends_on or date.max)]
    last_seen = min(on, max((last for _, last in periods), default=on))
    current = next((a for a in appointments if a.effective_from <= last_seen), None)
    return EmployeeRecord(employee, appointments, memberships, current)


def _seen(periods: list[tuple[date, date]], first: date, last: date) -> bool:
    """Return whether first..last overlaps one of the periods."""
    return any(first <= end and last >= start for start, end in periods)


def events_for(subject: Model) -> QuerySet[StateEvent]:
    """Return the subject's state events, oldest first, with who made each move."""
    return events_for_many(type(subject), [subject.pk])


def events_for_many(model: type[Model], ids: Iterable[int]) -> QuerySet[StateEvent]:
    """Return the state events of these rows of `model`, oldest first: one query for a whole page."""
    return StateEvent.objects.filter(subject_type=subject_type(model), subject_id__in=list(ids)).select_related(
        "by__employee").order_by("at", "pk")
