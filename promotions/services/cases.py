"""Every write to a promotion case: nominate, review, decide, apply, withdraw, and the development plan's outcome.

Each act locks the case, refuses a user the move's rule does not allow, an older version, a move the state does not
have and bad input (in that order), then moves the state and bumps the version in one save: a refusal changes
nothing. Applying writes the dated appointment (or, for a release, the leaving date) through teams.services, once.
"""

from collections.abc import Callable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisals.calculations import below_satisfactory
from appraisals.models import Appraisal, Condition, Step
from teams import access, clock
from teams import services as team_services
from teams.errors import DomainError
from teams.models import Employee, Position, SalaryGrade, StateEvent, Team, User
from teams.transitions import subject_type

from ..models import CaseKind, CaseState, PathStep, PromotionCase, Rung
from ..selectors.staff import team_lead_position
from ..states import CASE, OPEN

UP_KINDS = (CaseKind.UP_POSITION_AND_SALARY, CaseKind.UP_POSITION, CaseKind.UP_SALARY)
# a development plan, a demotion or a release starts from the bottom of the ranking or a poor appraisal
AFTER_BOTTOM = (CaseKind.DEVELOPMENT, CaseKind.DEMOTION, CaseKind.RELEASE)


def _text(value: object, field: str, message: str, limit: int = 5000) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise DomainError(message, field=field)
    if len(text) > limit:
        raise DomainError(_("At most %(limit)s characters."), field=field, limit=limit)
    return text


def _row(model, pk: object, field: str, message: str):
    row = model.objects.filter(pk=pk).first() if isinstance(pk, int) and 0 < pk < 2**31 else None
    if row is None:
        raise DomainError(message, field=field)
    return row


# --- nomination ------------------------------------------------------------------------------------------------

def _ladder(position: Position) -> int | None:
    return Rung.objects.filter(position=position).values_list("ladder_id", flat=True).first()


def kind_check(kind: str, *, from_position: Position, to_position: Position, from_grade: SalaryGrade,
               to_grade: SalaryGrade) -> None:
    """Raise DomainError when the target does not fit the kind of case (the rule named, on the field at fault)."""
    up_position, up_grade = to_position.level > from_position.level, to_grade.level > from_grade.level
    same_position, same_grade = to_position.pk == from_position.pk, to_grade.pk == from_grade.pk
    if kind in (CaseKind.UP_POSITION_AND_SALARY, CaseKind.UP_POSITION) and same_position:
        raise DomainError(_("The target position is the current one; choose the position to promote to."),
                          field="to_position")
    if kind in (CaseKind.UP_POSITION_AND_SALARY, CaseKind.UP_POSITION) and not up_position:
        raise DomainError(_("A promotion needs a higher position than %(position)s."), field="to_position",
                          position=from_position)
    if kind == CaseKind.UP_POSITION_AND_SALARY and not up_grade:
        raise DomainError(_("“Position and salary up” needs a higher salary grade than %(grade)s."),
                          field="to_grade", grade=from_grade)
    if kind == CaseKind.UP_POSITION and not same_grade:
        raise DomainError(_("“Position up, salary the same” keeps the salary grade %(grade)s."), field="to_grade",
                          grade=from_grade)
    if kind == CaseKind.UP_SALARY and not same_position:
        raise DomainError(_("“Position the same, salary up” keeps the position %(position)s."),
                          field="to_position", position=from_position)
    if kind == CaseKind.UP_SALARY and not up_grade:
        raise DomainError(_("A salary rise needs a higher salary grade than %(grade)s."), field="to_grade",
                          grade=from_grade)
    if kind == CaseKind.LATERAL and (same_position or _ladder(to_position) == _ladder(from_position)):
        raise DomainError(_("A lateral move goes to a position on another ladder."), field="to_position")
    if kind == CaseKind.DEMOTION and not (to_position.level < from_position.level or to_grade.level < from_grade.level):
        raise DomainError(_("A demotion needs a lower position or a lower salary grade."), field="to_position")
    if kind == CaseKind.RELEASE and not (same_position and same_grade):
        raise DomainError(_("A release keeps the position and grade until the leaving date."), field="to_position")


def _date_check(employee: Employee, effective_on: object) -> date:
    if not isinstance(effective_on, date):
        raise DomainError(_("Give the effective date."), field="effective_on")
    if effective_on < employee.hire_date:
        raise DomainError(_("%(name)s was hired on %(day)s; the effective date cannot be before."),
                          field="effective_on", name=employee.name, day=employee.hire_date)
    if employee.left_on and effective_on > employee.left_on:
        raise DomainError(_("%(name)s left on %(day)s; the effective date cannot be after."), field="effective_on",
                          name=employee.name, day=employee.left_on)
    return effective_on


def _source_appraisal(employee: Employee, appraisal_id: object) -> Appraisal | None:
    if appraisal_id in (None, ""):
        return None
    appraisal = _row(Appraisal, appraisal_id, "source_appraisal", _("There is no such appraisal."))
    if appraisal.employee_id != employee.pk or appraisal.state != Step.PUBLISHED:
        raise DomainError(_("A case starts from one of the employee's published appraisals."),
                          field="source_appraisal")
    if not below_satisfactory(appraisal.rating):
        raise DomainError(_("Only an appraisal rated below satisfactory starts a development case."),
                          field="source_appraisal")
    return appraisal


def _plan(kind: str, plan_text: object, review_on: object, effective_on: date) -> tuple[str, date | None]:
    if kind != CaseKind.DEVELOPMENT:
        return "", None
    text = _text(plan_text, "plan_text", _("Write the development plan: the move or the training."))
    if not isinstance(review_on, date):
        raise DomainError(_("Give the date the plan is reviewed."), field="review_on")
    if review_on <= effective_on:
        raise DomainError(_("The plan is reviewed after it starts (%(day)s)."), field="review_on", day=effective_on)
    return text, review_on


def into_team_lead(from_position: Position, to_position: Position) -> bool:
    """Return whether a move from one position to the other takes someone into the position that leads a team."""
    lead = team_lead_position()
    return lead is not None and to_position.pk == lead.pk and from_position.pk != lead.pk


def _team_to_lead(p: access.Principal, employee: Employee, *, into_lead: bool, team_id: object,
                  replaces_manager_id: object) -> tuple[Team | None, Employee | None]:
    """Return (the team the nominee will lead, the manager they replace) for a case into the team-lead position,
    the team taken from the manager when only they are named; (None, None) for any other case."""
    named = team_id not in (None, "") or replaces_manager_id not in (None, "")
    if not into_lead:
        if named:
            raise DomainError(_("Only a case into the position that leads a team names a team to lead."),
                              field="team")
        return None, None
    teams = access.nominable_teams(p)
    team = replaces = None
    led: list[Team] = []
    if replaces_manager_id not in (None, ""):
        led = list(teams.filter(manager_id=replaces_manager_id).select_related("manager")[:2]) if isinstance(
            replaces_manager_id, int) and 0 < replaces_manager_id < 2**31 else []
        if not led:  # not a manager, or of a team outside the scope: the same answer, so nothing is revealed
            raise DomainError(_("There is no such team manager you may name."), field="replaces_manager")
        replaces = led[0].manager
    if team_id not in (None, ""):
        team = teams.filter(pk=team_id).first() if isinstance(team_id, int) and 0 < team_id < 2**31 else None
        if team is None:
            raise DomainError(_("There is no such team you may name."), field="team")
        if replaces is not None and team.manager_id != replaces.pk:
            raise DomainError(_("%(name)s does not lead %(team)s."), field="replaces_manager", name=replaces.name,
                              team=team)
    elif replaces is not None:
        if len(led) > 1:
            raise DomainError(_("%(name)s leads more than one team: choose the team."), field="team",
                              name=replaces.name)
        team = led[0]
    if team is None:
        raise DomainError(_("Name the team %(name)s will lead, or the manager they replace."), field="team",
                          name=employee.name)
    if team.manager_id == employee.pk:
        raise DomainError(_("%(name)s leads %(team)s already."), field="team", name=employee.name, team=team)
    if not access.may_be_given_a_team(employee.user):
        raise DomainError(_("%(name)s's log-in is not a sales one: only a sales rep or manager leads a team."),
                          field="employee", name=employee.name)
    return team, replaces


@transaction.atomic
def case_nominate(*, by: User, employee_id: int, kind: str, to_position_id: int | None = None,
                  to_grade_id: int | None = None, effective_on: date, reason: str, plan_text: str = "",
                  review_on: date | None = None, source_appraisal_id: int | None = None,
                  team_id: int | None = None, replaces_manager_id: int | None = None,
                  follows: PromotionCase | None = None) -> PromotionCase:
    """Return the new case, nominated: the employee's current position and grade, the target the kind needs
    (the current ones where it keeps them), the effective date within their employment, and why; a case into the
    team-lead position names the team they will lead and/or the manager they replace."""
    p = access.principal_of(by)
    if not access.may_nominate(p):
        raise DomainError(str(CASE.transitions[0].refused), field="action")
    if kind not in CaseKind.values:
        raise DomainError(_("Choose the kind of case."), field="kind")
    employee = access.nominable_employees(p, clock.today()).filter(pk=employee_id).first() if isinstance(
        employee_id, int) and 0 < employee_id < 2**31 else None
    if employee is None:  # outside the scope, or not here: the same answer, so nothing is revealed
        raise DomainError(_("There is no such employee you may nominate (a manager nominates their own team's "
                            "current reps)."), field="employee")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    on = _date_check(employee, effective_on)
    current = team_services.appointment_at(employee, on) or team_services.appointment_at(employee, clock.today())
    if current is None:
        raise DomainError(_("%(name)s has no position on record."), field="employee", name=employee.name)
    keeps = kind in (CaseKind.RELEASE, CaseKind.DEVELOPMENT)
    to_position = current.position if keeps and to_position_id is None else _row(
        Position, to_position_id, "to_position", _("There is no such position."))
    to_grade = current.salary_grade if to_grade_id is None else _row(
        SalaryGrade, to_grade_id, "to_grade", _("There is no such salary grade."))
    kind_check(kind, from_position=current.position, to_position=to_position, from_grade=current.salary_grade,
               to_grade=to_grade)
    team, replaces = _team_to_lead(p, employee, into_lead=into_team_lead(current.position, to_position),
                                   team_id=team_id, replaces_manager_id=replaces_manager_id)
    why = _text(reason, "reason", _("Say why you nominate them."))
    plan, review = _plan(kind, plan_text, review_on, on)
    source = _source_appraisal(employee, source_appraisal_id)
    if PromotionCase.objects.filter(employee=employee, state__in=OPEN).exclude(
            pk=getattr(follows, "pk", None)).exists():
        raise DomainError(_("%(name)s has an open case already; decide or withdraw it first."), field="employee",
                          name=employee.name)
    case = PromotionCase(employee=employee, kind=kind, from_position=current.position, to_position=to_position,
                         from_grade=current.salary_grade, to_grade=to_grade, effective_on=on, nominated_by=by,
                         reason=why, plan_text=plan, review_on=review, source_appraisal=source, follows=follows,
                         team=team, replaces_manager=replaces)
    CASE.move(case, "nominate", by=by, reason=why)
    return case


# --- acts on a case ------------------------------------------------------------------------------------------

def _locked(case_id: object, *, by: User) -> PromotionCase:
    rows = access.scope_cases(access.principal_of(by), PromotionCase.objects.all())
    case = (rows.select_for_update(of=("self",)).select_related("employee", "to_position", "to_grade")
            .filter(pk=case_id).first() if isinstance(case_id, int) and 0 < case_id < 2**31 else None)
    if case is None:
        raise DomainError(_("There is no such case you may act on."), field="case_id")
    case.approved_by_id = (StateEvent.objects.filter(subject_type=subject_type(PromotionCase), subject_id=case.pk,
                                                     action="approve").order_by("-at", "-pk")
                           .values_list("by_id", flat=True).first())
    return case


def _naming(check: Callable[..., object], *args, reason_field: str = "reason", **kwargs) -> None:
    """Run a state machine check; a refusal naming no input names the action, a missing reason its input."""
    try:
        check(*args, **kwargs)
    except DomainError as refused:
        field = reason_field if refused.field == "reason" else refused.field or "action"
        raise DomainError(refused.message, field=field) from None


def _current(case: PromotionCase, version: object) -> None:
    if case.version == version:
        return
    last = (StateEvent.objects.filter(subject_type=subject_type(PromotionCase), subject_id=case.pk)
            .select_related("by__employee").order_by("-at", "-pk").first())
    who = getattr(getattr(last.by, "employee", None), "name", last.by.get_username()) if last else "—"
    when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "—"
    raise DomainError(_("%(who)s acted on this case at %(when)s (%(action)s), after you opened it; nothing was "
                        "saved. Reload to see the case as it is now."), field="version", who=who, when=when,
                      action=CASE.label(last.action) if last else "—")


def acting(case_id: object, version: object, action: str, *, by: User, reason: str = "",
           reason_field: str = "reason", before: Callable[[PromotionCase], None] | None = None) -> PromotionCase:
    """Return the case locked, once the user may make the action, has its current version and the state has it.
    `before` sets what decides the branch (the engine's verdict at review) on the unsaved row."""
    case = _locked(case_id, by=by)
    _naming(CASE.authorise, case, action, by=by)
    _current(case, version)
    if before is not None:
        before(case)
    _naming(CASE.transition, case, action, by=by, reason=reason if isinstance(reason, str) else "",
            reason_field=reason_field)
    return case


def move(case: PromotionCase, action: str, *, by: User, reason: str = "",
         also: Mapping[str, object] | None = None) -> PromotionCase:
    """Return the case after the move, its version bumped with it (one save, one event)."""
    CASE.move(case, action, by=by, reason=reason if isinstance(reason, str) else "",
              also={**(also or {}), "version": case.version + 1})
    return case


def checklist_check(checklist: object) -> dict[str, dict[str, object]]:
    """Return HR's checklist, every condition scored 1–5 with a comment, or refuse it naming "review"."""
    if not isinstance(checklist, dict) or set(checklist) != set(Condition.values):
        raise DomainError(_("Score each condition of the checklist: %(conditions)s."), field="review",
                          conditions=", ".join(str(label) for label in Condition.labels))
    review = {}
    for condition, item in checklist.items():
        score = item.get("score") if isinstance(item, dict) else None
        comment = item.get("comment", "") if isinstance(item, dict) else ""
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise DomainError(_("A checklist score is a whole number from 1 to 5."), field="review")
        review[condition] = {"score": score, "comment": comment.strip()[:2000] if isinstance(comment, str) else ""}
    return review


def approver_subquery() -> Subquery:
    """Return the user id of whoever approved the outer case (its latest approve event)."""
    return Subquery(StateEvent.objects.filter(subject_type=subject_type(PromotionCase), subject_id=OuterRef("pk"),
                                              action="approve").order_by("-at", "-pk").values("by_id")[:1])


def is_skip_level(case: PromotionCase) -> bool:
    """Return whether the case changes the position by anything but one allowed step up."""
    if case.to_position_id == case.from_position_id:
        return False
    return not PathStep.objects.filter(from_position_id=case.from_position_id,
                                       to_position_id=case.to_position_id).exists()


__all__ = ["AFTER_BOTTOM", "UP_KINDS", "CaseState", "acting", "approver_subquery", "case_nominate",
           "checklist_check", "into_team_lead", "is_skip_level", "kind_check", "move"]
