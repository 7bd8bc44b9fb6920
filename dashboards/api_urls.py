"""The rankings endpoint, included under /api/ (see dashboards/api.py for who may call it)."""

from django.urls import path

from . import api

urlpatterns = [
    path("rankings/", api.RankingView.as_view(), name="ranking"),
]
