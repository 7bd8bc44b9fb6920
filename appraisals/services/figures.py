"""Data collection: each goal's actual taken from the rollups over the appraisal's period, in one query."""

from calendar import monthrange
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from kpis.metrics import ENTERED
from kpis.results.sweep import stale_months
from teams.errors import DomainError

from ..models import Appraisal, Cycle
from ..selectors.figures import current_actuals

# The metrics a goal may count: summable over months (an entered metric, or total deposits, which is their sum).
DEPOSITS = "total_deposits"
GOAL_METRICS = (*(m.code for m in ENTERED), DEPOSITS)


def period_of(cycle: Cycle) -> tuple[date, date]:
    """Return the cycle's first and last day."""
    last = cycle.last_month
    return cycle.first_month, last.replace(day=monthrange(last.year, last.month)[1])


def refuse_stale(cycle: Cycle) -> None:
    """Refuse while a month of the period is being recalculated: a frozen figure must never be a stale one."""
    stale = list(stale_months().filter(month__gte=cycle.first_month, month__lte=cycle.last_month)
                 .order_by("month").values_list("month", flat=True))
    if stale:
        raise DomainError(_("The figures of %(months)s are being recalculated; collect them again in a minute."),
                          field="figures", months=", ".join(f"{m:%Y-%m}" for m in stale))


def collect(appraisal: Appraisal, goals: list) -> dict[str, Decimal]:
    """Return the actuals to freeze on these goals of the appraisal, refusing while a month of the period is
    stale (two queries, whatever the number of goals or months)."""
    refuse_stale(appraisal.cycle)
    return current_actuals(appraisal, [g.metric for g in goals])
