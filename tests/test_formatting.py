"""How amounts, percentages and changes read, checked against strings written by hand; static/js/money.js must read
amounts the same (its browser test, tests/browser/test_money.py, walks the AMOUNTS table)."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from salesops.formatting import amount_text, moment_text, percent_text
from salesops.templatetags import money

# (yuan, what a Chinese reader sees, what an English reader sees). Written by hand, never computed.
AMOUNTS: list[tuple[int | Decimal | None, str, str]] = [
    (None, "—", "—"),
    (0, "0万", "CNY 0"),
    (10_000, "1万", "CNY 10,000"),
    (1_200_000, "120万", "CNY 1,200,000"),
    (335_000, "33.5万", "CNY 335,000"),
    (100_500, "10.05万", "CNY 100,500"),
    (14_000_000, "1,400万", "CNY 14,000,000"),
    (12_345_678, "1,234.57万", "CNY 12,345,678"),
    (100, "0.01万", "CNY 100"),
    (149, "0.01万", "CNY 149"),
    (150, "0.02万", "CNY 150"),  # a half rounds up
    (50, "0.01万", "CNY 50"),
    (49, "0万", "CNY 49"),
    (999, "0.1万", "CNY 999"),
    (1_000_000_050, "100,000.01万", "CNY 1,000,000,050"),
    (1_000_000_000_000, "100,000,000万", "CNY 1,000,000,000,000"),  # no 亿: amounts always read in 万
    (Decimal("12345.67"), "1.23万", "CNY 12,346"),
    (Decimal("9999.99"), "1万", "CNY 10,000"),
    (Decimal("1234.50"), "0.12万", "CNY 1,235"),
    (Decimal("1234.49"), "0.12万", "CNY 1,234"),
    (Decimal("0.5"), "0万", "CNY 1"),
    (-12_345_678, "-1,234.57万", "CNY -12,345,678"),
    (-150, "-0.02万", "CNY -150"),  # halves round away from zero, below zero too
    (Decimal("-1234.5"), "-0.12万", "CNY -1,235"),
    (-49, "0万", "CNY -49"),  # rounds to nothing: no "-0万"
    (Decimal("-0.4"), "0万", "CNY 0"),
]


@pytest.mark.parametrize(("yuan", "chinese", "english"), AMOUNTS)
def test_amount_reads_in_wan_for_chinese_and_whole_yuan_for_english(yuan, chinese, english):
    assert amount_text(yuan, "zh-hans") == chinese
    assert amount_text(yuan, "en") == english


def test_any_chinese_reads_in_wan_and_any_other_language_in_yuan():
    assert amount_text(12_345_678, "zh") == "1,234.57万"
    assert amount_text(12_345_678, "en-us") == "CNY 12,345,678"



@pytest.mark.parametrize(("yuan", "chinese", "english"), AMOUNTS)
def test_the_amount_filter_reads_in_the_active_language(yuan, chinese, english):
    with translation.override("zh-hans"):
        assert money.amount(yuan) == chinese
    with translation.override("en"):
        assert money.amount(yuan) == english


def test_the_amount_filter_reads_in_wan_when_no_language_is_active():
    with translation.override(None):  # LANGUAGE_CODE is zh-hans
        assert money.amount(1_200_000) == "120万"


# (ratio, as percent_text and the `percent` filter read it). Written by hand, never computed.
PERCENTS: list[tuple[Decimal | float | int | None, str]] = [
    (None, "—"),
    (0, "0.0%"),
    (Decimal("0"), "0.0%"),
    (Decimal("0.5"), "50.0%"),
    (1, "100.0%"),
    (Decimal("0.123"), "12.3%"),
    (Decimal("0.1234"), "12.3%"),
    (Decimal("0.1236"), "12.4%"),
    (Decimal("0.12349"), "12.3%"),
    (Decimal("0.1235"), "12.4%"),  # a half whose digit below is odd: up by either rule
    (Decimal("0.0004"), "0.0%"),
    (Decimal("0.00051"), "0.1%"),
    (Decimal("1.5"), "150.0%"),  # not capped
    (Decimal("123.4567"), "12345.7%"),  # no thousands separator
    (0.5, "50.0%"),
    (0.1, "10.0%"),
    (Decimal("-0.042"), "-4.2%"),
    (Decimal("-0.0449"), "-4.5%"),
    (Decimal("-2"), "-200.0%"),
]


@pytest.mark.parametrize(("ratio", "text"), PERCENTS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_percentage_reads_with_one_decimal_in_every_language(ratio, text, language):
    with translation.override(language):
        assert percent_text(ratio) == text
        assert money.percent(ratio) == text


@pytest.mark.parametrize(("ratio", "text"), [
    (Decimal("0.1225"), "12.3%"),
    (Decimal("0.0005"), "0.1%"),
    (Decimal("-0.1225"), "-12.3%"),
])
def test_a_half_percent_rounds_away_from_zero_as_amounts_do(ratio, text):
    assert percent_text(ratio) == text


def test_a_negative_percentage_that_rounds_to_zero_has_no_sign():
    assert percent_text(Decimal("-0.0004")) == "0.0%"


# (ratio, the <progress> value). Written by hand, never computed.
PROGRESS: list[tuple[Decimal | float | None, str]] = [
    (None, "0"),  # no base: an empty bar
    (Decimal("0"), "0.0"),
    (Decimal("0.5"), "50.0"),
    (Decimal("0.1234"), "12.3"),
    (Decimal("0.1236"), "12.4"),
    (Decimal("0.999"), "99.9"),
    (Decimal("1"), "100.0"),
    (Decimal("1.5"), "100.0"),  # capped: a bar cannot overflow
    (Decimal("123.4567"), "100.0"),
    (0.25, "25.0"),
]


@pytest.mark.parametrize(("ratio", "value"), PROGRESS)
def test_a_progress_value_is_a_percent_capped_at_100(ratio, value):
    assert money.percent_value(ratio) == value


# (ratio, as a change reads). Written by hand, never computed. The minus is U+2212, not a hyphen.
CHANGES: list[tuple[Decimal | float | None, str]] = [
    (None, "—"),
    (Decimal("0"), "+0.0%"),  # no change reads as a rise of nothing
    (Decimal("0.123"), "+12.3%"),
    (Decimal("0.1236"), "+12.4%"),
    (Decimal("0.1235"), "+12.4%"),
    (Decimal("-0.04"), "\u22124.0%"),
    (Decimal("-0.0449"), "\u22124.5%"),
    (Decimal("-1"), "\u2212100.0%"),
    (Decimal("1.5"), "+150.0%"),
    (Decimal("12.3456"), "+1234.6%"),
    (-0.25, "\u221225.0%"),
]


@pytest.mark.parametrize(("ratio", "text"), CHANGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_change_reads_with_its_sign_and_one_decimal(ratio, text, language):
    with translation.override(language):
        assert money.signed_percent(ratio) == text


@pytest.mark.parametrize(("ratio", "text"), [(Decimal("0.1225"), "+12.3%"), (Decimal("-0.1225"), "\u221212.3%")])
def test_a_half_change_rounds_away_from_zero_as_amounts_do(ratio, text):
    assert money.signed_percent(ratio) == text


@pytest.mark.parametrize(("value", "base", "ratio"), [
    (50, 200, Decimal("0.25")),
    (-30, 120, Decimal("-0.25")),
    (10, -40, Decimal("-0.25")),
    (0, 5, Decimal("0")),
    ("1200.50", 2401, Decimal("0.5")),
    (Decimal("14000000"), Decimal("1400"), Decimal("10000")),
    (None, 100, None),   # nothing to compare
    (100, 0, None),      # no base
    (100, None, None),
    (100, Decimal("0.00"), None),
])
def test_ratio_of_divides_by_the_base_and_gives_none_without_one(value, base, ratio):
    assert money.ratio_of(value, base) == ratio


def test_ratio_of_keeps_decimal_precision():
    third = money.ratio_of(1, 3)
    assert isinstance(third, Decimal) and third == Decimal("0.3333333333333333333333333333")


def test_attr_of_reads_a_column_by_its_code_and_none_when_there_is_none():
    class Week:
        accounts_opened = 4
        trading_volume = None

    assert money.attr_of(Week(), "accounts_opened") == 4
    assert money.attr_of(Week(), "trading_volume") is None
    assert money.attr_of(Week(), "no_such_metric") is None
    assert money.attr_of(None, "accounts_opened") is None


@pytest.mark.parametrize(("language", "html"), [
    ("zh-hans", "120万 · 33.3% · +12.3% · \u22124.0% · 50.0 · — · — · 335万"),
    ("en", "CNY 1,200,000 · 33.3% · +12.3% · \u22124.0% · 50.0 · — · — · CNY 3,350,000"),
])
def test_the_filters_render_in_a_template(language, html):
    template = Template("{% load money %}{{ target|amount }} · {{ actual|ratio_of:base|percent }} · "
                        "{{ up|signed_percent }} · {{ down|signed_percent }} · {{ half|percent_value }} · "
                        "{{ actual|ratio_of:zero|percent }} · {{ missing|signed_percent }} · "
                        "{{ week|attr_of:'new_customer_deposits'|amount }}")
    context = Context({"target": 1_200_000, "actual": 100, "base": 300, "up": Decimal("0.123"),
                       "down": Decimal("-0.04"), "half": Decimal("0.5"), "zero": 0, "missing": None,
                       "week": SimpleNamespace(new_customer_deposits=3_350_000)})
    with translation.override(language):
        assert template.render(context) == html


@pytest.mark.parametrize(("local", "today", "text"), [
    (datetime(2017, 10, 27, 14, 2), date(2017, 10, 27), "14:02"),
    (datetime(2017, 10, 27, 0, 5), date(2017, 10, 27), "00:05"),
    (datetime(2017, 10, 26, 23, 59), date(2017, 10, 27), "2017-10-26 23:59"),
    (datetime(2017, 10, 28, 0, 9), date(2017, 10, 27), "2017-10-28 00:09"),  # a retry due tomorrow
])
def test_a_moment_reads_as_its_time_on_the_day_and_with_its_date_on_any_other(local, today, text):
    assert moment_text(local, today) == text
