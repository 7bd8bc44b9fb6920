"""Appraisal endpoints, included under /api/ (see appraisals/api.py for who may call what)."""

from django.urls import path

from . import api

urlpatterns = [
    path("appraisals/", api.AppraisalListView.as_view(), name="appraisal-list"),
    path("appraisals/<int:pk>/", api.AppraisalDetailView.as_view(), name="appraisal-detail"),
    path("appraisals/<int:pk>/act/", api.AppraisalActView.as_view(), name="appraisal-act"),
]
