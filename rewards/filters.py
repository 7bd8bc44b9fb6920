"""The register list's query filters (django-filter), as the register page filters:
?state=&kind=&method=&period=&month=&team=&employee=&waiting=&review=&sort=.

They narrow the records rewards.selectors.records scoped to the user; a team or employee outside that scope
answers 404 (the loaders), as the page does. `sort` is the page's choice of order, always after what waits for
the reader's approval (rewards.selectors.records.ordered), so it stays a filter rather than DRF's `ordering`.
"""

import django_filters
from django_filters.rest_framework import FilterSet

from teams import access
from teams.inputs import validate_served_day
from teams.rest.filters import IdFilter

from .models import Kind, Method, PeriodKind, Record, RecordState
from .selectors import records as selectors


class RecordFilter(FilterSet):
    state = django_filters.ChoiceFilter(choices=RecordState.choices, help_text="The record's state.")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, help_text="A reward or a penalty.")
    method = django_filters.ChoiceFilter(choices=Method.choices, help_text="Cash, or a notice only.")
    period = django_filters.ChoiceFilter(choices=PeriodKind.choices, help_text="The kind of period it is for.")
    month = django_filters.DateFilter(field_name="first_month", validators=[validate_served_day],
                                      help_text="The period's first month.")
    team = IdFilter(method="of_team", help_text="About the team or one of its members (404 outside your scope).")
    employee = IdFilter(method="of_employee", help_text="About the employee (404 outside your scope).")
    waiting = django_filters.BooleanFilter(method="only_waiting", help_text="true: only what waits for your "
                                                                            "approval.")
    review = django_filters.BooleanFilter(method="only_review", help_text="true: only what a re-closed month "
                                                                          "flagged for review.")
    sort = django_filters.ChoiceFilter(choices=[(s, s) for s in sorted(selectors.SORTS)], method="in_order",
                                       help_text="The order after what waits for you (default newest).")

    class Meta:
        model = Record
        fields: list[str] = []

    def _principal(self) -> access.Principal:
        return access.principal(self.request)

    def of_team(self, rows, name, value):
        return rows.filter(selectors.team_q(access.get_team(self._principal(), value).pk))

    def of_employee(self, rows, name, value):
        return rows.filter(employee=access.get_employee(self._principal(), value))

    def only_waiting(self, rows, name, value):
        return rows.filter(access.records_waiting_q(self._principal())) if value else rows

    def only_review(self, rows, name, value):
        return rows.filter(needs_review=True) if value else rows

    def in_order(self, rows, name, value):
        return selectors.ordered(self._principal(), rows, value)
