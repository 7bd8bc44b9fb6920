"""Managers' and specialists' contracts ending within six months, so a reserve for the same position is prepared
(the seed's 人才储备: 在经理或专员合同到期前六个月，准备同岗位的储备人才)."""

from dataclasses import dataclass
from datetime import date

from teams import access
from teams.access import Principal
from teams.models import EmployeeStatus

from .. import calculations as calc
from ..models import Rung
from .candidates import Filters
from .staff import OnTheDay, on_the_day

CONTRACT_MONTHS = 6
SPECIALIST = "senior_rep"  # the seed's specialist (专员) among the sales staff: the senior rep


@dataclass(frozen=True)
class ContractEnding:
    staff: OnTheDay
    contract_end: date
    days_left: int
    has_reserve: bool  # a pool member among the reps of their team

    @property
    def employee(self):
        return self.staff.employee


def holds_senior_position(staff: OnTheDay) -> bool:
    """Return whether the person's position on the day is a manager's or a specialist's (not one they held once)."""
    return staff.position is not None and (staff.position.is_management or staff.position.code == SPECIALIST)


def contracts_ending(p: Principal, on: date, filters: Filters = Filters(), *,  # noqa: B008
                     reserve_team_ids: set[int] = frozenset(), months: int = CONTRACT_MONTHS) -> list[ContractEnding]:
    """Return who holds a manager's or specialist's position on `on` and whose contract ends within `months`, the
    soonest first (five queries: four for the people, the rungs)."""
    until = calc.add_months(on, months)
    ending = access.visible_employees(p).filter(status=EmployeeStatus.ACTIVE, contract_end__gte=on,
                                                contract_end__lte=until)
    ladders = {r.position_id: r.ladder.code for r in Rung.objects.select_related("ladder")}
    found = []
    for staff in on_the_day(ending, on).values():
        if not holds_senior_position(staff) or not filters.keeps(
                team_id=staff.team_id, ladder=ladders.get(staff.position.pk, ""), position=staff.position.code):
            continue
        end = staff.employee.contract_end
        found.append(ContractEnding(staff, end, calc.days_left(on, end),
                                    staff.team_id in reserve_team_ids))
    return sorted(found, key=lambda c: (c.contract_end, c.employee.name))
