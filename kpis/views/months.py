"""Placeholder: filled by the months work."""

urlpatterns: list = []
