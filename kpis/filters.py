"""The weekly figures list's query filters (django-filter): ?team=&employee=&week=&from=&to=.

A team or rep outside the user's scope answers 404 (the loaders), as the pages do: a filter narrows what the
selector scoped and never names what is hidden.
"""

import django_filters

from teams import access
from teams.inputs import validate_served_day
from teams.rest.filters import IdFilter

from .models import WeeklyFigures


def _week(**kwargs) -> django_filters.DateFilter:
    return django_filters.DateFilter(field_name="week", validators=[validate_served_day], **kwargs)


class FiguresFilter(django_filters.FilterSet):
    team = IdFilter(method="of_team", help_text="The team's weeks (404 outside your scope).")
    employee = IdFilter(method="of_employee", help_text="The rep's weeks (404 outside your scope).")
    week = _week(help_text="The week's Monday.")

    class Meta:
        model = WeeklyFigures
        fields: list[str] = []

    def of_team(self, rows, name, value):
        return rows.filter(team=access.get_team(access.principal(self.request), value))

    def of_employee(self, rows, name, value):
        return rows.filter(employee=access.get_employee(access.principal(self.request), value))


# `from` is a Python keyword, so it cannot be a class attribute; both bound the week, inclusive.
FiguresFilter.base_filters["from"] = _week(lookup_expr="gte", help_text="Weeks from this Monday on.")
FiguresFilter.base_filters["to"] = _week(lookup_expr="lte", help_text="Weeks up to this Monday.")
