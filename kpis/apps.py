from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = _("KPI figures")

    def ready(self) -> None:
        from teams import hooks

        from . import selectors
        from .results import services as rollups

        hooks.subscribe(rollups.months_stale)
        hooks.subscribe_days(rollups.weeks_stale)
        hooks.subscribe_locks(selectors.closed_months)
        hooks.subscribe_deposits(selectors.company_month_deposits)
