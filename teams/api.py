"""Read-only organisation endpoints, scoped by access.py like the pages."""


from rest_framework import viewsets

from . import access, clock, selectors
from .serializers import EmployeeSerializer, TeamSerializer


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer

    def get_queryset(self):
        return access.visible_teams(access.principal(self.request)).select_related("manager")


class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployeeSerializer

    def get_queryset(self):
        return selectors.employees_for_user(access.principal(self.request), on=clock.today(),
                                            search=self.request.query_params.get("q", ""))
