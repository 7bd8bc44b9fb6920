"""HR's promotion administration, as on the paths and candidates pages: every ladder with its steps up and their
requirements (HR, the director and the general manager read them), a step and a requirement added (HR), and the
reserve pool's rule read (who sees the candidates) and set (HR) with the stamp it was read at.

Through promotions.selectors.paths/pool and promotions.services.paths/pool like the pages: 403 for a role the
page refuses, 404 for a step that is not there, 400 naming the field a service refuses (nothing written), 409
when another HR saved the pool rule after it was read.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access, clock
from teams.rest.inputs import parsed

from ..selectors import paths as selectors
from ..selectors.pool import pool_rule, rule_version
from ..serializers import (
    LadderSerializer,
    PathStepInput,
    PathStepSerializer,
    PoolRuleInput,
    PoolRuleSerializer,
    RequirementInput,
)
from ..services import paths as services
from ..services.pool import reserve_pool_rule_set


def _step_shown(step_id: int) -> dict:
    """Return the step as the paths page shows it today: its requirement in force and its history."""
    view = next(v for ladder in selectors.paths_on(clock.today()) for v in ladder.steps if v.step.pk == step_id)
    return PathStepSerializer(view).data


class PathListView(APIView):
    """GET: every ladder with its positions in order and each step up with its requirement in force today and
    its history (HR, the director, the general manager)."""

    @extend_schema(responses=LadderSerializer(many=True))
    def get(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_see_promotion_paths)
        return Response(LadderSerializer(selectors.paths_on(clock.today()), many=True).data)


class PathStepAddView(APIView):
    """POST {"from_position", "to_position"}: a step up between two positions (HR; the same step again answers
    the one there)."""

    @extend_schema(request=PathStepInput, responses={201: PathStepSerializer})
    def post(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_manage_promotion_paths)
        step = services.path_step_add(by=request.user, **parsed(PathStepInput, request.data))
        return Response(_step_shown(step.pk), status=status.HTTP_201_CREATED)


class RequirementAddView(APIView):
    """POST: a new row of the step's requirements, in force from `valid_from`; the rows before stay (HR)."""

    @extend_schema(request=RequirementInput, responses={201: PathStepSerializer})
    def post(self, request: Request, pk: int) -> Response:
        access.endpoint_for(request, access.may_manage_promotion_paths)
        step = selectors.step_for(pk)
        services.requirement_add(step=step, by=request.user, **parsed(RequirementInput, request.data))
        return Response(_step_shown(step.pk), status=status.HTTP_201_CREATED)


def _rule_shown() -> dict:
    rule = pool_rule()
    return PoolRuleSerializer({"excellent_in": rule.excellent_in, "cycles": rule.cycles,
                               "version": rule_version(rule), "changed_at": rule.changed_at}).data


class PoolRuleView(APIView):
    """GET: the reserve pool's rule, excellent in N of the last M cycles (who sees the candidates).
    PUT {"excellent_in", "cycles", "version"}: set it (HR), with the `version` read, or 409."""

    @extend_schema(responses=PoolRuleSerializer)
    def get(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_see_candidates)
        return Response(_rule_shown())

    @extend_schema(request=PoolRuleInput, responses=PoolRuleSerializer)
    def put(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_manage_promotion_paths)
        reserve_pool_rule_set(by=request.user, **parsed(PoolRuleInput, request.data))
        return Response(_rule_shown())
