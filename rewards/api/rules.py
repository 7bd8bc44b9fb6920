"""Reward rules endpoints: the rules and their latest runs (the director, the general manager and HR read them),
a new rule, a change at the version read, the default set and a run for a closed month (the director), through
rewards.selectors.rules, rewards.services.rules and rewards.services.runs like the pages (rewards/views/rules.py).

403 for a role whose pages never show the rules (and for a reader's write), 404 for a rule that is not there, 400
naming the field a service refuses, 409 with the current version when someone changed the rule meanwhile. A rule's
GET answers its ETag (its version), which a change may send as If-Match instead of the body's `version`.
"""

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.schema import STALE, if_match

from ..models import Rule
from ..selectors import rules as selectors
from ..serializers.rules import (
    RuleDetailSerializer,
    RuleNewInput,
    RuleRunSerializer,
    RulesAddedSerializer,
    RulesRanSerializer,
    RulesRunInput,
    RuleUpdateInput,
)
from ..services import rules as services
from ..services.runs import rules_run_now
from .common import StaleVersionResponses


def _rule(pk: int) -> Rule:
    found = selectors.rules().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _shown(rule: Rule, status_code: int = status.HTTP_200_OK) -> Response:
    return concurrency.tagged(Response(RuleDetailSerializer(rule).data, status=status_code),
                              concurrency.version_etag(rule.version))


class RuleListView(ListAPIView):
    """GET: the rules, active first, by period and code, as the rules page lists them.
    POST: a new rule (the director)."""

    serializer_class = RuleDetailSerializer
    queryset = Rule.objects.none()  # the schema's model; get_queryset gives the rows

    def get_queryset(self) -> QuerySet[Rule]:
        access.endpoint_for(self.request, access.may_see_rules)
        return selectors.rules()

    @extend_schema(request=RuleNewInput, responses={201: RuleDetailSerializer},
                   description="Answers the new rule with its ETag (its version).")
    def post(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_edit_rules)
        made = services.rule_save(by=request.user, **parsed(RuleNewInput, request.data))
        return _shown(_rule(made.pk), status.HTTP_201_CREATED)


class RuleDetailView(StaleVersionResponses, APIView):
    """GET: one rule with its ETag. PUT: change it at the version read (the body's `version` or If-Match; the
    director); its code never changes."""

    rule_id: int | None = None

    def current_version(self) -> int | None:
        return Rule.objects.filter(pk=self.rule_id).values_list("version", flat=True).first()

    @extend_schema(responses=RuleDetailSerializer, description="Answers the rule's ETag (its version).")
    def get(self, request: Request, pk: int) -> Response:
        access.endpoint_for(request, access.may_see_rules)
        return _shown(_rule(pk))

    @extend_schema(request=RuleUpdateInput, parameters=[if_match("rule")],
                   responses={200: RuleDetailSerializer, 409: STALE})
    def put(self, request: Request, pk: int) -> Response:
        access.endpoint_for(request, access.may_edit_rules)
        self.rule_id = _rule(pk).pk
        data = parsed(RuleUpdateInput, concurrency.with_version(request, request.data))
        services.rule_save(by=request.user, rule_id=self.rule_id, **data)
        return _shown(_rule(pk))


class RuleDefaultsView(APIView):
    """POST: add the default rules whose codes are missing (the director); none missing adds none."""

    @extend_schema(request=None, responses=RulesAddedSerializer)
    def post(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_edit_rules)
        return Response({"added": services.default_rules_ensure(by=request.user)})


class RulesRunView(APIView):
    """POST {"month"}: run the rules for a closed month now (the director), as the page's button."""

    @extend_schema(request=RulesRunInput, responses=RulesRanSerializer)
    def post(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_edit_rules)
        month = parsed(RulesRunInput, request.data)["month"].replace(day=1)
        outcome = rules_run_now(month=month, by=request.user)
        return Response(RulesRanSerializer({"month": month, "proposed": outcome.proposed,
                                            "withdrawn": outcome.withdrawn, "flagged": outcome.flagged}).data)


class RuleRunListView(APIView):
    """GET: the latest runs of the rules, latest month first, as the rules page shows them."""

    @extend_schema(responses=RuleRunSerializer(many=True))
    def get(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_see_rules)
        return Response(RuleRunSerializer(selectors.latest_runs(), many=True).data)
