from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from dashboards.urls import moved as moved_pages

from . import api_docs, navigation

urlpatterns = [
    path("", navigation.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # pages without our <link rel="icon"> (the admin's, the API's JSON) still make browsers ask for this
    path("favicon.ico", navigation.FaviconRedirect.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("salesops.api_urls")),
    # The paths before versioning: a 308 to the same path under /api/v1/ (README, API).
    re_path(r"^api/(?!v1/)(?P<rest>.*)$", api_docs.unversioned, name="api-unversioned"),
    path("targets/", include("targets.urls")),
    *moved_pages,
    path("figures/", include("kpis.urls")),
    path("appraisals/", include("appraisals.urls")),
    path("promotions/", include("promotions.urls")),
    path("rewards/", include("rewards.urls")),
    path("", include("dashboards.urls")),
    path("", include("teams.urls")),
]
