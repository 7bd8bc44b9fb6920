"""The dashboards' pages; each view module declares its own routes. The old /figures/ and /targets/mine/
addresses (the rep's page used to exist twice) redirect here, so bookmarks keep working."""

from django.urls import path
from django.views.generic import RedirectView

from .views import director, mine, rankings

app_name = "dashboards"
urlpatterns = [*director.urlpatterns, *mine.urlpatterns, *rankings.urlpatterns]

moved = [
    path("figures/dashboard/", RedirectView.as_view(pattern_name="dashboards:director", query_string=True)),
    path("figures/dashboard/teams/<int:team_pk>/",
         RedirectView.as_view(pattern_name="dashboards:team", query_string=True)),
    path("figures/dashboard/reps/<int:employee_pk>/",
         RedirectView.as_view(pattern_name="dashboards:rep", query_string=True)),
    path("figures/mine/", RedirectView.as_view(pattern_name="dashboards:mine", query_string=True)),
    path("targets/mine/", RedirectView.as_view(pattern_name="dashboards:mine", query_string=True)),
    path("figures/rankings/", RedirectView.as_view(pattern_name="dashboards:rankings", query_string=True)),
]
