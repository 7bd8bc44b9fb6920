"""Month results endpoints: reps', teams' and the company's months as the dashboards read them, through
kpis.results.selectors (scoped by teams.access like the pages). Read-only.

Each row carries its month's freshness, so a client never takes a number that is being recalculated for a final
one. 403 for a role whose pages never show such rows (a rep: team rows; below the director's cockpit: company
rows), 404 for a team or employee outside the user's scope, 400 naming a malformed filter.
"""

from django.db.models import QuerySet
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from teams import access

from . import selectors
from .serializers import CompanyResultSerializer, RepResultSerializer, ResultQuery, TeamResultSerializer


class ResultListView(ListAPIView):
    """A page of month results, each with its month's freshness (one query for the page's months)."""

    def query(self) -> dict:
        serializer = ResultQuery(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def months(self, rows: QuerySet, query: dict) -> QuerySet:
        if "month" in query:
            rows = rows.filter(month=query["month"])
        if "from" in query:
            rows = rows.filter(month__gte=query["from"])
        if "to" in query:
            rows = rows.filter(month__lte=query["to"])
        return rows

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        context = {**self.get_serializer_context(),
                   "freshness": selectors.freshness_by_month({row.month for row in page})}
        return self.get_paginated_response(self.get_serializer_class()(page, many=True, context=context).data)


class RepResultListView(ResultListView):
    """GET: the reps' months the user may see (a rep: their own), by ?team=&employee=&month=&from=&to=."""

    serializer_class = RepResultSerializer

    def get_queryset(self) -> QuerySet:
        p, query = access.principal(self.request), self.query()
        rows = selectors.rep_results(p)
        if "team" in query:
            rows = rows.filter(team=access.get_team(p, query["team"]))
        if "employee" in query:
            rows = rows.filter(employee=access.get_employee(p, query["employee"]))
        return self.months(rows, query)


class TeamResultListView(ResultListView):
    """GET: the teams' months the user may see (all of sales; a manager: their teams), by ?team=&month=&from=&to=."""

    serializer_class = TeamResultSerializer

    def get_queryset(self) -> QuerySet:
        p, query = access.principal(self.request), self.query()
        if not access.may_view_organisation(p):
            raise PermissionDenied
        rows = selectors.team_results(p)
        if "team" in query:
            rows = rows.filter(team=access.get_team(p, query["team"]))
        return self.months(rows, query)


class CompanyResultListView(ResultListView):
    """GET: the company's months (the director, the general manager, HR), by ?month=&from=&to=."""

    serializer_class = CompanyResultSerializer

    def get_queryset(self) -> QuerySet:
        p = access.principal(self.request)
        if not access.sees_all_sales(p):
            raise PermissionDenied
        return self.months(selectors.company_results(p), self.query())
