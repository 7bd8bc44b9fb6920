"""Filtering with django-filter, ordering by the fields each endpoint lists. A filter only narrows the
endpoint's queryset, which its selector already scoped to the user: no filter widens what a user sees."""

from django import forms
from django_filters import NumberFilter
from rest_framework.filters import OrderingFilter

MAX_ID = 2**31 - 1  # ids are integer columns: a larger number is refused as input, not by the database


class IdFilter(NumberFilter):
    """An id in the query: a whole number within the column's range."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class ExplicitOrderingFilter(OrderingFilter):
    """`?ordering=` by the endpoint's `ordering_fields` only; an endpoint that lists none cannot be reordered
    (DRF would otherwise allow every serializer field, some of them joins the page never meant to expose)."""

    def get_default_valid_fields(self, queryset, view, context=None) -> list:
        return []

