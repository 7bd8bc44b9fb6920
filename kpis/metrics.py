"""The metric registry: the eleven KPIs of DOMAIN.md (and the close rate beside them), defined once.

Forms, the entry grid, the API, import/export columns, rollups and templates read this module.
Adding an entered metric is one `Metric` here plus a migration: WeeklyFigures grows a column per
entered metric from ENTERED.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import get_language

from .formulas import Added, Growth, Ratio, Target, Term


class Unit(models.TextChoices):
    COUNT = "count"
    CNY = "cny"
    PERCENT = "percent"


@dataclass(frozen=True)
class PeriodFigures:
    """What a derived metric is computed from: a period's entered sums and its context."""

    values: dict[str, Decimal]              # entered metric code -> sum over the period
    target: int | None = None               # the period's deposit target
    customer_base: int | None = None        # customers at the start of the period
    previous_total: Decimal | None = None   # total deposits of the previous period (环比)
    year_ago_total: Decimal | None = None   # total deposits of the same period a year before (同比)


# A derived metric's formula, in the vocabulary of kpis/formulas.py: callable on a PeriodFigures, and
# rendered as SQL by the rollups.
Formula = Added | Ratio | Growth | Target


@dataclass(frozen=True)
class Metric:
    code: str
    label_zh: str
    label_en: str
    unit: Unit
    formula: Formula | None = None  # None: entered weekly
    number: int | None = None       # its number in the seed's KPI list; None for companions
    header_aliases: tuple[str, ...] = ()

    @property
    def entered(self) -> bool:
        return self.formula is None

    @property
    def label(self) -> str:
        return self.label_zh if (get_language() or "zh-hans").startswith("zh") else self.label_en

    def model_field(self) -> models.Field:
        """Return the WeeklyFigures column for an entered metric."""
        return model_field(self.unit, self.label_en)


def model_field(unit: Unit, label: str = "") -> models.Field:
    """Return the column an entered metric of the unit is stored in (its limits are the inputs' limits)."""
    if unit == Unit.COUNT:
        return models.PositiveIntegerField(label, default=0)
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=Decimal(0))


_TOTAL = Added((Term("new_customer_deposits", money=True), Term("existing_customer_deposits", money=True)))
TOTAL = Term("total_deposits", money=True, of=_TOTAL)


REGISTRY: tuple[Metric, ...] = (
    Metric("new_customers", "新加客户数量", "New customers", Unit.COUNT, number=1),
    Metric("engaged_customers", "切入客户数量", "Engaged customers", Unit.COUNT, number=2),
    Metric("accounts_opened", "开户客户数量", "Accounts opened", Unit.COUNT, number=3),
    Metric("new_customer_deposits", "新客户入金量", "New-customer deposits", Unit.CNY, number=4),
    Metric("existing_customer_deposits", "老客户加金量", "Existing-customer deposits", Unit.CNY, number=5),
    Metric("total_deposits", "总计入金量", "Total deposits", Unit.CNY, _TOTAL, number=6),
    Metric("trading_volume", "客户交易量", "Trading volume", Unit.CNY, number=7),
    Metric("customer_growth_rate", "客户增长率", "Customer growth rate", Unit.PERCENT,
           Ratio(Term("accounts_opened", money=False), Term("customer_base", money=False)), number=8),
    Metric("performance_growth_rate", "业绩增长率（环比）", "Performance growth (vs previous)", Unit.PERCENT,
           Growth(TOTAL, Term("previous_total", money=True)), number=9),
    Metric("performance_growth_yoy", "业绩增长率（同比）", "Performance growth (vs a year before)", Unit.PERCENT,
           Growth(TOTAL, Term("year_ago_total", money=True))),
    Metric("planned_target", "计划完成销售指标", "Planned target", Unit.CNY,
           Target(), number=10),
    Metric("actual_achieved", "实际完成销售指标", "Actual achieved", Unit.CNY, _TOTAL, number=11),
    Metric("attainment", "达成率", "Attainment", Unit.PERCENT,
           Ratio(TOTAL, Term("target", money=False))),
    Metric("close_rate", "成交率", "Close rate", Unit.PERCENT,
           Ratio(Term("accounts_opened", money=False), Term("engaged_customers", money=False))),
)
BY_CODE = {m.code: m for m in REGISTRY}
ENTERED: tuple[Metric, ...] = tuple(m for m in REGISTRY if m.entered)
DERIVED: tuple[Metric, ...] = tuple(m for m in REGISTRY if not m.entered)


def derive(period: PeriodFigures, metrics: tuple[Metric, ...] = DERIVED) -> dict[str, Decimal | None]:
    """Return every derived metric of the period by code; a rate without a base is None."""
    return {m.code: m.formula(period) for m in metrics}
