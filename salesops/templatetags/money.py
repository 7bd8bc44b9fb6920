from django import template
from django.utils.translation import get_language

from salesops.formatting import amount_text, percent_text

register = template.Library()


@register.filter
def amount(yuan) -> str:
    """Render yuan in 万 (Chinese) or in full CNY (English)."""
    return amount_text(yuan, get_language() or "zh-hans")


@register.filter
def percent(ratio) -> str:
    return percent_text(ratio)
