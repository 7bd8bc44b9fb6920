from django import template

from ..selectors import pages

register = template.Library()


@register.filter
def of(mapping: dict, key):
    """Return mapping[key], or "—" when the key is None or missing: `{{ labels|of:goal.rating }}`."""
    if key is None:
        return "—"
    return mapping.get(key, "—")


register.filter("metric_label", pages.metric_label)
register.filter("is_count", pages.counts_people)
