from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboards.urls import moved as moved_pages

from . import navigation

urlpatterns = [
    path("", navigation.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("teams.api_urls")),
    path("api/", include("targets.api_urls")),
    path("api/", include("kpis.api_urls")),
    path("api/", include("appraisals.api_urls")),
    path("api/", include("promotions.api_urls")),
    path("api/", include("rewards.api_urls")),
    path("api/", include("dashboards.api_urls")),
    path("targets/", include("targets.urls")),
    *moved_pages,
    path("figures/", include("kpis.urls")),
    path("appraisals/", include("appraisals.urls")),
    path("promotions/", include("promotions.urls")),
    path("rewards/", include("rewards.urls")),
    path("", include("dashboards.urls")),
    path("", include("teams.urls")),
]
