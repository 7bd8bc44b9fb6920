from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()  # log-ins, lock-outs and admin changes become access events
