"""Weekly figures and metric registry endpoints: parse, authorise through teams.access, call one service or selector.

Status codes follow the pages: 403 when the user may look at the team but not change it, 404 for a team or rep
outside the user's scope, 400 naming each refused cell, 409 when someone else saved the week meanwhile.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from teams import access
from teams.errors import DomainError
from teams.models import Team, User

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


def _changeable_team(user: User, pk: int) -> Team:
    """Return the team: 404 when it is outside the user's scope, 403 when the user may only look at it."""
    team = access.get_visible_team(user, pk)
    if not access.may_change_team(user, team):
        raise PermissionDenied
    return team


def _all_visible(user: User, employee_ids: Iterable[int]) -> None:
    """Answer 404 unless every rep is visible to the user (one query): a refusal would name a hidden rep."""
    wanted = set(employee_ids)
    if access.visible_employees(user).filter(pk__in=wanted).count() != len(wanted):
        raise Http404


class MetricListView(APIView):
    """GET: the metric registry, entered and derived, in the seed's order (any signed-in role)."""

    def get(self, request: Request) -> Response:
        return Response(MetricSerializer(metrics.REGISTRY, many=True).data)


class FiguresView(FiguresErrorResponses, ListAPIView):
    """GET: the weekly figures the user may see, filtered by ?team=&week=&employee=&from=&to=.
    PUT: upsert one team's week, all rows or none (the team's manager or the director)."""

    serializer_class = WeeklyFiguresSerializer

    def get_queryset(self) -> QuerySet[WeeklyFigures]:
        user, query = self.request.user, _parse(FiguresQuery, self.request.query_params)
        rows = selectors.figures_for_user(user)
        if "team" in query:
            rows = rows.filter(team=access.get_visible_team(user, query["team"]))
        if "employee" in query:
            rows = rows.filter(employee=access.get_visible_employee(user, query["employee"]))
        if "week" in query:
            rows = rows.filter(week=query["week"])
        if "from" in query:
            rows = rows.filter(week__gte=query["from"])
        if "to" in query:
            rows = rows.filter(week__lte=query["to"])
        return rows

    def put(self, request: Request) -> Response:
        data = _parse(FiguresUpsertInput, request.data)
        team = _changeable_team(request.user, data["team"])
        _all_visible(request.user, [r["employee"] for r in data["rows"]])
        rows = [services.RepWeekInput(employee_id=r["employee"], values=r["values"], version=r["version"], row=i)
                for i, r in enumerate(data["rows"])]
        summary = services.weekly_figures_save(week=data["week"], rows=rows, by=request.user, channel="api",
                                               team=team)
        saved = selectors.figures_for_user(request.user).filter(team=team, week=data["week"])
        return Response({"created": summary.created, "changed": summary.changed, "unchanged": summary.unchanged,
                         "figures": WeeklyFiguresSerializer(saved, many=True).data})


class FiguresSubmitView(FiguresErrorResponses, APIView):
    """POST: submit the team's draft figures of the week to the director (the team's manager or the director)."""

    def post(self, request: Request) -> Response:
        data = _parse(FiguresSubmitInput, request.data)
        team = _changeable_team(request.user, data["team"])
        submitted = services.weekly_figures_submit(team=team, week=data["week"], by=request.user)
        return Response({"submitted": submitted})
