"""The promotion pages under /promotions/; each view module declares its own routes."""

from .views import candidates, cases

app_name = "promotions"
urlpatterns = [*candidates.urlpatterns, *cases.urlpatterns]
