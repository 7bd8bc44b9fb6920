"""The appraisal list's query filters (django-filter): ?cycle=&state=, on the appraisals access.py scoped."""

import django_filters

from teams.rest.filters import IdFilter

from .models import Appraisal, Step


class AppraisalFilter(django_filters.FilterSet):
    cycle = IdFilter(field_name="cycle_id", help_text="The cycle's id.")
    state = django_filters.ChoiceFilter(choices=Step.choices, help_text="The step the appraisal is at.")

    class Meta:
        model = Appraisal
        fields: list[str] = []
