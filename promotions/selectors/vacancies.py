"""Manager positions open or opening within the horizon, each with its internal candidates: the reserve pool first
(its members in the team before the others), then whoever else is eligible for the step into the position (the
seed: 职位空缺时，优先考虑内部人员)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q
from django.utils.translation import gettext as _

from teams import access
from teams.access import Principal
from teams.models import Employee, Position, Team

from .. import calculations as calc
from ..models import CaseKind, CaseState, PromotionCase
from .candidates import Candidate, Filters
from .pool import Pool
from .staff import on_the_day, team_lead_position

SHORTLIST = 10  # internal candidates listed per vacancy; the page says how many more there are


@dataclass(frozen=True)
class Internal:
    employee: Employee
    team_name: str
    position: Position
    in_pool: bool
    same_team: bool
    eligibility: calc.Eligibility | None  # for the step into the open position, when one leads there from theirs


@dataclass(frozen=True)
class Vacancy:
    team: Team
    manager: Employee | None
    position: Position  # the position to fill: the manager's own, else the team-lead position
    opening: calc.Opening
    internal: list[Internal]  # all of them, the reserve pool first

    @property
    def shortlist(self) -> list[Internal]:
        return self.internal[:SHORTLIST]

    @property
    def more(self) -> int:
        """Return how many internal candidates the shortlist leaves out."""
        return max(len(self.internal) - SHORTLIST, 0)

    def is_open(self, on: date) -> bool:
        return self.opening.opens_on <= on

    @property
    def why(self) -> str:
        """Return why the position opens, in plain words."""
        reason, left_on = self.opening.reason, self.manager.left_on if self.manager else None
        if reason == calc.NO_MANAGER:
            return _("No manager leads the team")
        if reason == calc.MANAGER_LEFT:
            return _("The manager left on %(day)s") % {"day": left_on.isoformat()}
        if reason == calc.NOT_IN_POSITION:
            return _("The manager no longer holds a management position")
        if reason == calc.LEAVING:
            return _("The manager leaves on %(day)s") % {"day": left_on.isoformat()}
        return _("An approved case takes the manager out of the position on %(day)s") % {
            "day": self.opening.opens_on.isoformat()}


def vacancies(p: Principal, on: date, filters: Filters, *, pool: Pool, eligible: Iterable[Candidate]) -> list[Vacancy]:
    """Return the teams whose manager position is open on `on` or opens within the horizon, soonest first.

    `pool` is the whole reserve pool and `eligible` every candidate of all of sales (the page's own lists, so
    nothing is read twice): a vacancy is filled from anywhere in sales, whatever team the page shows. Seven
    queries: the teams, four for their managers, the approved cases, the team-lead position.
    """
    until = calc.add_months(on, filters.horizon_months)
    teams = [t for t in access.visible_teams(p).filter(is_active=True).select_related("manager").order_by("name")
             if not filters.team_id or t.pk == filters.team_id]
    manager_ids = [t.manager_id for t in teams if t.manager_id]
    managers = on_the_day(Employee.objects.filter(pk__in=manager_ids), on)
    moving_out: dict[int, list[date]] = defaultdict(list)
    # an approved case not yet applied takes the manager out of the position: a release, or another position
    for case in PromotionCase.objects.filter(Q(kind=CaseKind.RELEASE) | ~Q(to_position=F("from_position")),
                                             state=CaseState.APPROVED, employee_id__in=manager_ids):
        moving_out[case.employee_id].append(case.effective_on)
    lead_position = team_lead_position()
    by_step = defaultdict(list)
    for c in eligible:
        if c.eligibility.verdict == calc.NOW or (c.eligibility.verdict == calc.FROM and c.eligibility.eligible_from
                                                 <= until):
            by_step[c.to_position.pk].append(c)
    found = []
    for team in teams:
        held = managers.get(team.manager_id)
        lead = None if held is None else calc.TeamLead(
            held.employee.left_on, bool(held.position and held.position.is_management),
            tuple(moving_out[team.manager_id]))
        opening = calc.opening(lead, on=on, until=until)
        if opening is None:
            continue
        position = held.position if held and held.position and held.position.is_management else lead_position
        if position is None:
            continue  # no management position is set up: nothing to fill
        internal = _internal(team, pool, by_step.get(position.pk, []))
        found.append(Vacancy(team, team.manager, position, opening, internal))
    return sorted(found, key=lambda v: (v.opening.opens_on, v.team.name))


def _internal(team: Team, pool: Pool, eligible: list[Candidate]) -> list[Internal]:
    """Return the vacancy's internal candidates: pool members of the team, other pool members, then the others
    eligible for the step into the position (soonest first)."""
    steps = {c.employee.pk: c.eligibility for c in eligible}
    members = sorted(pool.members, key=lambda m: m.staff.team_id != team.pk)  # stable: the pool's order within
    listed = [Internal(m.employee, m.staff.team_name, m.staff.position, True, m.staff.team_id == team.pk,
                       steps.get(m.employee.pk)) for m in members]
    in_pool = {m.employee.pk for m in members}
    others = sorted((c for c in eligible if c.employee.pk not in in_pool), key=lambda c: (c.sort_day, c.employee.name))
    listed += [Internal(c.employee, c.team_name, c.position, False, c.team_name == team.name, c.eligibility)
               for c in others]
    return listed
