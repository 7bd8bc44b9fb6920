"""Appraisal endpoints, included under /api/v1/ (see appraisals/api/ for who may call what)."""

from django.urls import path

from .api import appraisals as api
from .api import cycles, feedback

urlpatterns = [
    path("appraisals/", api.AppraisalListView.as_view(), name="appraisal-list"),
    path("appraisals/<int:pk>/", api.AppraisalDetailView.as_view(), name="appraisal-detail"),
    path("appraisals/<int:pk>/act/", api.AppraisalActView.as_view(), name="appraisal-act"),
    path("appraisals/<int:pk>/feedback-requests/", feedback.FeedbackAskView.as_view(),
         name="appraisal-feedback-ask"),
    path("feedback-requests/", feedback.FeedbackRequestListView.as_view(), name="feedback-request-list"),
    path("feedback-requests/<int:pk>/answer/", feedback.FeedbackAnswerView.as_view(), name="feedback-request-answer"),
    path("appraisal-cycles/", cycles.CycleListView.as_view(), name="appraisal-cycle-list"),
    path("appraisal-cycles/<int:pk>/", cycles.CycleDetailView.as_view(), name="appraisal-cycle-detail"),
    path("appraisal-cycles/<int:pk>/people/", cycles.CyclePersonAddView.as_view(), name="appraisal-cycle-person-add"),
    path("appraisal-cycles/<int:pk>/deadlines/", cycles.CycleDeadlinesView.as_view(),
         name="appraisal-cycle-deadlines"),
    path("appraisal-cycles/<int:pk>/close/", cycles.CycleCloseView.as_view(), name="appraisal-cycle-close"),
]
