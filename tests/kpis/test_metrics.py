"""The metric registry and its formulas, and how a cell's text becomes a number: no database needed."""

from decimal import Decimal

import pytest

from kpis import metrics
from kpis.metrics import PeriodFigures
from kpis.services import parse_value

ENTERED = {"new_customers": 6, "engaged_customers": 10, "accounts_opened": 4,
           "new_customer_deposits": Decimal("300000.00"), "existing_customer_deposits": Decimal("200000.50"),
           "trading_volume": Decimal("9000000.00")}


def derived(**context: object) -> dict[str, Decimal | None]:
    values = {**ENTERED, **context.pop("values", {})}
    return metrics.derive(PeriodFigures(values=values, **context))


# --- the registry -------------------------------------------------------------------------


def test_the_registry_numbers_the_seeds_eleven_metrics_in_order():
    numbered = [m for m in metrics.REGISTRY if m.number is not None]
    assert [m.number for m in numbered] == list(range(1, 12))
    assert [m.code for m in numbered] == [
        "new_customers", "engaged_customers", "accounts_opened", "new_customer_deposits",
        "existing_customer_deposits", "total_deposits", "trading_volume", "customer_growth_rate",
        "performance_growth_rate", "planned_target", "actual_achieved"]


def test_entered_and_derived_metrics_split_the_registry_and_codes_are_unique():
    codes = [m.code for m in metrics.REGISTRY]
    assert len(codes) == len(set(codes))
    assert {m.code for m in metrics.ENTERED} == set(ENTERED)
    assert set(metrics.ENTERED) | set(metrics.DERIVED) == set(metrics.REGISTRY)
    assert all(m.formula is not None for m in metrics.DERIVED)


@pytest.mark.parametrize(("code", "unit"), [("new_customers", "count"), ("total_deposits", "cny"),
                                            ("customer_growth_rate", "percent"), ("close_rate", "percent")])
def test_each_metric_has_its_unit_and_both_labels(code, unit):
    metric = metrics.BY_CODE[code]
    assert metric.unit == unit and metric.label_zh and metric.label_en


# --- derived formulas ---------------------------------------------------------------------


def test_total_deposits_and_actual_achieved_add_new_and_existing_customer_deposits():
    result = derived()
    assert result["total_deposits"] == Decimal("500000.50")
    assert result["actual_achieved"] == Decimal("500000.50")


@pytest.mark.parametrize(("base", "expected"), [(20, Decimal("0.2")), (0, None), (None, None)])
def test_customer_growth_rate_is_accounts_opened_over_the_opening_base(base, expected):
    assert derived(customer_base=base)["customer_growth_rate"] == expected


@pytest.mark.parametrize(("previous", "expected"), [
    (Decimal("400000.40"), Decimal("0.25")), (Decimal("1000001.00"), Decimal("-0.5")), (0, None), (None, None)])
def test_performance_growth_against_the_previous_period(previous, expected):
    assert derived(previous_total=previous)["performance_growth_rate"] == expected


@pytest.mark.parametrize(("year_ago", "expected"), [(Decimal("250000.25"), Decimal(1)), (0, None), (None, None)])
def test_performance_growth_against_the_same_period_a_year_before(year_ago, expected):
    assert derived(year_ago_total=year_ago)["performance_growth_yoy"] == expected


@pytest.mark.parametrize(("target", "planned", "attainment"), [
    (1_000_001, Decimal(1_000_001), Decimal("0.5")), (0, Decimal(0), None), (None, None, None)])
def test_planned_target_and_attainment(target, planned, attainment):
    result = derived(target=target)
    assert result["planned_target"] == planned
    assert result["attainment"] == attainment


@pytest.mark.parametrize(("engaged", "expected"), [(10, Decimal("0.4")), (5, Decimal("0.8")), (0, None)])
def test_close_rate_is_accounts_opened_over_engaged_customers(engaged, expected):
    assert derived(values={"engaged_customers": engaged})["close_rate"] == expected


def test_a_quiet_week_gives_no_rates_rather_than_errors():
    quiet = {code: 0 for code in ENTERED}
    result = derived(values=quiet, target=0, customer_base=0, previous_total=Decimal(0), year_ago_total=Decimal(0))
    assert result["total_deposits"] == 0
    for rate in ["customer_growth_rate", "performance_growth_rate", "performance_growth_yoy", "attainment",
                 "close_rate"]:
        assert result[rate] is None


# --- parse_value: what a cell may hold ----------------------------------------------------

COUNT, MONEY = metrics.BY_CODE["accounts_opened"], metrics.BY_CODE["new_customer_deposits"]


@pytest.mark.parametrize(("metric", "raw", "expected"), [
    (COUNT, "3", 3), (COUNT, 7, 7), (COUNT, " 12 ", 12), (COUNT, "4.0", 4), (COUNT, "1,200", 1200),
    (COUNT, "", 0), (COUNT, None, 0), (COUNT, "   ", 0),
    (MONEY, "1234.5", Decimal("1234.50")), (MONEY, "1,234,567.89", Decimal("1234567.89")),
    (MONEY, 50000, Decimal("50000.00")), (MONEY, "0", Decimal("0.00")), (MONEY, "", Decimal(0)),
    # As a Chinese user writes them every day: 万, full-width digits and commas, the yuan sign.
    (MONEY, "12万", Decimal("120000.00")), (MONEY, "1.2万", Decimal("12000.00")), (COUNT, "１，２００", 1200),
    (MONEY, "¥1,200.00", Decimal("1200.00")), (MONEY, "￥１２００", Decimal("1200.00")), (COUNT, "3万", 30000),
])
def test_a_cell_becomes_its_metrics_number(metric, raw, expected):
    value = parse_value(metric, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("metric", "raw", "message"), [
    (COUNT, "2.5", "A count is a whole number."),
    (COUNT, "-1", "Figures cannot be negative."),
    (MONEY, "-0.01", "Figures cannot be negative."),
    (MONEY, "10.005", "Money has at most two decimals."),
    (COUNT, "three", "is not a number"),
    (MONEY, "12亿万", "is not a number"),
    (COUNT, "1.5万5", "is not a number"),
    (COUNT, "3000000000", "at most 2,147,483,647"),
    (COUNT, "1e20", "at most 2,147,483,647"),
    (COUNT, "1e999999999", "too large"),
    (COUNT, "9" * 5000, "too long to be a number"),
    (MONEY, "1e999999999", "too large"),
    (MONEY, "NaN", "is not a number"),
    (MONEY, "Infinity", "is not a number"),
    (MONEY, "1e12", "too large"),
])
def test_a_bad_cell_is_refused_with_a_reason(metric, raw, message):
    with pytest.raises(ValueError, match=message):
        parse_value(metric, raw)
