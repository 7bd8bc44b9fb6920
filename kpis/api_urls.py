"""Weekly figures and metric registry endpoints, included under /api/ (see kpis/api.py for who may call what)."""

from django.urls import path

from . import api

urlpatterns = [
    path("metrics/", api.MetricListView.as_view(), name="metric-list"),
    path("figures/", api.FiguresView.as_view(), name="figures-list"),
    path("figures/submit/", api.FiguresSubmitView.as_view(), name="figures-submit"),
]
