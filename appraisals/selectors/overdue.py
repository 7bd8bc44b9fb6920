"""Who holds which appraisal past its step's due date: HR's overdue list and the reminders read the same."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F

from teams.models import Role, User

from .. import calculations as calc
from ..models import Appraisal, Cycle


@dataclass(frozen=True)
class Overdue:
    appraisal: Appraisal
    step: str
    due_on: date
    holder: str  # calculations.RATER, APPRAISEE, HR or DIRECTOR
    users: list[User]  # who holds it: the rater's or the appraisee's log-in, or every active HR / director log-in


def overdue(today: date, cycle: Cycle | None = None) -> list[Overdue]:
    """Return the appraisals of open cycles held past their current step's due date, most overdue first (two
    queries)."""
    rows = (Appraisal.objects.filter(cycle__status=Cycle.Status.OPEN, cycle__deadlines__step=F("state"),
                                     cycle__deadlines__due_on__lt=today)
            .annotate(due_on=F("cycle__deadlines__due_on"))
            .select_related("cycle", "team", "employee__user", "rater__user").order_by("due_on", "pk"))
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    rows = list(rows)
    staff: dict[str, list[User]] = {calc.HR: [], calc.DIRECTOR: []}
    if any(calc.holder(a.state, a.is_manager) in staff for a in rows):
        for user in User.objects.filter(is_active=True, role__in=[Role.HR, Role.DIRECTOR]).order_by("pk"):
            staff[calc.HR if user.role == Role.HR else calc.DIRECTOR].append(user)
    found = []
    for a in rows:
        who = calc.holder(a.state, a.is_manager)
        users = {calc.RATER: [a.rater.user], calc.APPRAISEE: [a.employee.user]}.get(who) or staff.get(who, [])
        found.append(Overdue(a, a.state, a.due_on, who, users))
    return found
