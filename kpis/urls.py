"""The kpis app's pages; each view module declares its own routes."""

from .views import grid, imports, months, rollups

app_name = "kpis"
urlpatterns = [
    *grid.urlpatterns, *imports.urlpatterns, *months.urlpatterns, *rollups.urlpatterns,
]
