"""The organisation endpoints' query filters (django-filter), on querysets access.py already scoped."""

import django_filters

from teams.models import EmployeeStatus
from teams.rest.filters import IdFilter

from . import selectors


class EmployeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", max_length=100, help_text="Name, employee number or log-in.")
    team = IdFilter(field_name="team_id_on", help_text="The team they are in today (or were, when last seen).")
    status = django_filters.ChoiceFilter(choices=EmployeeStatus.choices)

    def search(self, rows, name, value):
        return selectors.matching(rows, value)
