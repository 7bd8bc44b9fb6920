"""Month results endpoints: reps', teams' and the company's months as the dashboards read them, through
kpis.results.selectors (scoped by teams.access like the pages), filtered by kpis.results.filters. Read-only.

Each row carries its month's freshness, so a client never takes a number that is being recalculated for a final
one. 403 for a role whose pages never show such rows (a rep: team rows; below the director's cockpit: company
rows), 404 for a team or employee outside the user's scope, 400 naming a malformed filter.
"""

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access
from teams.rest.inputs import parsed

from . import selectors, services
from .filters import CompanyResultFilter, RepResultFilter, TeamResultFilter
from .models import CompanyMonthResult, RepMonthResult, TeamMonthResult
from .serializers import (
    CompanyResultSerializer,
    EliminationRuleInput,
    EliminationRuleSetSerializer,
    RepResultSerializer,
    RollupStatusSerializer,
    TeamResultSerializer,
)


class ResultListView(ListAPIView):
    """A page of month results, each with its month's freshness (one query for the page's months)."""

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(),
                   "freshness": selectors.freshness_by_month({row.month for row in page})}
        return self.get_paginated_response(self.get_serializer_class()(page, many=True, context=context).data)


class RepResultListView(ResultListView):
    """GET: the reps' months the user may see (a rep: their own), by ?team=&employee=&month=&from=&to=."""

    serializer_class = RepResultSerializer
    queryset = RepMonthResult.objects.none()  # the schema's model; get_queryset gives the rows
    filterset_class = RepResultFilter

    def get_queryset(self) -> QuerySet[RepMonthResult]:
        return selectors.rep_results(access.principal(self.request))


class TeamResultListView(ResultListView):
    """GET: the teams' months the user may see (all of sales; a manager: their teams), by ?team=&month=&from=&to=."""

    serializer_class = TeamResultSerializer
    queryset = TeamMonthResult.objects.none()
    filterset_class = TeamResultFilter

    def get_queryset(self) -> QuerySet[TeamMonthResult]:
        p = access.principal(self.request)
        if not access.may_view_organisation(p):
            raise PermissionDenied
        return selectors.team_results(p)


class CompanyResultListView(ResultListView):
    """GET: the company's months (the director, the general manager, HR), by ?month=&from=&to=."""

    serializer_class = CompanyResultSerializer
    queryset = CompanyMonthResult.objects.none()
    filterset_class = CompanyResultFilter

    def get_queryset(self) -> QuerySet[CompanyMonthResult]:
        p = access.principal(self.request)
        if not access.sees_all_sales(p):
            raise PermissionDenied
        return selectors.company_results(p)



class RollupStatusView(APIView):
    """GET: which months wait for a recompute, which a run holds, which failed and when they are tried again, the
    last run of every month and the last nightly check, as the rollups' status page (the director, the admins)."""

    @extend_schema(responses=RollupStatusSerializer)
    def get(self, request: Request) -> Response:
        if not access.may_see_rollup_status(access.principal(request)):
            raise PermissionDenied
        return Response(RollupStatusSerializer(selectors.rollup_status(timezone.now())).data)


class EliminationRuleView(APIView):
    """GET: the bottom-elimination rule the rankings page applies (all of sales). PUT: replace it (the director),
    which queues new rankings."""

    def _shown(self) -> Response:
        return Response(EliminationRuleSetSerializer(selectors.elimination_rule()).data)

    @extend_schema(responses=EliminationRuleSetSerializer)
    def get(self, request: Request) -> Response:
        access.endpoint_for(request, access.sees_all_sales)
        return self._shown()

    @extend_schema(request=EliminationRuleInput, responses=EliminationRuleSetSerializer)
    def put(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_edit_plan)
        services.elimination_rule_set(by=request.user, **parsed(EliminationRuleInput, request.data))
        return self._shown()
