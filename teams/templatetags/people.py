"""Template filters about people, each a named rule from teams.calculations."""

from datetime import date

from django import template

from teams.calculations import on_probation as _on_probation

register = template.Library()


@register.filter
def on_probation(employee, day: date) -> bool:
    """{% if employee|on_probation:day %}: the same rule the rollups and the eligibility engine use."""
    return _on_probation(employee.probation_end, day)
