"""Plan and target endpoints, included under /api/ (see targets/api.py for who may call what)."""

from django.urls import path

from . import api

month = "plans/<int:plan_pk>/months/<int:pk>"

urlpatterns = [
    path("plans/", api.PlanListView.as_view(), name="plan-list"),
    path("plans/<int:pk>/", api.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/approve/", api.PlanApproveView.as_view(), name="plan-approve"),
    path("plans/<int:pk>/next-draft/", api.PlanDraftView.as_view(), name="plan-next-draft"),
    path(f"{month}/team-weights/", api.TeamWeightsView.as_view(), name="plan-month-team-weights"),
    path(f"{month}/rep-weights/", api.RepWeightsView.as_view(), name="plan-month-rep-weights"),
    path(f"{month}/proposals/", api.ProposalsView.as_view(), name="plan-month-proposals"),
    path(f"{month}/proposals/decide/", api.ProposalsDecideView.as_view(), name="plan-month-proposals-decide"),
    path("team-targets/", api.TeamTargetListView.as_view(), name="team-target-list"),
    path("rep-targets/", api.RepTargetListView.as_view(), name="rep-target-list"),
    path("week-targets/", api.WeekTargetListView.as_view(), name="week-target-list"),
]
