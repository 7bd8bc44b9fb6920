"""How amounts read: 万 in Chinese (120万, 33.5万), full yuan with separators in English (CNY 1,200,000); and
moments (the time alone when it is today)."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal(10_000)


def amount_text(yuan: int | Decimal | None, language: str) -> str:
    """Return the amount as a reader of `language` expects it; None reads as an em dash."""
    if yuan is None:
        return "—"
    value = Decimal(yuan)
    if language.startswith("zh"):
        wan = (value / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = f"{_unsigned_zero(wan):,.2f}".rstrip("0").rstrip(".")
        return f"{text}万"
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"CNY {_unsigned_zero(whole):,}"


def _unsigned_zero(value: Decimal) -> Decimal:
    """Return value, with a negative zero made positive: −40 yuan reads 0万, not -0万."""
    return value.copy_abs() if value.is_zero() else value


def percent_rounded(ratio: Decimal | float) -> Decimal:
    """Return the ratio in percent to one decimal, halves away from zero as amounts round, a negative zero unsigned."""
    return _unsigned_zero((Decimal(ratio) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent_text(ratio: Decimal | float | None) -> str:
    """Return a ratio as a percentage with one decimal; None (no base) reads as an em dash."""
    if ratio is None:
        return "—"
    return f"{percent_rounded(ratio)}%"


def moment_text(local: datetime, today: date) -> str:
    """Return a moment already in local time as a reader of a page wants it: "14:02" on `today`, else with its date
    ("2017-10-26 14:02")."""
    return f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
