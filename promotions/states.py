"""The promotion case's declared state machine (docs/promotions.md, "Cases"): nomination, HR's review, the
director's or the general manager's decision, application on the effective date, the development plan.

promotions.services.cases is the only caller of CASE.move; each move writes one teams StateEvent. Guards are
rules of teams/access.py.
"""

from django.utils.translation import gettext_lazy as _

from teams import access
from teams.errors import DomainError
from teams.transitions import StateMachine, Transition, principal_may

from .models import CaseKind, CaseState, PromotionCase

NOMINATED, WITH_DIRECTOR, WITH_GM = CaseState.NOMINATED, CaseState.WITH_DIRECTOR, CaseState.WITH_GENERAL_MANAGER
APPROVED, IN_DEVELOPMENT, APPLIED = CaseState.APPROVED, CaseState.IN_DEVELOPMENT, CaseState.APPLIED
IMPROVED, NOT_IMPROVED = CaseState.CLOSED_IMPROVED, CaseState.CLOSED_NOT_IMPROVED
REJECTED, WITHDRAWN = CaseState.REJECTED, CaseState.WITHDRAWN

OPEN = (NOMINATED, WITH_DIRECTOR, WITH_GM, APPROVED, IN_DEVELOPMENT)
WAITING_FOR_DECISION = (WITH_DIRECTOR, WITH_GM)


def _reason_given(_case: PromotionCase, reason: str) -> None:
    if not reason.strip():
        raise DomainError(str(_("Say why.")), field="reason")


def _rules_met(case: PromotionCase) -> bool:
    return bool(case.rules_met)


def _is_development(case: PromotionCase) -> bool:
    return case.kind == CaseKind.DEVELOPMENT


def _nominates(p: access.Principal, _case: PromotionCase) -> bool:
    return access.may_nominate(p)


def _decides(p: access.Principal, case: PromotionCase) -> bool:
    return access.may_decide_case(p, case)


def _withdraws(p: access.Principal, case: PromotionCase) -> bool:
    return access.may_withdraw_case(p, case)


def _applies(p: access.Principal, case: PromotionCase) -> bool:
    return access.may_apply_case(p, case)


_HR = principal_may(access.may_review_cases)
_ONLY_HR = _("Only HR may do this.")
_ONLY_NOMINATOR = _("Only the sales director, HR or a manager (for their own team's reps) may nominate.")
_ONLY_DECIDER = _("Only the sales director (rules met) or the general manager (special approval) decides a case, "
                  "and never the person who nominated it.")
_ONLY_WITHDRAWER = _("Only HR or the person who nominated the case may withdraw it.")
_ONLY_APPLIER = _("Only HR applies an approved case before the daily task does.")

CASE = StateMachine(
    name=_("promotion case"), field="state", error_field="state", states=dict(CaseState.choices),
    transitions=(
        Transition("nominate", NOMINATED, NOMINATED, _("Nominate"), _nominates, _ONLY_NOMINATOR),
        # HR's review asks the engine: the rules met go to the director, anything else is a special approval
        Transition("review", NOMINATED, WITH_DIRECTOR, _("Review"), _HR, _ONLY_HR, when=_rules_met),
        Transition("review", NOMINATED, WITH_GM, _("Review"), _HR, _ONLY_HR),
        *(Transition("approve", state, IN_DEVELOPMENT, _("Approve"), _decides, _ONLY_DECIDER, when=_is_development)
          for state in WAITING_FOR_DECISION),
        *(Transition("approve", state, APPROVED, _("Approve"), _decides, _ONLY_DECIDER)
          for state in WAITING_FOR_DECISION),
        *(Transition("reject", state, REJECTED, _("Reject"), _decides, _ONLY_DECIDER, check=_reason_given)
          for state in WAITING_FOR_DECISION),
        Transition("apply", APPROVED, APPLIED, _("Apply"), _applies, _ONLY_APPLIER),
        Transition("improved", IN_DEVELOPMENT, IMPROVED, _("Improved: close"), _HR, _ONLY_HR, check=_reason_given),
        # the plan ends; the demotion or release case that follows it is a case of its own (`follows`)
        Transition("not_improved", IN_DEVELOPMENT, NOT_IMPROVED, _("Not improved: propose a demotion or release"),
                   _HR, _ONLY_HR, check=_reason_given),
        *(Transition("withdraw", state, WITHDRAWN, _("Withdraw"), _withdraws, _ONLY_WITHDRAWER,
                     check=_reason_given) for state in OPEN),
    ),
)
