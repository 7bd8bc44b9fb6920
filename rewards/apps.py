from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("Rewards and penalties")

    def ready(self) -> None:
        from teams import hooks

        from .services import runs

        hooks.subscribe_closes(runs.rules_request)
