"""Promotion case endpoints, included under /api/ (see promotions/api.py for who may call what)."""

from django.urls import path

from . import api

urlpatterns = [
    path("promotion-cases/", api.CaseListView.as_view(), name="promotion-case-list"),
    path("promotion-cases/<int:pk>/", api.CaseDetailView.as_view(), name="promotion-case-detail"),
    path("promotion-cases/<int:pk>/act/", api.CaseActView.as_view(), name="promotion-case-act"),
    path("promotion-candidates/", api.CandidateListView.as_view(), name="promotion-candidate-list"),
]
