"""The month results lists' query filters (django-filter): ?month=&from=&to= on every list, ?team= on the reps'
and the teams', ?employee= on the reps'.

A team or rep outside the user's scope answers 404 (the loaders), as the pages do: a filter narrows the rows
kpis.results.selectors scoped to the user and never names what is hidden.
"""

import django_filters

from teams import access
from teams.inputs import validate_served_day
from teams.rest.filters import IdFilter

from .models import CompanyMonthResult, RepMonthResult, TeamMonthResult


def _month(**kwargs) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name="month", validators=[validate_served_day], **kwargs)


def _with_range(filterset: type[django_filters.FilterSet]) -> type[django_filters.FilterSet]:
    # `from` is a Python keyword, so it cannot be a class attribute; both bound the month, inclusive.
    filterset.base_filters["from"] = _month(lookup_expr="gte", help_text="Months from this one on (its first day).")
    filterset.base_filters["to"] = _month(lookup_expr="lte", help_text="Months up to this one (its first day).")
    return filterset


@_with_range
class CompanyResultFilter(django_filters.FilterSet):
    month = _month(help_text="The month (its first day).")

    class Meta:
        model = CompanyMonthResult
        fields: list[str] = []


@_with_range
class TeamResultFilter(CompanyResultFilter):
    team = IdFilter(method="of_team", help_text="The team's months (404 outside your scope).")

    class Meta:
        model = TeamMonthResult
        fields: list[str] = []

    def of_team(self, rows, name, value):
        return rows.filter(team=access.get_team(access.principal(self.request), value))


@_with_range
class RepResultFilter(TeamResultFilter):
    employee = IdFilter(method="of_employee", help_text="The rep's months (404 outside your scope).")

    class Meta:
        model = RepMonthResult
        fields: list[str] = []

    def of_employee(self, rows, name, value):
        return rows.filter(employee=access.get_employee(access.principal(self.request), value))
