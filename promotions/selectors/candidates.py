"""HR's candidates: everyone active, for each step up from their position, with the engine's verdict."""

from dataclasses import dataclass
from datetime import date

from teams import access
from teams.access import Principal
from teams.models import Employee, EmployeeStatus, Membership, Position, membership_during

from .. import calculations as calc
from ..models import Rung
from .eligibility import current_position, inputs_for, requirements_in_force, steps_up

SORTS = ("eligible_from", "name", "team", "position")


@dataclass(frozen=True)
class Candidate:
    employee: Employee
    team_name: str
    position: Position
    ladder: str
    to_position: Position
    eligibility: calc.Eligibility

    @property
    def sort_day(self) -> date:
        return self.eligibility.eligible_from or date.max


@dataclass(frozen=True)
class Filters:
    horizon_months: int = 3
    with_not_eligible: bool = False
    team_id: int | None = None
    ladder: str = ""
    position: str = ""
    sort: str = "eligible_from"

    @property
    def narrows_people(self) -> bool:
        """Return whether the filters keep only some people (a team, a ladder, a position)."""
        return bool(self.team_id or self.ladder or self.position)

    def keeps(self, *, team_id: int | None, ladder: str, position: str) -> bool:
        """Return whether someone of this team, ladder and position (codes) passes the filters."""
        return ((not self.team_id or team_id == self.team_id) and (not self.ladder or ladder == self.ladder)
                and (not self.position or position == self.position))


def candidates(p: Principal, on: date, filters: Filters = Filters()) -> list[Candidate]:  # noqa: B008
    """Return the candidates eligible now, within the horizon (with the day) and, on request, the rest (11 queries)."""
    people = {e.pk: e for e in access.visible_employees(p).filter(status=EmployeeStatus.ACTIVE)}
    teams = {m.employee_id: m.team for m in Membership.objects.filter(membership_during(on), employee_id__in=people)
             .select_related("team")}
    if filters.team_id:
        people = {pk: e for pk, e in people.items() if pk in teams and teams[pk].pk == filters.team_id}
    rungs = {r.position.code: r for r in Rung.objects.select_related("position", "ladder")}
    positions = {pos.code: pos for pos in Position.objects.all()}
    ups, requirements, inputs = steps_up(), requirements_in_force(on), inputs_for(people, loaded=people.values())
    until = calc.add_months(on, filters.horizon_months)
    found = []
    for pk, employee in people.items():
        code = current_position(inputs[pk], on)
        rung = rungs.get(code)
        ladder = rung.ladder.code if rung else ""
        if code is None or (filters.position and code != filters.position) or (filters.ladder and
                                                                               ladder != filters.ladder):
            continue
        for to in ups.get(code, []):
            result = calc.eligibility(inputs[pk].history, inputs[pk].results, inputs[pk].training,
                                      requirements.get((code, to.code)), on=on)
            wanted = (result.verdict == calc.NOW or (result.verdict == calc.FROM and result.eligible_from <= until)
                      or filters.with_not_eligible)
            if wanted:
                found.append(Candidate(employee, teams[pk].name if pk in teams else "", positions[code], ladder, to,
                                       result))
    keys = {"eligible_from": lambda c: (c.sort_day, c.employee.name), "name": lambda c: c.employee.name,
            "team": lambda c: (c.team_name, c.employee.name), "position": lambda c: (c.position.level, c.employee.name)}
    return sorted(found, key=keys.get(filters.sort, keys["eligible_from"]))

