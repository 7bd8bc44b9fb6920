"""The reward or penalty record's declared state machine (docs/rewards.md): proposed → approved (cash above the
HR line goes by HR first) or rejected → published → revoked; an open proposal can be withdrawn.

rewards.services are the only callers of RECORD.move; each move writes one teams StateEvent. Guards are rules of
teams/access.py. A published record is never edited: revoking it, with a reason, is the only move left.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from teams import access
from teams.errors import DomainError
from teams.transitions import StateMachine, Transition, principal_may

from .models import Method, Record, RecordState

PROPOSED, WITH_HR, APPROVED = RecordState.PROPOSED, RecordState.WITH_HR, RecordState.APPROVED
REJECTED, PUBLISHED, REVOKED, WITHDRAWN = (RecordState.REJECTED, RecordState.PUBLISHED, RecordState.REVOKED,
                                           RecordState.WITHDRAWN)
OPEN = (PROPOSED, WITH_HR)
FINAL = (APPROVED, PUBLISHED)  # counted in totals and paid; revoked, rejected and withdrawn records are not


def needs_hr(record: Record) -> bool:
    """Return whether the record also needs HR's approval: cash above settings.REWARDS_HR_CASH_ABOVE (CNY)."""
    return record.method == Method.CASH and (record.amount or 0) > settings.REWARDS_HR_CASH_ABOVE


def _reason_given(_record: Record, reason: str) -> None:
    if not reason.strip():
        raise DomainError(str(_("Say why.")), field="reason")


def _proposes(p: access.Principal, _record: Record) -> bool:
    return access.may_propose_records(p)


def _approves(p: access.Principal, record: Record) -> bool:
    return access.may_approve_record(p, record)


def _hr_approves(p: access.Principal, record: Record) -> bool:
    return access.may_hr_approve_record(p, record)


def _withdraws(p: access.Principal, record: Record) -> bool:
    return access.may_withdraw_record(p, record)


_PUBLISHER = principal_may(access.may_publish_records)
_ONLY_PROPOSER = _("Only the sales director, HR or a manager (for their own team) may propose a reward or penalty.")
_ONLY_APPROVER = _("Only the sales director approves or rejects a proposal, never their own; the director's own "
                   "proposals go to the general manager.")
_ONLY_HR = _("Only HR gives the second approval of a large cash record, and never for their own proposal.")
_ONLY_PUBLISHER = _("Only the sales director or HR publishes or revokes a record.")
_ONLY_WITHDRAWER = _("Only the person who proposed it, the sales director or HR may withdraw a proposal.")

RECORD = StateMachine(
    name=_("reward or penalty"), field="state", error_field="state", states=dict(RecordState.choices),
    transitions=(
        Transition("propose", PROPOSED, PROPOSED, _("Propose"), _proposes, _ONLY_PROPOSER),
        Transition("approve", PROPOSED, WITH_HR, _("Approve"), _approves, _ONLY_APPROVER, when=needs_hr),
        Transition("approve", PROPOSED, APPROVED, _("Approve"), _approves, _ONLY_APPROVER),
        Transition("reject", PROPOSED, REJECTED, _("Reject"), _approves, _ONLY_APPROVER, check=_reason_given),
        Transition("hr_approve", WITH_HR, APPROVED, _("Approve for HR"), _hr_approves, _ONLY_HR),
        Transition("reject", WITH_HR, REJECTED, _("Reject"), _hr_approves, _ONLY_HR, check=_reason_given),
        Transition("publish", APPROVED, PUBLISHED, _("Publish"), _PUBLISHER, _ONLY_PUBLISHER),
        Transition("revoke", PUBLISHED, REVOKED, _("Revoke"), _PUBLISHER, _ONLY_PUBLISHER, check=_reason_given),
        Transition("revoke", APPROVED, REVOKED, _("Revoke"), _PUBLISHER, _ONLY_PUBLISHER, check=_reason_given),
        *(Transition("withdraw", state, WITHDRAWN, _("Withdraw"), _withdraws, _ONLY_WITHDRAWER, check=_reason_given)
          for state in OPEN),
    ),
)
