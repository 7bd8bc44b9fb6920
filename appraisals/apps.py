from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    """Appraisal cycles, their steps, frozen KPI snapshots and ratings (between kpis and promotions)."""

    name = "appraisals"
    verbose_name = _("Appraisals")
