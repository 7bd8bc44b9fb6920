"""The promotion case list's query filters (django-filter): ?state=&kind=, on the cases access.py scoped."""

import django_filters

from .models import CaseKind, CaseState, PromotionCase


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CaseState.choices)
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices)

    class Meta:
        model = PromotionCase
        fields: list[str] = []
