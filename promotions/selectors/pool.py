"""The manager reserve pool (人才储备): reps rated 优秀 in at least N of their last M published cycles, with their
place in the company ranking over the last months (the seed: managers are picked from repeated appraisals)."""

from dataclasses import dataclass
from datetime import date

from appraisals.models import Level
from appraisals.selectors.results import published_results
from kpis.results.models import PeriodPlacing
from teams import access
from teams.access import Principal
from teams.models import EmployeeStatus

from .. import calculations as calc
from ..models import ReservePoolRule, Rung
from .candidates import Filters
from .staff import OnTheDay, on_the_day

RANKING_MONTHS = 6  # the ranking history shown for each member: the last six months' company ranks


@dataclass(frozen=True)
class PoolMember:
    staff: OnTheDay
    ladder: str  # the code of their position's ladder ("" when it is on none)
    standing: calc.PoolStanding
    ranks: tuple[PeriodPlacing | None, ...]  # one per month of Pool.months; None: not ranked that month

    @property
    def employee(self):
        return self.staff.employee


@dataclass(frozen=True)
class Pool:
    rule: ReservePoolRule
    months: tuple[date, ...]
    members: list[PoolMember]  # most excellent first

    def shown(self, filters: Filters) -> list[PoolMember]:
        """Return the members the page's team, ladder and position filters keep, in the page's sort."""
        kept = [m for m in self.members if filters.keeps(team_id=m.staff.team_id, ladder=m.ladder,
                                                         position=m.staff.position.code)]
        keys = {"name": lambda m: m.employee.name, "team": lambda m: (m.staff.team_name, m.employee.name),
                "position": lambda m: (m.staff.position.level, m.employee.name)}
        return sorted(kept, key=keys[filters.sort]) if filters.sort in keys else kept

    def team_ids(self) -> set[int]:
        """Return the teams that have a reserve: a pool member among their reps."""
        return {m.staff.team_id for m in self.members if m.staff.team_id}


def pool_rule() -> ReservePoolRule:
    """Return the pool's rule (with who set it): the one row, or the seed's defaults (2 of the last 3) until HR
    first saves it."""
    return (ReservePoolRule.objects.select_related("changed_by__employee").order_by("pk").first()
            or ReservePoolRule(excellent_in=2, cycles=3))


def rule_version(rule: ReservePoolRule) -> str:
    """Return the stamp a rule form carries, so a save over someone else's newer change is refused."""
    return rule.changed_at.isoformat() if rule.changed_at else ""


def reserve_pool(p: Principal, on: date) -> Pool:
    """Return the pool on `on`: every active rep the principal sees whose last cycles meet the rule (nine queries:
    the rule, four for the people, rungs, two for the results, the placings)."""
    rule = pool_rule()
    staff = on_the_day(access.visible_employees(p).filter(status=EmployeeStatus.ACTIVE), on)
    # reps: in a team as its members, in a position that is not management (managers are what the pool is for)
    reps = {pk: s for pk, s in staff.items() if s.is_member and s.position and not s.position.is_management}
    ladders = {r.position_id: r.ladder.code for r in Rung.objects.select_related("ladder")}
    results = published_results(reps)
    counted = calc.PoolRule(rule.excellent_in, rule.cycles)
    standings = {pk: calc.pool_standing(_ratings(results.get(pk, [])), counted, excellent=Level.EXCELLENT, on=on)
                 for pk in reps}
    chosen = [pk for pk, standing in standings.items() if standing.member]
    months = calc.recent_months(on, RANKING_MONTHS)
    placed = {(row.employee_id, row.first_month): row for row in PeriodPlacing.objects.filter(
        period=PeriodPlacing.Period.MONTH, first_month__in=months, employee_id__in=chosen)}
    members = [PoolMember(reps[pk], ladders.get(reps[pk].position.pk, ""), standings[pk],
                          tuple(placed.get((pk, month)) for month in months)) for pk in chosen]
    members.sort(key=lambda m: (-m.standing.excellent, m.employee.name))
    return Pool(rule, months, members)


def _ratings(results) -> list[calc.RatingResult]:
    return [calc.RatingResult(calc.month_end(r.last_month), r.rating, r.label_zh, "") for r in results]
