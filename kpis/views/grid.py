"""Placeholder: filled by the grid work."""

urlpatterns: list = []
