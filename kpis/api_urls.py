"""Weekly figures and metric registry endpoints, included under /api/ (see kpis/api.py for who may call what)."""

from django.urls import path

from . import api
from .results import api as results

urlpatterns = [
    path("metrics/", api.MetricListView.as_view(), name="metric-list"),
    path("figures/", api.FiguresView.as_view(), name="figures-list"),
    path("figures/submit/", api.FiguresSubmitView.as_view(), name="figures-submit"),
    path("months/", api.MonthListView.as_view(), name="month-list"),
    path("months/close/", api.MonthCloseView.as_view(), name="month-close"),
    path("months/reopen/", api.MonthReopenView.as_view(), name="month-reopen"),
    path("rollups/", results.RollupStatusView.as_view(), name="rollup-status"),
    path("elimination-rule/", results.EliminationRuleView.as_view(), name="elimination-rule"),
    path("rep-results/", results.RepResultListView.as_view(), name="rep-result-list"),
    path("team-results/", results.TeamResultListView.as_view(), name="team-result-list"),
    path("company-results/", results.CompanyResultListView.as_view(), name="company-result-list"),
]
