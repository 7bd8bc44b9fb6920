"""Today's date for the app. The demo can pin it (AS_OF_DATE) so the 2017 plan year reads as in progress."""

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    """Return AS_OF_DATE when set, else today's date in Asia/Shanghai."""
    return settings.AS_OF_DATE or timezone.localdate()
