"""Reads for the rankings page and a rep's latest placing, from the stored placings and rollups."""

from dataclasses import dataclass
from datetime import date

from kpis.results.models import EliminationRule, PeriodPlacing, RepMonthResult
from targets.calculations import month_of_week
from targets.models import PlanYear


@dataclass
class RankingPage:
    kind: str
    first_month: date
    placings: list[PeriodPlacing]
    excluded: list[PeriodPlacing]
    rule: object
    periods: list[tuple[str, date, str]]  # (kind, first month, label) to choose from
    months: list[date]  # the period's months: whose freshness the page shows


def ranking_page(plan: PlanYear, kind: str | None, first_month: date | None, as_of: date) -> RankingPage:
    """Return one period's company ranking with its flags (default: the latest month with a ranking)."""
    months = list(plan.months.select_related("phase").order_by("month"))
    as_of_month = month_of_week(as_of)
    periods = [("month", m.month, f"{m.month:%Y-%m}") for m in months if m.month <= as_of_month]
    periods += [("phase", min(m.month for m in months if m.phase_id == p.pk), p.name)
                for p in {m.phase for m in months if m.month <= as_of_month}]
    ranked = set(PeriodPlacing.objects.filter(first_month__in=[m.month for m in months])
                 .values_list("period", "first_month").distinct())
    periods = sorted((p for p in periods if (p[0], p[1]) in ranked), key=lambda p: (p[0] != "month", p[1]))
    if (kind, first_month) not in {(k, f) for k, f, _label in periods}:
        months_ranked = [p for p in periods if p[0] == "month"]
        kind, first_month = (months_ranked[-1][0], months_ranked[-1][1]) if months_ranked else ("month", as_of_month)
    rows = list(PeriodPlacing.objects.filter(period=kind, first_month=first_month).select_related("employee")
                .order_by("rank", "employee__employee_number"))
    phase = next((m.phase_id for m in months if m.month == first_month), None)
    period_months = ([m.month for m in months if m.phase_id == phase] if kind == "phase" and phase
                     else [first_month])
    return RankingPage(kind, first_month, [r for r in rows if r.rank], [r for r in rows if not r.rank],
                       EliminationRule.objects.first() or EliminationRule(), periods, period_months)


def latest_placing(employee, as_of: date) -> RepMonthResult | None:
    """Return the rep's most recent month result with a company rank, up to the as-of month (one query)."""
    as_of_month = month_of_week(as_of)
    return (RepMonthResult.objects.filter(employee=employee, month__lte=as_of_month, rank_in_company__isnull=False)
            .select_related("team").order_by("-month").first())
