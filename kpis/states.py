"""The declared state machine of the month close: open ⇄ closed, by the director, reopened only with a reason.

kpis.services.month_close / month_reopen are the only callers of MONTH.move; each move writes one StateEvent.
"""

from django.utils.translation import gettext_lazy as _

from teams import access
from teams.errors import DomainError
from teams.transitions import StateMachine, Transition, principal_may

from .models import MonthClose

OPEN, CLOSED = "open", "closed"


def _reason_given(_month: MonthClose, reason: str) -> None:
    if not reason.strip():
        raise DomainError(str(_("Say why the month is reopened.")), field="reason")


MONTH = StateMachine(
    name=_("month"), field="closed", stored={OPEN: False, CLOSED: True}, error_field="month",
    states={OPEN: _("open"), CLOSED: _("closed")},
    transitions=(
        Transition("close", OPEN, CLOSED, _("Close"), principal_may(access.may_edit_plan),
                   _("Only the sales director closes a month.")),
        Transition("reopen", CLOSED, OPEN, _("Reopen"), principal_may(access.may_edit_plan),
                   _("Only the sales director reopens a month."), check=_reason_given),
    ),
)
