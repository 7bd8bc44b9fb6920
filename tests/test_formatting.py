"""How amounts read, checked against strings written by hand; static/js/money.js must read the same (its browser
test, tests/browser/test_money.py, walks this very table)."""

from decimal import Decimal

import pytest

from salesops.formatting import amount_text

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

