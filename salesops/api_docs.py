"""The API's browsable docs and the redirect of the unversioned paths."""

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


# Swagger UI's stylesheet draws its icons as data: SVG images; the page allows those, nothing else more.
@method_decorator(csp_update({"img-src": ["data:"]}), name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's files, with its start-up script served as a file of its own
    (`?script`) and our page without inline style: nothing on it needs 'unsafe-inline' in a CSP."""

    template_name = "api/docs.html"
    title = "SalesOps API"


def unversioned(request: HttpRequest, rest: str) -> HttpResponsePermanentRedirect:
    """Answer /api/<rest> with a permanent redirect to /api/v1/<rest>: a 308, so a PUT stays a PUT with its body."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/api/v1/{rest}" + (f"?{query}" if query else ""), preserve_request=True)


@extend_schema(exclude=True)
class UnknownView(APIView):
    """Any other path under /api/v1/: a 404 in the API's one error shape (not Django's HTML page), for anyone."""

    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound(_("There is no API endpoint at this address."))

    def get(self, request, rest: str) -> None:  # every method is answered the same way, in `initial`
        """Never reached."""

    post = put = patch = delete = get
