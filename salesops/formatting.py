"""How amounts read: 万 in Chinese (120万, 33.5万), full yuan with separators in English (CNY 1,200,000)."""

from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal(10_000)


def amount_text(yuan: int | Decimal | None, language: str) -> str:
    """Return the amount as a reader of `language` expects it; None reads as an em dash."""
    if yuan is None:
        return "—"
    value = Decimal(yuan)
    if language.startswith("zh"):
        wan = (value / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = f"{wan:,.2f}".rstrip("0").rstrip(".")
        return f"{text}万"
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"CNY {whole:,}"


def percent_text(ratio: Decimal | float | None) -> str:
    """Return a ratio as a percentage with one decimal; None (no base) reads as an em dash."""
    if ratio is None:
        return "—"
    return f"{Decimal(ratio) * 100:.1f}%"
