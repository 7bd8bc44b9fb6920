"""Every write to the organisation: hires, appointments, team membership, leavers.

Each service checks its rules, runs in one transaction, and raises DomainError naming the
field at fault; nothing is saved when it refuses.
"""

from datetime import date, timedelta

from django.db import models, transaction
from django.utils.translation import gettext as _

from . import access, audit, clock, hooks
from .authentication import left_by
from .errors import DomainError
from .models import (
    Appointment,
    Employee,
    EmployeeStatus,
    Membership,
    Position,
    Role,
    SalaryGrade,
    Team,
    TeamManagerChange,
    User,
    membership_during,
)
from .transitions import subject_type


def membership_check(
    *, employee: Employee, starts_on: date, ends_on: date | None, exclude_pk: int | None = None
) -> None:
    """Raise DomainError if the span breaks a membership rule (order, hire date, one team at a time)."""
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    if starts_on < employee.hire_date:
        raise DomainError(_("%(name)s was hired on %(day)s; a membership cannot start before."),
                          field="starts_on", name=employee.name, day=employee.hire_date)
    if employee.left_on and (ends_on is None or ends_on > employee.left_on):
        raise DomainError(_("%(name)s left on %(day)s; the membership must end by then."),
                          field="ends_on", name=employee.name, day=employee.left_on)
    overlap = Membership.objects.filter(membership_during(starts_on, ends_on or date.max), employee=employee)
    if exclude_pk:
        overlap = overlap.exclude(pk=exclude_pk)
    clash = overlap.select_related("team").first()
    if clash:
        raise DomainError(
            _("%(name)s is already in %(team)s from %(start)s to %(end)s; a rep belongs to one team at a time."),
            field="starts_on", name=employee.name, team=clash.team, start=clash.starts_on,
            end=clash.ends_on or _("now"),
        )


def _lock(employee: Employee) -> Employee:
    """Return the employee row locked for this transaction, so concurrent moves queue up."""
    return Employee.objects.select_for_update().get(pk=employee.pk)


@transaction.atomic
def membership_start(*, employee: Employee, team: Team, starts_on: date) -> Membership:
    """Return the new membership; an open membership elsewhere ends the day before (a team move)."""
    employee = _lock(employee)
    if employee.status == EmployeeStatus.LEFT:
        raise DomainError(_("%(name)s has left the company."), field="employee", name=employee.name)
    current = Membership.objects.filter(employee=employee, ends_on__isnull=True).first()
    if current and current.team_id == team.pk:
        return current
    if current:
        if current.starts_on >= starts_on:
            raise DomainError(_("%(name)s joined %(team)s on %(day)s; the move must come after."),
                              field="starts_on", name=employee.name, team=current.team, day=current.starts_on)
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    membership_check(employee=employee, starts_on=starts_on, ends_on=None)
    hooks.days_changed([starts_on])
    return Membership.objects.create(employee=employee, team=team, starts_on=starts_on)


@transaction.atomic
def membership_end(*, employee: Employee, ends_on: date) -> Membership | None:
    """Return the membership closed on `ends_on`, or None when the employee has no open one."""
    employee = _lock(employee)
    current = Membership.objects.filter(employee=employee, ends_on__isnull=True).first()
    if current is None:
        return None
    if ends_on < current.starts_on:
        raise DomainError(_("The membership of %(team)s starts on %(day)s."), field="ends_on", team=current.team,
                          day=current.starts_on)
    current.ends_on = ends_on
    current.save(update_fields=["ends_on"])
    hooks.days_changed([ends_on])
    return current


@transaction.atomic
def appointment_record(
    *, employee: Employee, position: Position, salary_grade: SalaryGrade, effective_from: date,
    reason: str = "", recorded_by: User | None = None,
) -> Appointment:
    """Return the appointment in force from `effective_from`; the history before it is kept as it was."""
    employee = _lock(employee)
    if effective_from < employee.hire_date:
        raise DomainError(_("%(name)s was hired on %(day)s."), field="effective_from", name=employee.name,
                          day=employee.hire_date)
    same_day = Appointment.objects.filter(employee=employee, effective_from=effective_from).first()
    if same_day:
        if same_day.position_id == position.pk and same_day.salary_grade_id == salary_grade.pk:
            return same_day
        raise DomainError(_("An appointment already takes effect on %(day)s; record the change on another date."),
                          field="effective_from", day=effective_from)
    before = appointment_at(employee, effective_from)
    if before and before.position_id == position.pk and before.salary_grade_id == salary_grade.pk:
        return before  # nothing changes; a duplicate row would only clutter the history
    return Appointment.objects.create(
        employee=employee, position=position, salary_grade=salary_grade, effective_from=effective_from,
        reason=reason, recorded_by=recorded_by,
    )


def appointment_at(employee: Employee, on: date) -> Appointment | None:
    """Return the appointment in force on `on`, or None before the first one."""
    return (
        Appointment.objects.filter(employee=employee, effective_from__lte=on)
        .select_related("position", "salary_grade").order_by("-effective_from").first()
    )


@transaction.atomic
def employee_hire(
    *, username: str, password: str | None, role: str, employee_number: str, name: str, hire_date: date,
    probation_end: date, position: Position, salary_grade: SalaryGrade, team: Team | None = None,
    recorded_by: User | None = None,
) -> Employee:
    """Return the new employee with a log-in, a first appointment and (for reps) a team.

    Without a password the log-in cannot sign in until one is set.
    """
    if probation_end < hire_date:
        raise DomainError(_("The probation must end on or after the hire date."), field="probation_end")
    if Employee.objects.filter(employee_number=employee_number).exists():
        raise DomainError(_("Employee number %(number)s is taken."), field="employee_number", number=employee_number)
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The log-in name %(name)s is taken."), field="username", name=username)
    user = User.objects.create_user(username=username, password=password, role=role,
                                    is_staff=access.opens_admin(role))
    employee = Employee.objects.create(user=user, employee_number=employee_number, name=name,
                                       hire_date=hire_date, probation_end=probation_end)
    appointment_record(employee=employee, position=position, salary_grade=salary_grade,
                       effective_from=hire_date, reason="入职", recorded_by=recorded_by)
    if team is not None:
        membership_start(employee=employee, team=team, starts_on=hire_date)
    return employee


@transaction.atomic
def employee_leave(*, employee: Employee, left_on: date, reason: str, today: date | None = None) -> Employee:
    """Return the employee marked as left on `left_on`, their team membership closed that day; their log-in ends
    now when that day has come by `today` (default: the clock's), else on the day (leavers_access_end)."""
    employee = _lock(employee)
    if not reason.strip():
        raise DomainError(_("Say why the employee leaves."), field="leaving_reason")
    if left_on < employee.hire_date:
        raise DomainError(_("%(name)s was hired on %(day)s."), field="left_on", name=employee.name,
                          day=employee.hire_date)
    if Membership.objects.filter(employee=employee, starts_on__gt=left_on).exists():
        raise DomainError(_("A team membership starts after this date; remove it first."), field="left_on")
    membership_end(employee=employee, ends_on=left_on)
    Membership.objects.filter(employee=employee, ends_on__gt=left_on).update(ends_on=left_on)
    employee.status, employee.left_on, employee.leaving_reason = EmployeeStatus.LEFT, left_on, reason
    employee.save(update_fields=["status", "left_on", "leaving_reason"])
    if left_on <= (today or clock.today()):  # a date still to come: the log-in works until then
        _access_end(employee.user, employee)
    return employee


@transaction.atomic
def employee_contract_set(*, employee: Employee, contract_end: date | None) -> Employee:
    """Return the employee with their contract's end date (None: no end date), refusing one before the hire."""
    employee = _lock(employee)
    if contract_end is not None and contract_end < employee.hire_date:
        raise DomainError(_("%(name)s was hired on %(day)s."), field="contract_end", name=employee.name,
                          day=employee.hire_date)
    if employee.contract_end != contract_end:
        employee.contract_end = contract_end
        employee.save(update_fields=["contract_end"])
    return employee


def team_assign_manager(*, team: Team, manager: Employee | None) -> Team:
    """Return the team led from now on by `manager` (whose log-in must have the manager role)."""
    if manager is not None and not access.may_lead_a_team(manager.user):
        raise DomainError(_("%(name)s does not have the manager role."), field="manager", name=manager.name)
    if team.manager_id != (manager.pk if manager else None):
        team.manager = manager
        team.save(update_fields=["manager"])
    return team


def _new_manager_check(manager: Employee, effective_on: date) -> None:
    if manager.status == EmployeeStatus.LEFT:
        raise DomainError(_("%(name)s has left the company."), field="manager", name=manager.name)
    if effective_on < manager.hire_date:
        raise DomainError(_("%(name)s was hired on %(day)s."), field="effective_on", name=manager.name,
                          day=manager.hire_date)
    if not access.may_be_given_a_team(manager.user):
        raise DomainError(_("%(name)s's log-in is not a sales one: only a sales rep or manager leads a team."),
                          field="manager", name=manager.name)


@transaction.atomic
def team_manager_change(*, team: Team, manager: Employee | None, effective_on: date, reason: str, by: User,
                        source: models.Model | None = None) -> TeamManagerChange | None:
    """Return the recorded change: from `effective_on` `manager` leads the team (None: nobody does), or None when
    they already do.

    The team's `manager` is who leads it now, so the change is recorded on or after the day it takes effect (a
    promotion case is applied then). A rep made manager gets the manager role and stops being one of the reps:
    their open membership ends the day before. The manager they replace keeps their role (HR changes it if their
    new position needs another).
    """
    team = Team.objects.select_for_update().get(pk=team.pk)
    new_id = manager.pk if manager else None
    if team.manager_id == new_id:
        return None
    why = reason.strip() if isinstance(reason, str) else ""
    if not why:
        raise DomainError(_("Say why the team's manager changes."), field="reason")
    if effective_on > clock.today():
        raise DomainError(_("A change of manager is recorded once it takes effect (%(day)s), not before."),
                          field="effective_on", day=effective_on)
    if manager is not None:
        manager = _lock(manager)
        _new_manager_check(manager, effective_on)
        if not access.may_lead_a_team(manager.user):  # a rep promoted to lead the team
            manager.user.role = Role.MANAGER
            manager.user.save(update_fields=["role"])
        current = Membership.objects.filter(employee=manager, ends_on__isnull=True).first()
        if current is not None and current.starts_on < effective_on:
            membership_end(employee=manager, ends_on=effective_on - timedelta(days=1))
    change = TeamManagerChange.objects.create(
        team=team, old_manager_id=team.manager_id, new_manager=manager, effective_on=effective_on, reason=why[:200],
        source_type=subject_type(source) if source is not None else "",
        source_id=source.pk if source is not None else None, recorded_by=by)
    team.manager = manager
    team.save(update_fields=["manager"])
    return change


def leavers_access_end(*, on: date) -> list[int]:
    """Return the ids of the log-ins closed: each whose employee has left by `on` and could still sign in, made
    inactive with an access event. A second run closes none (the log-in already refuses them: this makes it
    visible, and ends what reads `is_active`, such as API tokens)."""
    with transaction.atomic():
        users = list(User.objects.select_for_update(of=("self",)).select_related("employee")
                     .filter(left_by(on), is_active=True).order_by("pk"))
        for user in users:
            _access_end(user, user.employee)
    return [user.pk for user in users]


def _access_end(user: User, employee: Employee) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.access_event(audit.ACCESS_ENDED, user=user, detail=f"{employee.name}: left on {employee.left_on.isoformat()}")
