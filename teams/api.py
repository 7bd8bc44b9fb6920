"""Read-only organisation endpoints, scoped by access.py like the pages."""

from django.db.models import QuerySet
from rest_framework import viewsets

from . import access, clock, selectors
from .filters import EmployeeFilter
from .models import Employee, Team
from .serializers import EmployeeSerializer, TeamSerializer


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """The teams the user may see (all of sales, a manager's own, a rep's own)."""

    serializer_class = TeamSerializer
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet[Team]:
        return access.visible_teams(access.principal(self.request)).select_related("manager")


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    """The people the user may see, with today's position, grade and team (?q= searches, ?team=, ?status=)."""

    serializer_class = EmployeeSerializer
    filterset_class = EmployeeFilter
    ordering_fields = ["employee_number", "name", "hire_date"]

    def get_queryset(self) -> QuerySet[Employee]:
        return selectors.employees_for_user(access.principal(self.request), on=clock.today())
