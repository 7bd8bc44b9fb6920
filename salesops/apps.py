from django.apps import AppConfig


class SalesopsConfig(AppConfig):
    """The project package as an app, so that it can hold the cross-app demo command."""

    name = "salesops"
    verbose_name = "SalesOps"
