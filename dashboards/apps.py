from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The pages that put every app together; no models and no rules of its own."""

    name = "dashboards"
    verbose_name = _("Dashboards")
