from datetime import date

from django import template
from django.utils import timezone

from salesops.formatting import moment_text

register = template.Library()


@register.filter
def moment(value, today: str) -> str:
    """Render a moment in the organisation's time zone: the time alone when it falls on `today` (an ISO date, from
    `{% now "Y-m-d" as real_today %}`), else its date and time; empty for None."""
    if value is None:
        return ""
    return moment_text(timezone.localtime(value), date.fromisoformat(today))
