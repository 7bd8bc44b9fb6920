"""Published rankings endpoints: the rankings every role reads once the director published them, and one period's
frozen rows (rewards.selectors.rankings). An unpublished period, or a withdrawn one for anyone but the director and
HR, is 404: a rep sees a ranking only through what was published. Read-only; publishing is the director's page."""

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access

from ..models import PublishedRanking
from ..selectors import rankings as selectors
from ..serializers.rankings import PublishedRankingDetailSerializer, PublishedRankingSerializer


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
