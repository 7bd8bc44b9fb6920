"""The metric registry: the eleven KPIs of DOMAIN.md (and the close rate beside them), defined once.

Forms, the entry grid, the API, import/export columns, rollups and templates read this module.
Adding an entered metric is one `Metric` here plus a migration: WeeklyFigures grows a column per
entered metric from ENTERED.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import get_language

from .calculations import attainment, growth, ratio


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


Formula = Callable[[PeriodFigures], Decimal | None]


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


def _total(p: PeriodFigures) -> Decimal:
    return p.values["new_customer_deposits"] + p.values["existing_customer_deposits"]


REGISTRY: tuple[Metric, ...] = (
    Metric("new_customers", "新加客户数量", "New customers", Unit.COUNT, number=1),
    Metric("engaged_customers", "切入客户数量", "Engaged customers", Unit.COUNT, number=2),
    Metric("accounts_opened", "开户客户数量", "Accounts opened", Unit.COUNT, number=3),
    Metric("new_customer_deposits", "新客户入金量", "New-customer deposits", Unit.CNY, number=4),
    Metric("existing_customer_deposits", "老客户加金量", "Existing-customer deposits", Unit.CNY, number=5),
    Metric("total_deposits", "总计入金量", "Total deposits", Unit.CNY, _total, number=6),
    Metric("trading_volume", "客户交易量", "Trading volume", Unit.CNY, number=7),
    Metric("customer_growth_rate", "客户增长率", "Customer growth rate", Unit.PERCENT,
           lambda p: ratio(p.values["accounts_opened"], p.customer_base), number=8),
    Metric("performance_growth_rate", "业绩增长率（环比）", "Performance growth (vs previous)", Unit.PERCENT,
           lambda p: growth(_total(p), p.previous_total), number=9),
    Metric("performance_growth_yoy", "业绩增长率（同比）", "Performance growth (vs a year before)", Unit.PERCENT,
           lambda p: growth(_total(p), p.year_ago_total)),
    Metric("planned_target", "计划完成销售指标", "Planned target", Unit.CNY,
           lambda p: None if p.target is None else Decimal(p.target), number=10),
    Metric("actual_achieved", "实际完成销售指标", "Actual achieved", Unit.CNY, _total, number=11),
    Metric("attainment", "达成率", "Attainment", Unit.PERCENT, lambda p: attainment(_total(p), p.target)),
    Metric("close_rate", "成交率", "Close rate", Unit.PERCENT,
           lambda p: ratio(p.values["accounts_opened"], p.values["engaged_customers"])),
)
BY_CODE = {m.code: m for m in REGISTRY}
ENTERED: tuple[Metric, ...] = tuple(m for m in REGISTRY if m.entered)
DERIVED: tuple[Metric, ...] = tuple(m for m in REGISTRY if not m.entered)


def derive(period: PeriodFigures, metrics: tuple[Metric, ...] = DERIVED) -> dict[str, Decimal | None]:
    """Return every derived metric of the period by code; a rate without a base is None."""
    return {m.code: m.formula(period) for m in metrics}
