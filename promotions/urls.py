"""The promotion pages under /promotions/; each view module declares its own routes."""

from .views import candidates, cases, paths, training

app_name = "promotions"
urlpatterns = [*candidates.urlpatterns, *cases.urlpatterns, *paths.urlpatterns, *training.urlpatterns]
