"""The API's browsable docs and the redirect of the unversioned paths."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files, with its start-up script served as a file of its own
    (`?script`) and our page without inline style: nothing on it needs 'unsafe-inline' in a CSP."""

    template_name = "api/docs.html"
    title = "SalesOps API"


def unversioned(request: HttpRequest, rest: str) -> HttpResponsePermanentRedirect:
    """Answer /api/<rest> with a permanent redirect to /api/v1/<rest>: a 308, so a PUT stays a PUT with its body."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/api/v1/{rest}" + (f"?{query}" if query else ""), preserve_request=True)
