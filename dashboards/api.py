"""The rankings endpoint: a month's or phase's company ranking with its bottom-elimination flags, as the rankings
page shows it (dashboards.selectors.rankings), to whom the page shows it: all of sales. Everyone else reads the
rankings the director published (rewards' published-rankings endpoints), never an unpublished one. Read-only."""

from dataclasses import dataclass

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpis.results.selectors import Freshness, freshness
from rewards.models import PublishedRanking
from rewards.selectors import rankings as published_rankings
from targets import selectors as target_selectors
from teams import access, clock
from teams.rest.inputs import parsed

from .selectors import rankings as selectors
from .serializers import RankingQuery, RankingSerializer


@dataclass(frozen=True)
class Ranking:
    page: selectors.RankingPage
    freshness: Freshness
    published: PublishedRanking | None

    @property
    def periods(self) -> list[dict]:
        return [{"period": kind, "first_month": first, "label": label} for kind, first, label in self.page.periods]


class RankingView(APIView):
    """GET ?plan=&period=&first=: the period's placings, those left out, the rule, the periods to choose from, its
    months' freshness and its published ranking if any (404: no such plan, or no plan holds today)."""

    @extend_schema(parameters=[RankingQuery], responses=RankingSerializer)
    def get(self, request: Request) -> Response:
        p = access.principal(request)
        if not access.sees_all_sales(p):
            raise PermissionDenied
        query = parsed(RankingQuery, request.query_params)
        plan = target_selectors.plan_chosen(str(query.get("plan", "")), clock.today())
        if plan is None:
            raise Http404
        page = selectors.ranking_page(plan, query.get("period"), query.get("first"),
                                      clock.today())
        ranking = Ranking(page, freshness(page.months), published_rankings.published_of(page.kind, page.first_month))
        return Response(RankingSerializer(ranking).data)
