"""The API's pages: numbered, 50 a page unless ?page_size= asks for up to 200."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=, and ?page_size= up to a limit (a script reading everything pages through it)."""

    page_size_query_param = "page_size"
    max_page_size = 200
