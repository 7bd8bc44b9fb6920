"""Weekly figures and metric registry endpoints: parse, authorise through teams.access, call one service or selector.

Status codes follow the pages: 403 when the user may look at the team but not change it, 404 for a team or rep
outside the user's scope, 400 naming each refused cell, 409 when someone else saved the week meanwhile. Errors
come in the shape of teams/rest/errors.py; a 409 carries the conflicts beside them.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from targets import selectors as target_selectors
from teams import access, clock
from teams.rest import concurrency
from teams.rest.errors import error, error_response
from teams.rest.inputs import parsed

from . import metrics, selectors, services
from .filters import FiguresFilter
from .models import WeeklyFigures
from .serializers import (
    ConflictSerializer,
    FiguresConflictSerializer,
    FiguresSavedSerializer,
    FiguresSubmitInput,
    FiguresUpsertInput,
    MetricSerializer,
    MonthFiguresSerializer,
    MonthInput,
    MonthMovedSerializer,
    MonthReopenInput,
    SubmittedSerializer,
    WeeklyFiguresSerializer,
)

# --- the schema's examples for the main calls ---------------------------------------------------------------------

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False,
                            description='The week\'s ETag from the GET (`"week:12=1,13=2"`): the version of each row '
                                        "that leaves its own out.")
ROW_EXAMPLE = {"id": 101, "week": "2017-10-23", "team": 1, "team_name": "先锋队", "employee": 12,
               "employee_name": "王芳", "new_customers": 6, "engaged_customers": 10, "accounts_opened": 4,
               "new_customer_deposits": "300000.00", "existing_customer_deposits": "1200.50",
               "trading_volume": "0.00", "total_deposits": "301200.50", "close_rate": "0.4000", "state": "draft",
               "version": 2, "entered_by": "manager_a", "entered_at": "2017-10-27T17:30:00+08:00"}
LIST_EXAMPLE = OpenApiExample("A team's week", response_only=True, value={
    "count": 1, "next": None, "previous": None, "results": [ROW_EXAMPLE]})
UPSERT_EXAMPLE = OpenApiExample("Upsert a rep's week", request_only=True, value={
    "team": 1, "week": "2017-10-23", "rows": [{"employee": 12, "version": 2, "values": {"accounts_opened": "5"}}]})
SAVED_EXAMPLE = OpenApiExample("Saved", response_only=True, value={
    "created": [], "changed": [12], "unchanged": [], "figures": [{**ROW_EXAMPLE, "accounts_opened": 5, "version": 3}]})
CONFLICT_EXAMPLE = OpenApiExample("Stale version", response_only=True, status_codes=["409"], value={
    "errors": [{"field": "version", "code": "conflict",
                "message": "Someone else saved figures for 王芳 since you opened the week; nothing was saved. "
                           "Reload to see their figures."}],
    "conflicts": [{"employee": "王芳", "saved_by": "李总监", "saved_at": "2017-10-27T18:02:00+08:00",
                   "differences": [{"metric": "Accounts opened", "theirs": "6", "yours": "5"}]}]})


class FiguresErrorResponses:
    """Cells refused → 400 naming each cell's path in the body; stale versions → 409 with the conflicts beside."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.FiguresRefused):
            return error_response([error(_cell_path(e), "invalid", e.message) for e in exc.errors],
                                  status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, services.StaleFigures):
            return error_response([error("version", exc.code, exc.message)], status.HTTP_409_CONFLICT,
                                  conflicts=ConflictSerializer(exc.conflicts, many=True).data)
        return super().handle_exception(exc)  # type: ignore[misc]


def _cell_path(cell: services.CellError) -> str:
    """Return where in the request body the refused cell is: rows[1].employee, rows[1].values.new_customers."""
    inner = cell.field if cell.field == "employee" else f"values.{cell.field}"
    return f"rows[{cell.row}].{inner}" if cell.row is not None else inner


def _week_etag(rows: QuerySet[WeeklyFigures]) -> str:
    return concurrency.week_etag(dict(rows.values_list("employee_id", "version")))


class MetricListView(APIView):
    """GET: the metric registry, entered and derived, in the seed's order (any signed-in role)."""

    @extend_schema(responses=MetricSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(MetricSerializer(metrics.REGISTRY, many=True).data)


class FiguresView(FiguresErrorResponses, ListAPIView):
    """GET: the weekly figures the user may see, filtered by ?team=&week=&employee=&from=&to=; with team and week,
    the week's ETag. PUT: upsert one team's week, all rows or none (the team's manager or the director), each row
    with the version it started from (or If-Match: the week's ETag)."""

    serializer_class = WeeklyFiguresSerializer
    filterset_class = FiguresFilter
    ordering_fields = ["week", "employee", "team", "entered_at"]

    def get_queryset(self) -> QuerySet[WeeklyFigures]:
        return selectors.figures_for_user(access.principal(self.request))

    @extend_schema(examples=[LIST_EXAMPLE], description="With both `team` and `week`, the answer carries the week's "
                   "ETag, for the upsert's If-Match.")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        if {"team", "week"} <= set(request.query_params) and response.status_code == status.HTTP_200_OK:
            concurrency.tagged(response, _week_etag(self.filter_queryset(self.get_queryset())))
        return response

    @extend_schema(request=FiguresUpsertInput, parameters=[IF_MATCH], examples=[UPSERT_EXAMPLE, SAVED_EXAMPLE,
                                                                                 CONFLICT_EXAMPLE],
                   responses={200: FiguresSavedSerializer,
                              409: OpenApiResponse(FiguresConflictSerializer, description="A row's version is stale: "
                                                   "nothing was saved; what differs, rep by rep.")})
    def put(self, request: Request) -> Response:
        data, p = parsed(FiguresUpsertInput, request.data), access.principal(request)
        tagged_versions = concurrency.week_versions(request)
        team = access.get_team(p, data["team"], write=True)
        # 404 unless every rep is visible: a refusal naming a hidden rep would reveal them.
        access.require_visible_employees(p, {r["employee"] for r in data["rows"]})
        sent = request.data["rows"]  # a row that leaves out its version takes the one If-Match gave for the rep
        rows = [services.RepWeekInput(employee_id=r["employee"], values=r["values"], row=i,
                                      version=r["version"] if tagged_versions is None or "version" in sent[i]
                                      else tagged_versions.get(r["employee"]))
                for i, r in enumerate(data["rows"])]
        summary = services.weekly_figures_save(week=data["week"], rows=rows, by=request.user, channel="api",
                                               team=team)
        saved = selectors.figures_for_user(p).filter(team=team, week=data["week"])
        body = {"created": summary.created, "changed": summary.changed, "unchanged": summary.unchanged,
                "figures": WeeklyFiguresSerializer(saved, many=True).data}
        return concurrency.tagged(Response(body), _week_etag(saved))


class FiguresSubmitView(FiguresErrorResponses, APIView):
    """POST: submit the team's draft figures of the week to the director (the team's manager or the director)."""

    @extend_schema(request=FiguresSubmitInput, responses=SubmittedSerializer)
    def post(self, request: Request) -> Response:
        data = parsed(FiguresSubmitInput, request.data)
        team = access.get_team(access.principal(request), data["team"], write=True)
        submitted = services.weekly_figures_submit(team=team, week=data["week"], by=request.user)
        return Response({"submitted": submitted})


# --- the month close: the same selector and services as the months page (kpis/views/months.py) -----------------


class PlanQuery(serializers.Serializer):
    plan = serializers.IntegerField(required=False, **{"min_value": 1, "max_value": 2**31 - 1})


class MonthListView(APIView):
    """GET: the plan's months (?plan=, else the current plan) with their figures by state, closed or not and the
    last close or reopen, as the month close page lists them (all of sales)."""

    @extend_schema(parameters=[PlanQuery], responses=MonthFiguresSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not access.sees_all_sales(access.principal(request)):
            raise PermissionDenied
        raw = parsed(PlanQuery, request.query_params).get("plan")
        plan = target_selectors.plan_chosen(str(raw) if raw else None, clock.today())
        months = selectors.month_figures(plan, clock.today()) if plan else []
        return Response(MonthFiguresSerializer(months, many=True).data)


class MonthCloseView(APIView):
    """POST {"month"}: close the month, locking its weekly figures (the director); closing a closed month changes
    nothing."""

    @extend_schema(request=MonthInput, responses=MonthMovedSerializer)
    def post(self, request: Request) -> Response:
        if not access.may_edit_plan(access.principal(request)):
            raise PermissionDenied
        month = parsed(MonthInput, request.data)["month"].replace(day=1)
        locked = services.month_close(month=month, by=request.user)
        return Response(MonthMovedSerializer({"month": month, "closed": True, "figures_changed": locked}).data)


class MonthReopenView(APIView):
    """POST {"month", "reason"}: reopen a closed month with a reason, its locked figures back to submitted (the
    director)."""

    @extend_schema(request=MonthReopenInput, responses=MonthMovedSerializer)
    def post(self, request: Request) -> Response:
        if not access.may_edit_plan(access.principal(request)):
            raise PermissionDenied
        data = parsed(MonthReopenInput, request.data)
        month = data["month"].replace(day=1)
        reopened = services.month_reopen(month=month, by=request.user, reason=data["reason"])
        return Response(MonthMovedSerializer({"month": month, "closed": False, "figures_changed": reopened}).data)
