"""The declared state machines of an appraisal (the HR plan's steps, in order) and of a cycle.

appraisals.services are the only callers of APPRAISAL.move / CYCLE.move; each move writes one teams StateEvent.
Data collection is not a state of its own: the figures are collected, and frozen, by the move out of the self
review. Moves that keep the state (re-collect the figures, reassign the rater, add a person) are events too.
"""

from django.utils.translation import gettext_lazy as _

from teams import access
from teams.errors import DomainError
from teams.transitions import StateMachine, Transition, principal_may

from .models import Appraisal, Cycle, Step

GOALS, SELF_REVIEW, FEEDBACK, VERIFICATION = Step.GOALS, Step.SELF_REVIEW, Step.FEEDBACK, Step.VERIFICATION
RATING, CONFIRMATION, DISPUTED, CONFIRMED = Step.RATING, Step.CONFIRMATION, Step.DISPUTED, Step.CONFIRMED
PUBLISHED, WITHDRAWN = Step.PUBLISHED, Step.WITHDRAWN

# Before the rater signs: the figures may be collected again and the rater changed.
BEFORE_SIGN_OFF = (GOALS, SELF_REVIEW, FEEDBACK, VERIFICATION, RATING)
NOT_FINISHED = (*BEFORE_SIGN_OFF, CONFIRMATION, DISPUTED, CONFIRMED)


def _reason_given(_appraisal: Appraisal, reason: str) -> None:
    if not reason.strip():
        raise DomainError(str(_("Say why.")), field="reason")


def _comment_given(_appraisal: Appraisal, reason: str) -> None:
    if not reason.strip():
        raise DomainError(str(_("Write what you disagree with.")), field="reason")


def _collects_feedback(appraisal: Appraisal) -> bool:
    return appraisal.cycle.with_feedback


def _as_rater(p: access.Principal, appraisal: Appraisal) -> bool:
    return access.is_rater(p, appraisal)


def _as_appraisee(p: access.Principal, appraisal: Appraisal) -> bool:
    return access.is_appraisee(p, appraisal)


def _as_verifier(p: access.Principal, appraisal: Appraisal) -> bool:
    return access.may_verify_appraisal(p, appraisal)


_HR = principal_may(access.may_run_appraisals)
_ONLY_RATER = _("Only the appraisal's rater may do this.")
_ONLY_APPRAISEE = _("Only the appraised employee may do this.")
_ONLY_VERIFIER = _("Only HR (the sales director, for a manager's appraisal) verifies an appraisal.")
_ONLY_HR = _("Only HR may do this.")

APPRAISAL = StateMachine(
    name=_("appraisal"), field="state", error_field="state", states=dict(Step.choices),
    transitions=(
        Transition("add", GOALS, GOALS, _("Add to the cycle"), _HR, _ONLY_HR, check=_reason_given),
        # saving draft goals keeps the state; as a move it is refused outside `goals` and recorded like any act
        Transition("save_goals", GOALS, GOALS, _("Save the goals"), _as_rater, _ONLY_RATER),
        Transition("confirm_goals", GOALS, SELF_REVIEW, _("Confirm the goals"), _as_rater, _ONLY_RATER),
        Transition("submit_review", SELF_REVIEW, FEEDBACK, _("Submit the self review"), _as_appraisee,
                   _ONLY_APPRAISEE, when=_collects_feedback),
        Transition("submit_review", SELF_REVIEW, VERIFICATION, _("Submit the self review"), _as_appraisee,
                   _ONLY_APPRAISEE),
        Transition("close_feedback", FEEDBACK, VERIFICATION, _("Close the feedback"), _HR, _ONLY_HR),
        Transition("verify", VERIFICATION, RATING, _("Verified"), _as_verifier, _ONLY_VERIFIER),
        # a question sends the evidence back to the employee; resubmitting collects the figures again
        Transition("question", VERIFICATION, SELF_REVIEW, _("Send back with a question"), _as_verifier,
                   _ONLY_VERIFIER, check=_reason_given),
        Transition("rate", RATING, CONFIRMATION, _("Rate and sign"), _as_rater, _ONLY_RATER),
        Transition("confirm", CONFIRMATION, CONFIRMED, _("Confirm the result"), _as_appraisee, _ONLY_APPRAISEE),
        Transition("disagree", CONFIRMATION, DISPUTED, _("Disagree"), _as_appraisee, _ONLY_APPRAISEE,
                   check=_comment_given),
        Transition("keep", DISPUTED, CONFIRMED, _("Keep the rating"), _HR, _ONLY_HR, check=_reason_given),
        Transition("return", DISPUTED, RATING, _("Return to the rater"), _HR, _ONLY_HR, check=_reason_given),
        Transition("publish", CONFIRMED, PUBLISHED, _("Publish"), _HR, _ONLY_HR),
        *(Transition("recollect", state, state, _("Collect the figures again"), _HR, _ONLY_HR)
          for state in (FEEDBACK, VERIFICATION, RATING)),
        *(Transition("reassign", state, state, _("Change the rater"), _HR, _ONLY_HR, check=_reason_given)
          for state in BEFORE_SIGN_OFF),
        *(Transition("withdraw", state, WITHDRAWN, _("Withdraw from the cycle"), _HR, _ONLY_HR, check=_reason_given)
          for state in NOT_FINISHED),
    ),
)

OPEN, CLOSED = Cycle.Status.OPEN, Cycle.Status.CLOSED

CYCLE = StateMachine(
    name=_("appraisal cycle"), field="status", error_field="cycle", states=dict(Cycle.Status.choices),
    transitions=(
        Transition("open", OPEN, OPEN, _("Open"), _HR, _ONLY_HR),
        Transition("set_deadlines", OPEN, OPEN, _("Change the due dates"), _HR, _ONLY_HR),
        Transition("close", OPEN, CLOSED, _("Close"), _HR, _ONLY_HR),
    ),
)
