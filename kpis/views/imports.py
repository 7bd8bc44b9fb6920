"""Placeholder: filled by the imports work."""

urlpatterns: list = []
