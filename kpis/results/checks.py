"""The nightly second opinion: check_rollups' plain recount of every stored column, logged and recorded."""

import io
import logging

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from .models import RollupCheck

logger = logging.getLogger(__name__)
REPORT_LINES = 60  # the command prints at most 50 differences and a few lines around them


def rollups_verify() -> RollupCheck:
    """Run check_rollups, record its outcome (the number of differences and the report) and return it."""
    out = io.StringIO()
    try:
        call_command("check_rollups", stdout=out)
        differences = 0
    except CommandError as error:
        # "N differences between the rollups and the weekly figures."
        differences = int(str(error).split()[0]) if str(error).split()[0].isdigit() else 1
    report = "\n".join(out.getvalue().splitlines()[:REPORT_LINES])
    check = RollupCheck.objects.create(checked_at=timezone.now(), differences=differences, report=report)
    if differences:
        logger.error("check_rollups found %d differences between the stored rollups and the weekly figures:\n%s",
                     differences, report)
    else:
        logger.info("check_rollups: the stored rollups match the weekly figures.")
    return check
