"""The acts on a nominated case, in docs/promotions.md's order, and ACTS: each action's service by name.

HR's review asks the engine (promotions.selectors.eligibility.eligibility_of) whether the rules are met: met goes
to the director, not met (or a skip-level) to the general manager as a special approval with a reason. An approved
case whose date has come is applied at once; the others by the daily task (promotions.tasks).
"""

from collections.abc import Callable
from datetime import date
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from teams import clock
from teams import services as team_services
from teams.errors import DomainError
from teams.models import Team, User

from ..calculations import Eligibility
from ..models import CaseKind, CaseState, PromotionCase
from ..selectors.cases import checklist_prefill
from ..selectors.eligibility import eligibility_of
from ..selectors.staff import team_lead_position
from .cases import UP_KINDS, acting, approver_subquery, case_nominate, checklist_check, is_skip_level, move

SKIP_LEVEL = "skip_level"


def engine_eligibility(employee_id: int, to_position_id: int, on: date, *, early: bool) -> Eligibility:
    """Return the engine's Eligibility for the move (the one place the review asks it; the case tests replace it)."""
    return eligibility_of(employee_id, to_position_id, on, early=early)


def verdict(case: PromotionCase) -> tuple[bool, list[dict[str, str]]]:
    """Return (rules met, the unmet rules as {"rule", "text"}) for the case on its effective date: the engine's
    checks for a promotion (probation not excluded when early promotion is recommended), always special for a
    skip-level; a lateral move, demotion or release has no rules."""
    if case.kind not in UP_KINDS:
        return True, []
    found = engine_eligibility(case.employee_id, case.to_position_id, case.effective_on,
                               early=case.early_recommended)
    unmet = [{"rule": c.rule, "text": c.text} for c in found.checks if not c.met]
    if is_skip_level(case):
        unmet.append({"rule": SKIP_LEVEL, "text": _("%(from)s → %(to)s skips a level: only a special approval "
                                                     "reaches it.") % {"from": case.from_position,
                                                                        "to": case.to_position}})
    return found.verdict == "now" and not unmet, unmet


@transaction.atomic
def case_review(*, by: User, case_id: int, version: int, checklist: dict, special_reason: str = "",
                early_recommended: bool = False, comment: str = "") -> PromotionCase:
    """Return the case reviewed by HR: the checklist and whether the department recommends early promotion out of
    probation kept, the engine's verdict recorded, and the case with the director (rules met) or the general
    manager (special approval, a reason required)."""
    found: dict[str, object] = {}

    def decide_branch(case: PromotionCase) -> None:
        case.early_recommended = early_recommended is True
        found["met"], found["unmet"] = verdict(case)
        case.rules_met = found["met"]

    case = acting(case_id, version, "review", by=by, before=decide_branch)
    review = checklist_check(checklist)
    special = special_reason.strip() if isinstance(special_reason, str) else ""
    if not found["met"] and not special:
        raise DomainError(_("The rules are not met (%(rules)s): a special approval needs a reason."),
                          field="special_reason", rules=", ".join(u["rule"] for u in found["unmet"]))
    _items, source = checklist_prefill(case.employee_id)
    return move(case, "review", by=by, reason=comment, also={
        "rules_met": found["met"], "unmet_rules": found["unmet"], "special_reason": special if not found["met"] else "",
        "early_recommended": case.early_recommended,
        "review": {"checklist": review, "prefilled_from": getattr(source, "pk", None)}})


def _lead_changes(case: PromotionCase, *, by: User, reason: str) -> None:
    """Make the nominee the manager of the team the case names; a case that takes a manager out of the team-lead
    position (up to director, onto another ladder, down) leaves the teams they led without a manager. Each change
    is recorded by teams.services.team_manager_change, naming the case."""
    if case.team_id is not None:
        team_services.team_manager_change(team=case.team, manager=case.employee, effective_on=case.effective_on,
                                          reason=reason, by=by, source=case)
    lead = team_lead_position()
    if case.to_position_id == case.from_position_id or lead is None or case.to_position_id == lead.pk:
        return
    for team in Team.objects.filter(manager_id=case.employee_id).order_by("pk"):
        team_services.team_manager_change(team=team, manager=None, effective_on=case.effective_on, reason=reason,
                                          by=by, source=case)


def _apply(case: PromotionCase, *, by: User) -> PromotionCase:
    """Write the case into the employee's dated history (and who leads which team) and move it to applied (the
    caller holds the lock)."""
    reason = f"{CaseKind(case.kind).label} #{case.pk}"
    if case.kind == CaseKind.RELEASE:
        # a case is applied only once its date has come (by the applier's today), so the leaving day has come
        team_services.employee_leave(employee=case.employee, left_on=case.effective_on, reason=reason,
                                     today=case.effective_on)
        return move(case, "apply", by=by)
    appointment = team_services.appointment_record(
        employee=case.employee, position=case.to_position, salary_grade=case.to_grade,
        effective_from=case.effective_on, reason=reason, recorded_by=by)
    _lead_changes(case, by=by, reason=reason)
    return move(case, "apply", by=by, also={"applied_appointment": appointment})


@transaction.atomic
def case_decide(*, by: User, case_id: int, version: int, approve: bool, reason: str = "") -> PromotionCase:
    """Return the case approved or rejected (a reason required); an approved case whose date has come is applied
    at once, a development plan starts."""
    action = "approve" if approve else "reject"
    case = acting(case_id, version, action, by=by, reason=reason)
    move(case, action, by=by, reason=reason, also={"decision_comment": reason.strip() if isinstance(
        reason, str) else ""})
    if approve and case.state == CaseState.APPROVED and case.effective_on <= clock.today():
        case.approved_by_id = by.pk
        _apply(case, by=by)
    return case


@transaction.atomic
def case_apply(*, by: User, case_id: int, version: int) -> PromotionCase:
    """Return the approved case applied (HR, once its effective date has come); a second apply is refused."""
    case = acting(case_id, version, "apply", by=by)
    if case.effective_on > clock.today():
        raise DomainError(_("The case takes effect on %(day)s; the daily task applies it then."),
                          field="effective_on", day=case.effective_on)
    return _apply(case, by=by)


def cases_apply_due(*, today: date) -> int:
    """Apply every approved case whose effective date has come, each in its own transaction, in the name of who
    approved it; return how many were applied (a second run applies none: the state is read under the lock)."""
    due = list(PromotionCase.objects.filter(state=CaseState.APPROVED, effective_on__lte=today)
               .annotate(approver=approver_subquery()).values_list("pk", "approver"))
    applied = 0
    for pk, approver_id in due:
        with transaction.atomic():
            case = (PromotionCase.objects.select_for_update(of=("self",)).select_related("employee", "to_position",
                                                                                           "to_grade")
                    .filter(pk=pk, state=CaseState.APPROVED).first())
            approver = User.objects.filter(pk=approver_id).first()
            if case is None or approver is None:
                continue  # applied meanwhile (another run), or nobody approved it through the machine
            case.approved_by_id = approver.pk
            _apply(case, by=approver)
            applied += 1
    return applied


@transaction.atomic
def case_withdraw(*, by: User, case_id: int, version: int, reason: str) -> PromotionCase:
    """Return the open case withdrawn (HR or its nominator, with a reason)."""
    return move(acting(case_id, version, "withdraw", by=by, reason=reason), "withdraw", by=by, reason=reason)


@transaction.atomic
def development_review(*, by: User, case_id: int, version: int, improved: bool, reason: str,
                       follow_kind: str = CaseKind.DEMOTION, to_position_id: int | None = None,
                       to_grade_id: int | None = None, effective_on: date | None = None) -> PromotionCase:
    """Return the development case closed by HR at its review: improved, or not, when a demotion or release case
    follows it (returned instead), nominated by HR."""
    action = "improved" if improved else "not_improved"
    case = acting(case_id, version, action, by=by, reason=reason)
    if improved:
        return move(case, action, by=by, reason=reason)
    if follow_kind not in (CaseKind.DEMOTION, CaseKind.RELEASE):
        raise DomainError(_("After a plan that did not work, propose a demotion or a release."), field="follow_kind")
    move(case, action, by=by, reason=reason)
    return case_nominate(by=by, employee_id=case.employee_id, kind=follow_kind, to_position_id=to_position_id,
                         to_grade_id=to_grade_id, effective_on=effective_on, reason=reason, follows=case)


# Every action of promotions.states.CASE on an existing case ("nominate" creates one: cases.case_nominate).
ACTS: dict[str, Callable[..., PromotionCase]] = {
    "review": case_review, "approve": partial(case_decide, approve=True), "reject": partial(case_decide, approve=False),
    "apply": case_apply, "withdraw": case_withdraw, "improved": partial(development_review, improved=True),
    "not_improved": partial(development_review, improved=False),
}
