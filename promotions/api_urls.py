"""Promotion endpoints, included under /api/v1/ (see promotions/api/ for who may call what)."""

from django.urls import path

from .api import cases as api
from .api import paths, training

urlpatterns = [
    path("promotion-cases/", api.CaseListView.as_view(), name="promotion-case-list"),
    path("promotion-cases/<int:pk>/", api.CaseDetailView.as_view(), name="promotion-case-detail"),
    path("promotion-cases/<int:pk>/act/", api.CaseActView.as_view(), name="promotion-case-act"),
    path("promotion-candidates/", api.CandidateListView.as_view(), name="promotion-candidate-list"),
    path("promotion-paths/", paths.PathListView.as_view(), name="promotion-path-list"),
    path("promotion-paths/steps/", paths.PathStepAddView.as_view(), name="promotion-path-step-add"),
    path("promotion-paths/steps/<int:pk>/requirements/", paths.RequirementAddView.as_view(),
         name="promotion-requirement-add"),
    path("promotion-pool-rule/", paths.PoolRuleView.as_view(), name="promotion-pool-rule"),
    path("training-sessions/", training.TrainingSessionListView.as_view(), name="training-session-list"),
    path("training-sessions/<int:pk>/", training.TrainingSessionDetailView.as_view(), name="training-session-detail"),
    path("training-sessions/<int:pk>/attendance/", training.AttendanceAddView.as_view(),
         name="training-attendance-add"),
]
