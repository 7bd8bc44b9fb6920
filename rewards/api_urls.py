"""Rewards endpoints, included under /api/ (see rewards/api/*.py for who may call what)."""

from django.urls import path

from .api import rankings, records

urlpatterns = [
    path("reward-records/", records.RecordListView.as_view(), name="reward-record-list"),
    path("reward-records/<int:pk>/", records.RecordDetailView.as_view(), name="reward-record-detail"),
    path("reward-records/<int:pk>/act/", records.RecordActView.as_view(), name="reward-record-act"),
    path("published-rankings/", rankings.PublishedRankingListView.as_view(), name="published-ranking-list"),
    path("published-rankings/<slug:period>/<int:year>/<int:month>/", rankings.PublishedRankingDetailView.as_view(),
         name="published-ranking-detail"),
]
