"""Version 1 of the API, under /api/v1/ (salesops/urls.py): every app's endpoints, the schema and its docs.

URL names carry no namespace (`figures-list`, `plan-detail`), as before versioning; a version 2 would get its
own module and namespace beside this one.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from .api_docs import DocsView, UnknownView

urlpatterns = [
    path("", include("teams.api_urls")),
    path("", include("targets.api_urls")),
    path("", include("kpis.api_urls")),
    path("", include("appraisals.api_urls")),
    path("", include("promotions.api_urls")),
    path("", include("rewards.api_urls")),
    path("", include("dashboards.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^(?P<rest>.*)$", UnknownView.as_view(), name="api-unknown"),  # last: whatever else is asked
]
