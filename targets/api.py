"""Plan and target endpoints: parse, authorise through teams.access, call one service or selector, render.

Status codes follow the pages: 403 when the role may not use the endpoint at all, 404 for a team, rep or
plan outside the user's scope, 400 with the field named for bad input, 409 when the plan changed meanwhile (the
version comes in the body or as If-Match: the ETag of the plan's GET). Errors: teams/rest/errors.py's shape.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access, clock
from teams.models import Employee, Team
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.schema import if_match

from . import selectors, services
from .models import PlanMonth, PlanYear, RepMonthTarget, RepWeekTarget, TeamMonthTarget
from .seasons.selectors import next_plan_draft
from .serializers import (
    DecidedSerializer,
    PlanApproveInput,
    PlanCreateInput,
    PlanDraftQuery,
    PlanDraftSerializer,
    PlanSerializer,
    PlanUpdateInput,
    PlanWithWarningsSerializer,
    ProposalInput,
    ProposalsDecideInput,
    ProposalSerializer,
    RepMonthTargetSerializer,
    RepWeekTargetSerializer,
    RepWeightsInput,
    TargetQuery,
    TeamMonthTargetSerializer,
    TeamWeightsInput,
)
from .working_calendar.selectors import months_beyond_calendar

IF_MATCH = if_match("plan")


def _allow(allowed: bool) -> None:
    """Refuse with 403: the user's role may not use this endpoint."""
    if not allowed:
        raise PermissionDenied


def _plan(pk: int) -> PlanYear:
    return get_object_or_404(selectors.plans(), pk=pk)


def _plan_month(plan_pk: int, pk: int) -> PlanMonth:
    return get_object_or_404(PlanMonth.objects.select_related("plan"), pk=pk, plan_id=plan_pk)


def _all_visible(visible: QuerySet, ids: Iterable[int]) -> None:
    """Answer 404 unless every id is in `visible` (one query), so hidden objects stay unrevealed."""
    wanted = set(ids)
    if visible.filter(pk__in=wanted).count() != len(wanted):
        raise Http404


def _phases(data: dict) -> list[services.PhaseSpec]:
    return [services.PhaseSpec(p["name"], p["month_count"]) for p in data["phases"]]


def _render(plan: PlanYear) -> dict:
    """Return the plan, with the months beyond the known calendar (a warning: their weeks ignore holidays)."""
    overview = selectors.plan_overview(plan)
    beyond = months_beyond_calendar(m.month for m in overview.months)
    return {**PlanSerializer(overview).data, "months_without_calendar": [f"{m:%Y-%m}" for m in beyond]}


def _tagged(plan: PlanYear) -> Response:
    """Return the plan with its ETag (its version), for the next write's If-Match."""
    return concurrency.tagged(Response(_render(plan)), concurrency.version_etag(plan.version))


def _prefetched_overview(plan: PlanYear) -> selectors.PlanOverview:
    """Return the overview of a plan whose phases and months were prefetched (no query per plan)."""
    months = list(plan.months.all())
    phases = [selectors.PhaseTotal(p, [m for m in months if m.phase_id == p.pk]) for p in plan.phases.all()]
    return selectors.PlanOverview(plan, phases)


# --- plans --------------------------------------------------------------------------------


class PlanListView(GenericAPIView):
    """GET: every plan with phases and months (not for reps). POST: a new draft plan (director)."""

    serializer_class = PlanCreateInput

    def get_queryset(self) -> QuerySet[PlanYear]:
        return selectors.plans().prefetch_related("phases", "months")

    @extend_schema(operation_id="plans_list", responses=PlanSerializer(many=True))
    def get(self, request: Request) -> Response:
        _allow(access.may_view_plan(access.principal(request)))
        page = self.paginate_queryset(self.get_queryset())
        rows = PlanSerializer([_prefetched_overview(plan) for plan in page], many=True).data
        return self.get_paginated_response(rows)

    @extend_schema(request=PlanCreateInput, responses={201: PlanWithWarningsSerializer})
    def post(self, request: Request) -> Response:
        _allow(access.may_edit_plan(access.principal(request)))
        data = parsed(PlanCreateInput, request.data)
        plan = services.plan_create(name=data["name"], first_month=data["first_month"], phases=_phases(data),
                                    month_targets=data["month_targets"], by=request.user)
        return Response(_render(plan), status=status.HTTP_201_CREATED)


class PlanDetailView(APIView):
    """GET: one plan (not for reps). PUT: new phases and targets; an approved plan needs a reason (director)."""

    @extend_schema(responses=PlanWithWarningsSerializer, description="Answers the plan's ETag (its version).")
    def get(self, request: Request, pk: int) -> Response:
        _allow(access.may_view_plan(access.principal(request)))
        return _tagged(_plan(pk))

    @extend_schema(request=PlanUpdateInput, parameters=[IF_MATCH], responses=PlanWithWarningsSerializer)
    def put(self, request: Request, pk: int) -> Response:
        _allow(access.may_edit_plan(access.principal(request)))
        plan = _plan(pk)
        data = parsed(PlanUpdateInput, concurrency.with_version(request, request.data))
        plan = services.plan_update(plan=plan, version=data["version"], phases=_phases(data),
                                    month_targets=data["month_targets"], reason=data["reason"], by=request.user)
        return _tagged(plan)


class PlanApproveView(APIView):
    """POST: approve the plan and split it to teams, reps and weeks (general manager or director)."""

    @extend_schema(request=PlanApproveInput, parameters=[IF_MATCH], responses=PlanWithWarningsSerializer)
    def post(self, request: Request, pk: int) -> Response:
        _allow(access.may_approve_plan(access.principal(request)))
        plan = _plan(pk)
        data = parsed(PlanApproveInput, concurrency.with_version(request, request.data))
        return _tagged(services.plan_approve(plan=plan, version=data["version"], by=request.user,
                                             without_calendar=data["without_calendar"]))


class PlanDraftView(APIView):
    """GET ?total= or ?growth=: next year's draft from this plan's seasons (director); POST it to plans/ to save."""

    @extend_schema(parameters=[PlanDraftQuery], responses=PlanDraftSerializer)
    def get(self, request: Request, pk: int) -> Response:
        _allow(access.may_edit_plan(access.principal(request)))
        data = parsed(PlanDraftQuery, request.query_params)
        draft = next_plan_draft(_plan(pk), total=data.get("total"), growth=data.get("growth"),
                                          as_of=clock.today())
        return Response(PlanDraftSerializer(draft).data)


# --- one plan month: weights and proposals -------------------------------------------------


class TeamWeightsView(APIView):
    """PUT: the director's team weights for the month; answers the month's team targets after the re-split."""

    @extend_schema(request=TeamWeightsInput, responses=TeamMonthTargetSerializer(many=True))
    def put(self, request: Request, plan_pk: int, pk: int) -> Response:
        _allow(access.may_edit_plan(access.principal(request)))
        plan_month = _plan_month(plan_pk, pk)
        weights = parsed(TeamWeightsInput, request.data)["weights"]
        _all_visible(access.visible_teams(access.principal(request)), weights)
        services.team_weights_set(plan_month=plan_month, weights=weights, by=request.user)
        rows = selectors.team_month_targets(access.principal(request), plan_month.plan).filter(plan_month=plan_month)
        return Response(TeamMonthTargetSerializer(rows, many=True).data)


class RepWeightsView(APIView):
    """PUT: a manager's rep weights (ramps) for the team's month; answers the team's rep targets."""

    @extend_schema(request=RepWeightsInput, responses=RepMonthTargetSerializer(many=True))
    def put(self, request: Request, plan_pk: int, pk: int) -> Response:
        _allow(access.may_view_plan(access.principal(request)))
        plan_month = _plan_month(plan_pk, pk)
        data = parsed(RepWeightsInput, request.data)
        p = access.principal(request)
        team = access.get_team(p, data["team"], write=True)
        access.require_visible_employees(p, set(data["weights"]))
        services.rep_weights_set(plan_month=plan_month, team=team, weights=data["weights"], by=request.user)
        rows = selectors.rep_month_targets(p, plan_month.plan, team).filter(plan_month=plan_month)
        return Response(RepMonthTargetSerializer(rows, many=True).data)


class ProposalsView(APIView):
    """POST: a manager's bottom-up proposal for the team's month target."""

    @extend_schema(request=ProposalInput, responses={201: ProposalSerializer})
    def post(self, request: Request, plan_pk: int, pk: int) -> Response:
        _allow(access.may_view_plan(access.principal(request)))
        plan_month = _plan_month(plan_pk, pk)
        data = parsed(ProposalInput, request.data)
        team = access.get_team(access.principal(request), data["team"], write=True)
        proposal = services.proposal_submit(plan_month=plan_month, team=team, proposed_target=data["proposed_target"],
                                            note=data["note"], by=request.user)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalsDecideView(APIView):
    """POST: the director accepts the month's pending proposals or keeps the top-down split."""

    @extend_schema(request=ProposalsDecideInput, responses=DecidedSerializer)
    def post(self, request: Request, plan_pk: int, pk: int) -> Response:
        _allow(access.may_edit_plan(access.principal(request)))
        plan_month = _plan_month(plan_pk, pk)
        accept = parsed(ProposalsDecideInput, request.data)["accept"]
        decided = services.proposals_decide(plan_month=plan_month, accept=accept, by=request.user)
        return Response({"decided": decided})


# --- target lists, scoped by the selectors -------------------------------------------------


@extend_schema_view(get=extend_schema(parameters=[TargetQuery]))
class TargetListView(ListAPIView):
    """Parses ?plan=&team=&employee=; a team or employee outside the user's scope answers 404. The plan (and the
    team) are what the selectors compute the rows from, so they are parsed here rather than as django-filter
    filters of a finished queryset."""

    ordering_fields = ["plan_month", "team", "deposit_target"]

    def query(self) -> tuple[PlanYear, Team | None, Employee | None]:
        data = parsed(TargetQuery, self.request.query_params)
        p = access.principal(self.request)
        team = access.get_team(p, data["team"]) if "team" in data else None
        employee = access.get_employee(p, data["employee"]) if "employee" in data else None
        return _plan(data["plan"]), team, employee


class TeamTargetListView(TargetListView):
    serializer_class = TeamMonthTargetSerializer
    queryset = TeamMonthTarget.objects.none()  # the schema's model; get_queryset gives the rows

    def get_queryset(self) -> QuerySet:
        plan, team, _ = self.query()
        rows = selectors.team_month_targets(access.principal(self.request), plan)
        return rows if team is None else rows.filter(team=team)


class RepTargetListView(TargetListView):
    serializer_class = RepMonthTargetSerializer
    queryset = RepMonthTarget.objects.none()
    ordering_fields = ["plan_month", "team", "employee", "deposit_target"]

    def get_queryset(self) -> QuerySet:
        plan, team, _ = self.query()
        return selectors.rep_month_targets(access.principal(self.request), plan, team)


class WeekTargetListView(TargetListView):
    serializer_class = RepWeekTargetSerializer
    queryset = RepWeekTarget.objects.none()
    ordering_fields = ["plan_month", "week", "team", "employee", "deposit_target"]

    def get_queryset(self) -> QuerySet:
        plan, team, employee = self.query()
        rows = selectors.rep_week_targets(access.principal(self.request), plan, team)
        return rows if employee is None else rows.filter(employee=employee)
