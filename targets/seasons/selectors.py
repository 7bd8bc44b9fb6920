"""Next year's draft from a plan: the new total spread by last year's deposits by month. Reads only."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from teams import hooks
from teams.errors import DomainError

from ..calculations import AllocationError, month_span, seasonal_targets, seasonal_weights, total_from_growth
from ..models import PlanYear
from ..selectors import plan_overview


@dataclass(frozen=True)
class DraftMonth:
    """A month of next year's draft beside the same month of the plan it comes from."""

    month: date
    last_target: int
    last_deposits: Decimal | None  # None: the month was not over yet, or nothing was reported in it
    deposit_target: int


@dataclass(frozen=True)
class PlanDraft:
    """Next year's plan drafted from a plan's seasons: the source's phases, the new total spread by last year's
    deposits by month. Nothing is saved: the director adjusts it in the plan editor."""

    source: PlanYear
    name: str
    first_month: date
    phases: list[tuple[str, int]]
    months: list[DraftMonth]
    basis: int  # last year's deposits, months without history estimated: what a growth percentage applies to

    @property
    def deposit_target(self) -> int:
        return sum(m.deposit_target for m in self.months)


def next_plan_draft(source: PlanYear, *, total: int | None = None, growth: Decimal | None = None,
                    as_of: date) -> PlanDraft:
    """Return next year's draft from `source`: `total` (or the basis grown by `growth` %) spread over the months
    in proportion to the source's deposits by month (two queries, and one for the deposits)."""
    overview = plan_overview(source)
    months = overview.months
    deposits = hooks.month_deposits(m.month for m in months)
    history = [deposits.get(m.month) if month_span(m.month.year, m.month.month)[1] < as_of else None
               for m in months]
    weights = seasonal_weights(history, [m.deposit_target for m in months])
    last_year = sum(weights, Fraction(0))
    if total is not None and total < 0:
        raise DomainError(_("The new total is a whole, non-negative number of yuan."), field="total")
    try:
        new_total = total if total is not None else total_from_growth(last_year, growth or Decimal(0))
    except AllocationError:
        raise DomainError(_("A growth below −100 % would make the plan negative."), field="growth") from None
    targets = seasonal_targets(new_total, weights)
    year = source.first_month.year
    name = source.name.replace(str(year), str(year + 1)) if str(year) in source.name else f"{year + 1}年度销售计划"
    return PlanDraft(
        source, name, source.first_month.replace(year=year + 1),
        [(p.phase.name, len(p.months)) for p in overview.phases],
        [DraftMonth(m.month.replace(year=m.month.year + 1), m.deposit_target, h, t)
         for m, h, t in zip(months, history, targets, strict=True)],
        total_from_growth(last_year, Decimal(0)),
    )
