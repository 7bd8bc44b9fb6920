"""Rewards endpoints, included under /api/ (see rewards/api/*.py for who may call what)."""

from django.urls import path

from .api import records

urlpatterns = [
    path("reward-records/", records.RecordListView.as_view(), name="reward-record-list"),
    path("reward-records/<int:pk>/", records.RecordDetailView.as_view(), name="reward-record-detail"),
    path("reward-records/<int:pk>/act/", records.RecordActView.as_view(), name="reward-record-act"),
]
