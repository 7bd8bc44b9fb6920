"""Case endpoints: the cases in the principal's scope, one in detail with its history, and every act through ACTS.

404 for a case outside the scope, 400 with the field named for a refused act, 409 when someone acted meanwhile
(a stale version): the same services, selectors and access rules as the pages.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access, clock
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.schema import act_request, if_match

from ..filters import CaseFilter
from ..models import PromotionCase
from ..selectors import candidates as candidate_selectors
from ..selectors import cases as selectors
from ..serializers import (
    ACT_INPUT,
    ActInput,
    CandidateQuery,
    CandidateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CaseShownSerializer,
    NoInput,
)
from ..services.acts import ACTS

IF_MATCH = if_match("case")
ACT_REQUEST = act_request("CaseAct", ActInput, {a: ACT_INPUT.get(a, NoInput) for a in ACTS})


def render(case: PromotionCase) -> dict:
    """Return the case with its history."""
    data = dict(CaseDetailSerializer(case).data)
    data["history"] = [{"action": s.event.action, "from": s.event.from_state, "to": s.event.to_state, "at": s.event.at,
                        "reason": s.event.reason,
                        "by": getattr(getattr(s.event.by, "employee", None), "name", s.event.by.get_username())}
                       for s in selectors.history(case)]
    return data


def _tagged(case: PromotionCase) -> Response:
    return concurrency.tagged(Response(render(case)), concurrency.version_etag(case.version))


class CaseListView(ListAPIView):
    """GET: the cases the user may open (all of sales: all; a manager: their nominations and their teams'),
    filtered by ?state=."""

    serializer_class = CaseSerializer
    queryset = PromotionCase.objects.none()  # the schema's model; get_queryset gives the rows
    filterset_class = CaseFilter
    ordering_fields = ["effective_on", "state", "kind"]

    def get_queryset(self) -> QuerySet[PromotionCase]:
        p = access.principal(self.request)
        if not access.may_list_cases(p):
            raise PermissionDenied
        return selectors.cases_for(p).order_by("-pk")


class CaseDetailView(APIView):
    """GET: one case with the engine's verdict, HR's checklist and its history."""

    @extend_schema(responses=CaseShownSerializer, description="Answers the case's ETag (its version).")
    def get(self, request: Request, pk: int) -> Response:
        return _tagged(selectors.case_for(access.principal(request), pk))


class CaseActView(APIView):
    """POST {"action", "version", ...the action's fields}: one act through its service (see promotions.states);
    the version may come as If-Match instead (the detail's ETag)."""

    @extend_schema(request=ACT_REQUEST, parameters=[IF_MATCH], responses=CaseShownSerializer)
    def post(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        case = selectors.case_for(p, pk)
        head = parsed(ActInput, concurrency.with_version(request, request.data))
        fields = parsed(ACT_INPUT.get(head["action"], NoInput), request.data)
        result = ACTS[head["action"]](by=request.user, case_id=case.pk, version=head["version"], **fields)
        return _tagged(selectors.case_for(p, result.pk))


class CandidateListView(ListAPIView):
    """GET: HR's candidates, as the candidates page lists them: each active person's steps up eligible now or
    within ?horizon= months (with ?all=true, the rest too), each with the engine's checks met or not, in words;
    narrowed by ?team=&ladder=&position=, sorted by ?sort= (HR, the director, the general manager)."""

    serializer_class = CandidateSerializer
    filter_backends: list = []  # its filters are the engine's own (CandidateQuery), on a list, not a queryset

    def get_queryset(self) -> list[candidate_selectors.Candidate]:
        if getattr(self, "swagger_fake_view", False):
            return []  # the schema: no principal, and no model (a candidate is the engine's verdict)
        p = access.principal(self.request)
        if not access.may_see_candidates(p):
            raise PermissionDenied
        query = parsed(CandidateQuery, self.request.query_params)
        team = access.get_team(p, query["team"]).pk if "team" in query else None
        filters = candidate_selectors.Filters(horizon_months=query["horizon"], with_not_eligible=query["all"],
                                              team_id=team, ladder=query["ladder"], position=query["position"],
                                              sort=query["sort"])
        return candidate_selectors.candidates(p, clock.today(), filters)

    @extend_schema(parameters=[CandidateQuery])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
