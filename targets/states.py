"""The declared state machine of the plan: draft → approved, by the general manager or the director.

targets.services.plan_approve is the only caller of PLAN.move. A change to an approved plan's month target is not
a state move (approved stays approved): it is a TargetRevision with old and new target, like a FigureChange.
"""

from django.utils.translation import gettext_lazy as _

from teams import access
from teams.transitions import StateMachine, Transition, principal_may

from .models import PlanYear

DRAFT, APPROVED = PlanYear.Status.DRAFT.value, PlanYear.Status.APPROVED.value

PLAN = StateMachine(
    name=_("plan"), field="status", error_field="status", states=dict(PlanYear.Status.choices),
    transitions=(
        Transition("approve", DRAFT, APPROVED, _("Approve"), principal_may(access.may_approve_plan),
                   _("Only the general manager or the sales director approves a plan.")),
    ),
)
