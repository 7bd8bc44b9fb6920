"""What the rules read: a closed period's results for each rep or team, from the stored rollups and placings.

A rep's attainment and place come from kpis' PeriodPlacing (the company ranking, with its exclusions); other
metrics from the rep's month rows (an entered figure sums over the period and over the teams a mover was in; a
rate is read only where the rep has one row in a month). A team's phase attainment is its deposits over its
target across the phase's months. One query per level and period, whatever the size.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from kpis.metrics import BY_CODE
from kpis.models import MonthClose
from kpis.results.models import PeriodPlacing, RepMonthResult, RollupMonth, TeamMonthResult
from targets.models import PlanMonth
from teams.models import Employee, Team

from ..calculations import BOTTOM, Hire, Result, month_end
from ..models import PeriodKind, Rule, Scope


@dataclass(frozen=True)
class Period:
    kind: str                # PeriodKind.MONTH or PHASE
    first_month: date
    months: tuple[date, ...]

    @property
    def last_day(self) -> date:
        return month_end(self.months[-1])


def periods_closed_by(month: date) -> list[Period]:
    """Return the periods whose results are final once `month` is closed: the month, and its phase when `month`
    is the phase's last (and every month of the phase is closed)."""
    periods = [Period(PeriodKind.MONTH, month, (month,))]
    phase = PlanMonth.objects.filter(month=month).values_list("phase_id", flat=True).first()
    months = tuple(PlanMonth.objects.filter(phase_id=phase).order_by("month").values_list("month", flat=True))
    if months and months[-1] == month and MonthClose.objects.filter(month__in=months, closed=True).count() == len(
            months):
        periods.append(Period(PeriodKind.PHASE, months[0], months))
    return periods


def months_not_current(months: Sequence[date]) -> list[date]:
    """Return which of the months' rollups are not current (never computed, or a recompute pending)."""
    rows = {row.month: row for row in RollupMonth.objects.filter(month__in=months)}
    return [m for m in months if m not in rows or rows[m].computed_at is None or rows[m].pending]


def _left(left_on: date | None, period: Period) -> bool:
    return left_on is not None and left_on <= period.last_day


def rep_results(rule: Rule, period: Period) -> tuple[list[Result], dict[int, str]]:
    """Return each rep's result for the rule's metric in the period, and their names."""
    if rule.metric == "attainment" or rule.comparison == BOTTOM:
        rows = (PeriodPlacing.objects.filter(period=period.kind, first_month=period.first_month)
                .values("employee_id", "employee__name", "employee__left_on", "attainment", "excluded", "flagged",
                        "consecutive"))
        return ([Result(r["employee_id"], None if r["excluded"] else r["attainment"],
                        _left(r["employee__left_on"], period), r["flagged"], r["consecutive"]) for r in rows],
                {r["employee_id"]: r["employee__name"] for r in rows})
    rows = RepMonthResult.objects.filter(month__in=period.months)
    if BY_CODE[rule.metric].entered:
        sums = rows.values("employee_id").annotate(value=Sum(rule.metric))
        values = {r["employee_id"]: r["value"] for r in sums}
    else:  # a rate: one row per rep in the month, else no value (a mover's rates are not added up)
        by_rep: dict[int, list[Decimal | None]] = defaultdict(list)
        for employee_id, value in rows.values_list("employee_id", rule.metric):
            by_rep[employee_id].append(value)
        values = {rep: found[0] if len(found) == 1 else None for rep, found in by_rep.items()}
    people = Employee.objects.filter(pk__in=values).values_list("pk", "name", "left_on")
    return ([Result(pk, values[pk], _left(left_on, period)) for pk, _name, left_on in people],
            {pk: name for pk, name, _left_on in people})


def team_results(rule: Rule, period: Period) -> tuple[list[Result], dict[int, str]]:
    """Return each team's result for the rule's metric in the period, and their names."""
    rows = TeamMonthResult.objects.filter(month__in=period.months)
    if rule.metric == "attainment" and period.kind == PeriodKind.PHASE:
        sums = rows.values("team_id").annotate(deposits=Sum("total_deposits"), target=Sum("deposit_target"))
        values = {r["team_id"]: (r["deposits"] / r["target"] if r["target"] else None) for r in sums}
    elif BY_CODE[rule.metric].entered:
        values = {r["team_id"]: r["value"] for r in rows.values("team_id").annotate(value=Sum(rule.metric))}
    else:
        values = dict(rows.values_list("team_id", rule.metric))
    names = dict(Team.objects.filter(pk__in=values).values_list("pk", "name"))
    return [Result(pk, values[pk]) for pk in names], names


def results_for(rule: Rule, period: Period) -> tuple[list[Result], dict[int, str]]:
    return team_results(rule, period) if rule.scope == Scope.TEAM else rep_results(rule, period)


def referred_hires() -> tuple[list[Hire], dict[int, str]]:
    """Return every hire someone referred, and the names of hires and referrers."""
    rows = (Employee.objects.filter(referred_by__isnull=False)
            .values("pk", "name", "hire_date", "left_on", "referred_by_id", "referred_by__name",
                    "referred_by__left_on"))
    names = {r["pk"]: r["name"] for r in rows} | {r["referred_by_id"]: r["referred_by__name"] for r in rows}
    return ([Hire(r["pk"], r["referred_by_id"], r["hire_date"], r["left_on"], r["referred_by__left_on"])
             for r in rows], names)
