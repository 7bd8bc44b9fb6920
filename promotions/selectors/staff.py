"""Who holds which position, in which team, on a day: for many people at once, in four queries whatever their
number (the pool, the contracts and the vacancies all read people this way)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from teams.models import Appointment, Employee, Membership, Position, Team, membership_during


@dataclass(frozen=True)
class OnTheDay:
    """A person on a day: their position (None before their first appointment) and their team: the one they are
    a member of, else the first one they lead."""

    employee: Employee
    position: Position | None
    team: Team | None
    is_member: bool  # in the team as one of its reps, not only as its manager

    @property
    def team_id(self) -> int | None:
        return self.team.pk if self.team else None

    @property
    def team_name(self) -> str:
        return self.team.name if self.team else ""


def position_held(on: date) -> Subquery:
    """Return the position id of the outer employee's appointment in force on `on`: teams.services.appointment_at
    for a whole queryset."""
    return Subquery(Appointment.objects.filter(employee_id=OuterRef("pk"), effective_from__lte=on)
                    .order_by("-effective_from").values("position_id")[:1])


def on_the_day(people: QuerySet[Employee], on: date) -> dict[int, OnTheDay]:
    """Return {employee id: who they are on `on`} for the employees of `people` (four queries)."""
    rows = list(people.annotate(position_on_day=position_held(on)))
    positions = {position.pk: position for position in Position.objects.all()}  # a few rows: the ladder
    ids = people.values("pk")
    member_of = {m.employee_id: m.team for m in Membership.objects.filter(membership_during(on), employee_id__in=ids)
                 .select_related("team")}
    leads: dict[int, Team] = {}
    for team in Team.objects.filter(manager_id__in=ids).order_by("code"):
        leads.setdefault(team.manager_id, team)
    return {e.pk: OnTheDay(e, positions.get(e.position_on_day), member_of.get(e.pk) or leads.get(e.pk),
                           e.pk in member_of) for e in rows}


def team_lead_position() -> Position | None:
    """Return the position that leads a team: the lowest management position (销售经理 in the seed) (one query)."""
    return Position.objects.filter(is_management=True).order_by("level", "code").first()
