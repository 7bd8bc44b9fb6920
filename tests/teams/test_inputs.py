"""teams.inputs: every limit comes from the column that stores the value, and nothing typed can raise anything but
InputError or take long (the text is bounded before it is converted). Pure: no database."""

import contextlib
import string
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import models
from hypothesis import example, given, settings
from hypothesis import strategies as st

from teams import inputs

COUNT = models.PositiveIntegerField()
SMALL = models.PositiveSmallIntegerField()
MONEY = models.DecimalField(max_digits=14, decimal_places=2)
WEIGHT = models.DecimalField(max_digits=6, decimal_places=3)
REASON = models.CharField(max_length=300)

FAST = settings(max_examples=200, deadline=None)


def test_the_limits_are_the_columns():
    assert inputs.integer_range(COUNT) == (0, 2_147_483_647)
    assert inputs.integer_range(SMALL) == (0, 32_767)
    assert inputs.decimal_limit(MONEY) == Decimal("999999999999.99")
    assert inputs.decimal_limit(WEIGHT) == Decimal("999.999")


@FAST
@given(st.integers(min_value=0, max_value=2_147_483_647))
def test_every_count_the_column_holds_is_accepted(n):
    assert inputs.count(str(n), COUNT) == n
    assert inputs.count(f"{n:,}", COUNT) == n


@FAST
@given(st.integers(min_value=2_147_483_648, max_value=10**24))
def test_a_count_above_the_column_is_refused_with_the_limit(n):
    with pytest.raises(inputs.InputError, match="at most 2,147,483,647"):
        inputs.count(str(n), COUNT)


@FAST
@given(st.integers(min_value=32_768, max_value=10**9))
def test_a_smallint_column_refuses_above_32767(n):
    with pytest.raises(inputs.InputError, match="at most 32,767"):
        inputs.count(str(n), SMALL)


@FAST
@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_every_amount_the_column_holds_is_accepted(amount):
    assert inputs.amount(str(amount), MONEY) == amount


@FAST
@given(st.decimals(min_value=Decimal("1000000000000"), max_value=Decimal("1e25"), places=2))
def test_an_amount_above_the_column_is_refused(amount):
    with pytest.raises(inputs.InputError, match="too large"):
        inputs.amount(str(amount), MONEY)


@FAST
@given(st.decimals(min_value=0, max_value=Decimal("999.999"), places=3))
def test_every_weight_the_column_holds_is_accepted(weight):
    assert inputs.decimal(str(weight), WEIGHT) == weight


@FAST
@given(st.text(max_size=300))
def test_text_up_to_max_length_is_kept_and_longer_is_refused(value):
    assert inputs.text(value, REASON) == value.strip()
    with pytest.raises(inputs.InputError, match="At most 300 characters"):
        inputs.text("x" * 301 + value, REASON)


@FAST
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_of_the_served_years_is_accepted(day):
    assert inputs.day(day.isoformat()) == day
    assert inputs.month(f"{day:%Y-%m}") == day.replace(day=1)


@FAST
@given(st.one_of(st.dates(max_value=date(1999, 12, 31)), st.dates(min_value=date(2101, 1, 1))))
def test_a_day_outside_the_served_years_is_refused_with_the_range(day):
    with pytest.raises(inputs.InputError, match="Dates run from 2000 to 2100"):
        inputs.served_day(day)


@pytest.mark.parametrize(("typed", "expected"), [
    ("12万", Decimal("120000")), ("1.2万", Decimal("12000")), ("１，２００", Decimal(1200)),
    ("¥1,200.00", Decimal(1200)),
    ("￥１２００.５０", Decimal("1200.50")), ("1200元", Decimal(1200)), ("3亿", Decimal("300000000")),
    (" 1 200 ", Decimal(1200)), ("CNY 50", Decimal(50)),
])
def test_chinese_forms_of_a_number_are_understood(typed, expected):
    assert inputs.amount(typed, MONEY) == expected


@pytest.mark.parametrize("typed", ["1e999999999", "9" * 5000, "1" * 41, "1e31"])
def test_huge_numbers_are_refused_before_any_conversion(typed):
    with pytest.raises(inputs.InputError):
        inputs.count(typed, COUNT)


NUMBERISH = st.text(alphabet=string.digits + ".,eE+-万亿¥％%元 　１２３，。" + "０９", max_size=60)


@settings(max_examples=500, deadline=timedelta(milliseconds=200))
@given(st.one_of(st.text(max_size=80), NUMBERISH, st.integers(), st.floats(), st.none()))
@example("1e999999999")
@example("-0")
@example("NaN")
@example("1e-999999999")
def test_any_text_is_a_number_within_the_column_or_an_input_error(raw):
    """Every parser, fed anything: the value it returns fits its column, or it raises InputError; nothing else."""
    for parse, column in ((inputs.count, COUNT), (inputs.count, SMALL), (inputs.amount, MONEY),
                          (inputs.decimal, WEIGHT)):
        try:
            value = parse(raw, column)
        except inputs.InputError as error:
            assert error.message
            continue
        if value is not None:
            low, high = ((0, inputs.decimal_limit(column)) if isinstance(column, models.DecimalField)
                         else inputs.integer_range(column))
            assert low <= value <= high
    for parse in (inputs.day, inputs.month):
        with contextlib.suppress(inputs.InputError):
            assert inputs.FIRST_DAY <= parse(raw) <= inputs.LAST_DAY
