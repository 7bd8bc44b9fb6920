"""When the rules run: a month's close requests a run (in the close's own transaction, so a broker outage loses
nothing), the task evaluates it once the month's rollups are current, and the sweep picks up whatever is still
pending (a lost worker, a broker that was away, rollups that were recalculating).
"""

import logging
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.models import MonthClose
from teams.errors import DomainError
from teams.models import User

from ..models import RuleRun
from ..selectors.results import months_not_current, periods_closed_by
from .evaluation import Outcome, rules_evaluate

logger = logging.getLogger(__name__)


def rules_request(month: date, by_user_id: int) -> None:
    """Record that the month's rules are due, in the name of who closed it, and queue the run after the commit."""
    now = timezone.now()
    RuleRun.objects.update_or_create(month=month, defaults={"requested_at": now, "requested_by_id": by_user_id,
                                                            "waiting_for": "", "last_error": ""})
    transaction.on_commit(lambda: _send(month))


def _send(month: date) -> None:
    from ..tasks import evaluate_rules  # the tasks module imports this one

    try:
        evaluate_rules.delay(month.isoformat())
    except Exception as error:  # the broker is away: the run stays pending and the sweep catches up
        logger.warning("The reward rules of %s are due, but their run could not be queued (%s: %s); the sweep runs "
                       "them once the broker answers.", f"{month:%Y-%m}", type(error).__name__, error)


def run_due(month: date) -> Outcome | None:
    """Evaluate the month's pending run when it can be (closed, rollups current); return its outcome, or None when
    it was not due or must wait (the reason is kept on the run for the rules page)."""
    with transaction.atomic():
        run = RuleRun.objects.select_for_update(skip_locked=True).filter(month=month).first()
        if run is None or not run.pending:
            return None
        requested = run.requested_at
        waiting = _waiting_for(month)
        if waiting:
            RuleRun.objects.filter(pk=run.pk).update(waiting_for=waiting)
            return None
        by = User.objects.get(pk=run.requested_by_id)
        try:
            with transaction.atomic():
                outcome = rules_evaluate(month=month, by=by)
        except Exception as error:  # nothing of the run was written; the sweep tries again
            logger.exception("The reward rules of %s failed", f"{month:%Y-%m}")
            RuleRun.objects.filter(pk=run.pk).update(last_error=f"{type(error).__name__}: {error}"[:2000])
            return None
        RuleRun.objects.filter(pk=run.pk).update(evaluated_at=requested, ran_at=timezone.now(),
                                                 proposed=outcome.proposed,
                                                 withdrawn=outcome.withdrawn, flagged=outcome.flagged,
                                                 waiting_for="", last_error="")
        return outcome


def _waiting_for(month: date) -> str:
    if not MonthClose.objects.filter(month=month, closed=True).exists():
        return _("The month was reopened; the rules run when it is closed again.")
    months = sorted({m for period in periods_closed_by(month) for m in period.months})
    stale = months_not_current(months)
    if stale:
        return _("The results of %(months)s are being recalculated.") % {
            "months": ", ".join(f"{m:%Y-%m}" for m in stale)}
    return ""


def runs_sweep() -> list[date]:
    """Run every pending run that can be run now, oldest month first; return the months evaluated."""
    done = []
    due = RuleRun.objects.filter(Q(evaluated_at__isnull=True) | Q(requested_at__gt=F("evaluated_at")))
    for month in due.order_by("month").values_list("month", flat=True):
        if run_due(month) is not None:
            done.append(month)
    return sorted(done)


def rules_run_now(*, month: date, by: User) -> Outcome:
    """Request and run the month's rules at once for the director (the page's button); refuses an open month."""
    if not MonthClose.objects.filter(month=month, closed=True).exists():
        raise DomainError(_("The rules run on a closed month; close %(month)s first."), field="month",
                          month=f"{month:%Y-%m}")
    with transaction.atomic():
        RuleRun.objects.update_or_create(month=month, defaults={"requested_at": timezone.now(),
                                                                "requested_by": by, "last_error": ""})
    outcome = run_due(month)
    if outcome is None:
        run = RuleRun.objects.get(month=month)
        raise DomainError(run.waiting_for or run.last_error or _("Another run of these rules is under way."),
                          field="month")
    return outcome
