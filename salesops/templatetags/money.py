from decimal import Decimal

from django import template
from django.utils.translation import get_language

from salesops.formatting import amount_text, percent_rounded, percent_text

register = template.Library()


@register.filter
def amount(yuan) -> str:
    """Render yuan in 万 (Chinese) or in full CNY (English)."""
    return amount_text(yuan, get_language() or "zh-hans")


@register.filter
def percent(ratio) -> str:
    return percent_text(ratio)


@register.filter
def percent_value(ratio) -> str:
    """Render a ratio as a number of percent for a <progress> value (capped at 100, empty when None)."""
    if ratio is None:
        return "0"
    return f"{min(float(ratio) * 100, 100):.1f}"


@register.filter
def ratio_of(value, base):
    """Return value ÷ base, or None when there is no base."""
    if value is None or not base:
        return None
    return Decimal(value) / Decimal(base)


@register.filter
def signed_percent(ratio) -> str:
    """Render a change as +12.3% / −4.0%, or an em dash when there is no base to compare with."""
    if ratio is None:
        return "—"
    value = percent_rounded(ratio)
    return f"{'+' if value >= 0 else '−'}{abs(value)}%"


@register.filter
def attr_of(obj, name: str):
    """Return obj.<name>: templates read registry-driven columns by their code."""
    return getattr(obj, name, None)
