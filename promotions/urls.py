"""The promotion pages under /promotions/; each view module declares its own routes."""

from .views import cases

app_name = "promotions"
urlpatterns = [*cases.urlpatterns]
