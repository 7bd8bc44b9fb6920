"""Published rankings endpoints: the rankings every role reads once the director published them, and one period's
frozen rows (rewards.selectors.rankings). An unpublished period, or a withdrawn one for anyone but the director and
HR, is 404: a rep sees a ranking only through what was published. The director publishes a closed month or phase
(republishing replaces its rows) and withdraws one at the version read, through rewards.services.rankings like the
pages: 403 for anyone else, 400 naming the field refused, 409 with the current version when it changed meanwhile."""

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.schema import STALE, if_match

from ..models import PublishedRanking
from ..selectors import rankings as selectors
from ..serializers.rankings import (
    PublishedRankingDetailSerializer,
    PublishedRankingSerializer,
    RankingPublishInput,
    RankingWithdrawInput,
)
from ..services.rankings import ranking_publish, ranking_withdraw
from .common import StaleVersionResponses


class PublishedRankingListView(ListAPIView):
    """GET: the published rankings, latest period first."""

    serializer_class = PublishedRankingSerializer
    queryset = PublishedRanking.objects.none()  # the schema's model; get_queryset gives the rows

    def get_queryset(self) -> QuerySet[PublishedRanking]:
        return selectors.rankings_for(access.principal(self.request))


class PublishedRankingDetailView(APIView):
    """GET: one period's published rows (the deposits only if the director chose to show them)."""

    @extend_schema(parameters=[OpenApiParameter("period", str, OpenApiParameter.PATH, enum=["month", "phase"],
                                                description="The kind of period.")],
                   responses=PublishedRankingDetailSerializer)
    def get(self, request: Request, period: str, year: int, month: int) -> Response:
        try:
            first = date(year, month, 1)
        except (ValueError, OverflowError):
            raise Http404 from None
        return Response(PublishedRankingDetailSerializer(
            selectors.ranking_for(access.principal(request), period, first)).data)



def _director(request: Request) -> access.Principal:
    p = access.principal(request)
    if not access.may_publish_rankings(p):
        raise PermissionDenied
    return p


def _shown(ranking: PublishedRanking) -> Response:
    return concurrency.tagged(Response(PublishedRankingSerializer(ranking).data),
                              concurrency.version_etag(ranking.version))


class RankingPublishView(APIView):
    """POST {"period", "first_month", "show_amounts"}: publish a closed month's or phase's ranking to everyone, its
    rows frozen from the current placings (the director); a published period is replaced and its version bumped."""

    @extend_schema(request=RankingPublishInput, responses=PublishedRankingSerializer,
                   description="Answers the published ranking with its ETag (its version), for a withdrawal.")
    def post(self, request: Request) -> Response:
        _director(request)
        return _shown(ranking_publish(by=request.user, **parsed(RankingPublishInput, request.data)))


class RankingWithdrawView(StaleVersionResponses, APIView):
    """POST {"version"}: withdraw a published ranking and its notice at the version read (or If-Match); reps no
    longer see it, the director and HR still do (the director)."""

    ranking_id: int | None = None

    def current_version(self) -> int | None:
        return PublishedRanking.objects.filter(pk=self.ranking_id).values_list("version", flat=True).first()

    @extend_schema(request=RankingWithdrawInput, parameters=[if_match("ranking")],
                   responses={200: PublishedRankingSerializer, 409: STALE})
    def post(self, request: Request, pk: int) -> Response:
        p = _director(request)
        self.ranking_id = selectors.ranking_to_act_on(p, pk).pk
        data = parsed(RankingWithdrawInput, concurrency.with_version(request, request.data))
        return _shown(ranking_withdraw(ranking_id=self.ranking_id, by=request.user, **data))
