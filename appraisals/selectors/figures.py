"""The frozen figures beside the current rollups: "figures changed since this snapshot"."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from kpis.results.models import RepMonthResult, TeamMonthResult

from ..models import Appraisal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class GoalDifference:
    metric: str
    frozen: Decimal
    current: Decimal

    @property
    def difference(self) -> Decimal:
        return self.current - self.frozen


def current_actuals(appraisal: Appraisal, metrics: list[str]) -> dict[str, Decimal]:
    """Return {metric: the sum over the period's months} from the rollups now, in one query: a rep's rows in every
    team they were in; a manager's, the rows of the teams they lead."""
    cycle = appraisal.cycle
    months = Q(month__gte=cycle.first_month, month__lte=cycle.last_month)
    if appraisal.is_manager:
        rows = TeamMonthResult.objects.filter(months, team__manager_id=appraisal.employee_id)
    else:
        rows = RepMonthResult.objects.filter(months, employee_id=appraisal.employee_id)
    sums = rows.aggregate(**{m: Sum(m) for m in metrics}) if metrics else {}
    return {m: (sums[m] or Decimal(0)).quantize(CENT) for m in metrics}


def figures_changed(appraisal: Appraisal) -> list[GoalDifference]:
    """Return each goal whose frozen actual differs from the rollups now (none before the figures are collected;
    two queries)."""
    if appraisal.snapshot_at is None:
        return []
    goals = list(appraisal.goals.order_by("position"))
    now = current_actuals(appraisal, [g.metric for g in goals])
    return [GoalDifference(g.metric, g.actual, now[g.metric]) for g in goals
            if g.actual is not None and g.actual != now[g.metric]]
