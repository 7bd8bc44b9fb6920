"""The kpis app's pages; each view module declares its own routes."""

from .views import dashboard, grid, imports, mine, months, rankings

app_name = "kpis"
urlpatterns = [
    *dashboard.urlpatterns, *grid.urlpatterns, *imports.urlpatterns, *mine.urlpatterns, *months.urlpatterns,
    *rankings.urlpatterns,
]
