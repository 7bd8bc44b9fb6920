"""Placeholder: filled by the mine work."""

urlpatterns: list = []
