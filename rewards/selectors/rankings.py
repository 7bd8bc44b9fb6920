"""Reads of the published rankings: the list, one period's frozen rows (amounts only if the director chose them,
the principal's own row marked) and what the dashboards' rankings page shows about a period. Every signed-in role
reads the published ones; a withdrawn one only the director and HR; an unpublished period is no one's page."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from teams import access
from teams.access import Principal

from ..models import PeriodKind, PublishedRanking


def rankings_for(p: Principal) -> QuerySet[PublishedRanking]:
    """Return the published rankings the principal may open, latest period first (withdrawn ones for the director
    and HR only)."""
    if not p.is_authenticated:
        return PublishedRanking.objects.none()
    rows = PublishedRanking.objects.all()
    if not access.may_write_notices(p):
        rows = rows.filter(withdrawn_at__isnull=True)
    return rows.defer("rows").order_by("-first_month", "period")


@dataclass
class Row:
    rank: int
    employee_id: int
    name: str
    team: str
    attainment: Decimal | None
    deposits: Decimal | None
    mine: bool


@dataclass
class RankingPage:
    ranking: PublishedRanking
    rows: list[Row]
    show_amounts: bool


def ranking_for(p: Principal, period: str, first_month: date) -> RankingPage:
    """Return the period's published ranking for the principal (one query), or 404 when it was never published or
    is withdrawn and the principal is not its director or HR."""
    if period not in (PeriodKind.MONTH, PeriodKind.PHASE):
        raise Http404
    ranking = rankings_for(p).defer(None).filter(period=period, first_month=first_month).first()
    if ranking is None:
        raise Http404
    rows = [Row(rank=r["rank"], employee_id=r["employee_id"], name=r["name"], team=r.get("team", ""),
                attainment=None if r.get("attainment") is None else Decimal(r["attainment"]),
                deposits=Decimal(r["deposits"]) if ranking.show_amounts and "deposits" in r else None,
                mine=p.employee_id is not None and r["employee_id"] == p.employee_id)
            for r in ranking.rows]
    return RankingPage(ranking, rows, ranking.show_amounts)


def published_of(period: str, first_month: date) -> PublishedRanking | None:
    """Return the period's published ranking, withdrawn or not, for the director's form (one query)."""
    return PublishedRanking.objects.defer("rows").filter(period=period, first_month=first_month).first()


def ranking_to_act_on(p: Principal, pk: int) -> PublishedRanking:
    """Return the published ranking the director acts on, or 404 (one query)."""
    found = rankings_for(p).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
