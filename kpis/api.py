"""Weekly figures and metric registry endpoints: parse, authorise through teams.access, call one service or selector.

Status codes follow the pages: 403 when the user may look at the team but not change it, 404 for a team or rep
outside the user's scope, 400 naming each refused cell, 409 when someone else saved the week meanwhile.
"""

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from teams import access
from teams.errors import DomainError

from . import metrics, selectors, services
from .models import WeeklyFigures
from .serializers import (
    ConflictSerializer,
    FiguresQuery,
    FiguresSubmitInput,
    FiguresUpsertInput,
    MetricSerializer,
    WeeklyFiguresSerializer,
)


class FiguresErrorResponses:
    """Turn the services' refusals into JSON: cells → 400 "errors", stale versions → 409 "conflicts"."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.FiguresRefused):
            errors = [{"row": e.row, "employee": e.employee_id, "field": e.field, "message": e.message}
                      for e in exc.errors]
            return Response({"detail": exc.message, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, services.StaleFigures):
            return Response({"detail": exc.message, "conflicts": ConflictSerializer(exc.conflicts, many=True).data},
                            status=status.HTTP_409_CONFLICT)
        if isinstance(exc, DomainError):
            return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)  # type: ignore[misc]


def _parse(serializer_class: type[Serializer], data: object) -> dict:
    """Return the validated input, or raise DRF's 400 naming each bad field."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class MetricListView(APIView):
    """GET: the metric registry, entered and derived, in the seed's order (any signed-in role)."""

    def get(self, request: Request) -> Response:
        return Response(MetricSerializer(metrics.REGISTRY, many=True).data)


class FiguresView(FiguresErrorResponses, ListAPIView):
    """GET: the weekly figures the user may see, filtered by ?team=&week=&employee=&from=&to=.
    PUT: upsert one team's week, all rows or none (the team's manager or the director)."""

    serializer_class = WeeklyFiguresSerializer

    def get_queryset(self) -> QuerySet[WeeklyFigures]:
        p, query = access.principal(self.request), _parse(FiguresQuery, self.request.query_params)
        rows = selectors.figures_for_user(p)
        if "team" in query:
            rows = rows.filter(team=access.get_team(p, query["team"]))
        if "employee" in query:
            rows = rows.filter(employee=access.get_employee(p, query["employee"]))
        if "week" in query:
            rows = rows.filter(week=query["week"])
        if "from" in query:
            rows = rows.filter(week__gte=query["from"])
        if "to" in query:
            rows = rows.filter(week__lte=query["to"])
        return rows

    def put(self, request: Request) -> Response:
        data, p = _parse(FiguresUpsertInput, request.data), access.principal(request)
        team = access.get_team(p, data["team"], write=True)
        # 404 unless every rep is visible: a refusal naming a hidden rep would reveal them.
        access.require_visible_employees(p, {r["employee"] for r in data["rows"]})
        rows = [services.RepWeekInput(employee_id=r["employee"], values=r["values"], version=r["version"], row=i)
                for i, r in enumerate(data["rows"])]
        summary = services.weekly_figures_save(week=data["week"], rows=rows, by=request.user, channel="api",
                                               team=team)
        saved = selectors.figures_for_user(p).filter(team=team, week=data["week"])
        return Response({"created": summary.created, "changed": summary.changed, "unchanged": summary.unchanged,
                         "figures": WeeklyFiguresSerializer(saved, many=True).data})


class FiguresSubmitView(FiguresErrorResponses, APIView):
    """POST: submit the team's draft figures of the week to the director (the team's manager or the director)."""

    def post(self, request: Request) -> Response:
        data = _parse(FiguresSubmitInput, request.data)
        team = access.get_team(access.principal(request), data["team"], write=True)
        submitted = services.weekly_figures_submit(team=team, week=data["week"], by=request.user)
        return Response({"submitted": submitted})
