from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/allocation/", views.allocation, name="allocation"),
    path("plans/<int:pk>/reconcile/", views.reconcile, name="reconcile"),
    path("teams/<int:team_pk>/", views.team_targets, name="team"),
    path("calendar/", views.calendar, name="calendar"),
]
