from django.http import HttpRequest

from . import navigation


def navigation_links(request: HttpRequest) -> dict:
    """Put the role's navigation into every template."""
    return {"nav_links": navigation.links(request.user) if hasattr(request, "user") else []}
