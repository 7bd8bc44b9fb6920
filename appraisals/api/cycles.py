"""Cycle endpoints: HR's cycles page, one cycle's progress, opening a cycle, adding a person, moving the due dates,
closing it, through appraisals.selectors.pages and appraisals.services.cycles like the pages.

Like the pages, only who runs appraisals (access.may_run_appraisals: HR) may call them; anyone else gets 403, for
any cycle. A refused write is 400 naming the field, and nothing is written. A cycle has no version: the service
replaces the due dates whole and refuses to close a cycle with unfinished appraisals, so there is nothing stale.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access
from teams.rest.inputs import parsed

from ..models import Cycle
from ..selectors import pages
from ..serializers import (
    AppraisalSerializer,
    CycleDeadlinesInput,
    CycleDetailSerializer,
    CycleListedSerializer,
    CycleOpenInput,
    CyclePersonInput,
)
from ..services import cycles as services


def render(p: access.Principal, pk: int) -> dict:
    """Return the cycle as its page shows it: scope, goals, due dates and the count at each step."""
    cycle = pages.cycle(pk)
    progress = pages.cycle_progress(p, cycle)
    return CycleDetailSerializer({
        "pk": cycle.pk, "name": cycle.name, "kind": cycle.kind, "plan": cycle.plan, "first_month": cycle.first_month,
        "last_month": cycle.last_month, "with_feedback": cycle.with_feedback, "status": cycle.status,
        "teams": list(cycle.teams.all()), "goal_metrics": cycle.goal_metrics,
        "deadlines": [{"step": d.step, "due_on": d.due_on} for d in cycle.deadlines.all()],
        "progress": {"total": progress.total, "steps": [{"step": s.step, "count": s.count} for s in progress.steps]},
    }).data


class CycleListView(ListAPIView):
    """GET: the cycles, newest first, each with its size and how many appraisals are published (HR).
    POST: open a cycle, one appraisal per person in its scope (HR)."""

    serializer_class = CycleListedSerializer
    queryset = Cycle.objects.none()  # the schema's model; get_queryset gives the rows
    filter_backends: list = []  # the page has no filters: newest first

    def get_queryset(self) -> QuerySet[Cycle]:
        return pages.cycles(access.endpoint_for(self.request, access.may_run_appraisals))

    @extend_schema(request=CycleOpenInput, responses={201: CycleDetailSerializer})
    def post(self, request: Request) -> Response:
        p = access.endpoint_for(request, access.may_run_appraisals)
        data = parsed(CycleOpenInput, request.data)
        data["goal_metrics"] = [dict(g) for g in data["goal_metrics"]]
        cycle = services.cycle_open(by=request.user, **data)
        return Response(render(p, cycle.pk), status=status.HTTP_201_CREATED)


class CycleDetailView(APIView):
    """GET: one cycle with its teams, goals, due dates and how many appraisals stand at each step (HR)."""

    @extend_schema(responses=CycleDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(render(access.endpoint_for(request, access.may_run_appraisals), pk))


class CyclePersonAddView(APIView):
    """POST {"employee_id", "reason"}: add a person to an open cycle, rated as opening it would have (HR)."""

    @extend_schema(request=CyclePersonInput, responses={201: AppraisalSerializer})
    def post(self, request: Request, pk: int) -> Response:
        access.endpoint_for(request, access.may_run_appraisals)
        cycle = pages.cycle(pk)
        added = services.cycle_person_add(by=request.user, cycle_id=cycle.pk,
                                          **parsed(CyclePersonInput, request.data))
        return Response(AppraisalSerializer(added).data, status=status.HTTP_201_CREATED)


class CycleDeadlinesView(APIView):
    """PUT {"deadlines": {step: date}}: an open cycle's due dates, replacing the ones it had (HR)."""

    @extend_schema(request=CycleDeadlinesInput, responses=CycleDetailSerializer)
    def put(self, request: Request, pk: int) -> Response:
        p = access.endpoint_for(request, access.may_run_appraisals)
        cycle = pages.cycle(pk)
        services.deadlines_set(by=request.user, cycle_id=cycle.pk, **parsed(CycleDeadlinesInput, request.data))
        return Response(render(p, cycle.pk))


class CycleCloseView(APIView):
    """POST: close the cycle, once every appraisal in it is published or withdrawn (HR)."""

    @extend_schema(request=None, responses=CycleDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        p = access.endpoint_for(request, access.may_run_appraisals)
        cycle = pages.cycle(pk)
        services.cycle_close(by=request.user, cycle_id=cycle.pk)
        return Response(render(p, cycle.pk))
