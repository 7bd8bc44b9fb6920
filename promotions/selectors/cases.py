"""Reads of promotion cases, scoped by teams.access.scope_cases: lists, one case, its history, what waits for whom,
and the checklist prefilled from the latest annual ability evaluation."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from appraisals.models import AbilityScore, Appraisal, Condition, CycleKind, Step
from teams import access
from teams.models import StateEvent
from teams.transitions import Step as EventStep
from teams.transitions import subject_type

from ..models import CaseState, PromotionCase
from ..states import CASE


def cases_for(p: access.Principal) -> QuerySet[PromotionCase]:
    """Return the cases the principal may open, joined for a list (one query)."""
    rows = PromotionCase.objects.select_related("employee", "from_position", "to_position", "from_grade",
                                                "to_grade", "nominated_by__employee")
    return access.scope_cases(p, rows)


def case_for(p: access.Principal, pk: object) -> PromotionCase:
    """Return one case the principal may open; 404 outside their scope."""
    if not str(pk).isdigit() or int(str(pk)[:12]) > 2**31 - 1:
        raise Http404
    approver = (StateEvent.objects.filter(subject_type=subject_type(PromotionCase), subject_id=OuterRef("pk"),
                                          action="approve").order_by("-at", "-pk").values("by_id")[:1])
    case = (cases_for(p).select_related("follows", "source_appraisal__cycle")
            .annotate(approved_by_id=Subquery(approver)).filter(pk=int(pk)).first())
    if case is None:
        raise Http404
    return case


def history(case: PromotionCase) -> list[EventStep]:
    """Return the case's events, oldest first, with actions and states by label (one query)."""
    events = (StateEvent.objects.filter(subject_type=subject_type(PromotionCase), subject_id=case.pk)
              .select_related("by__employee").order_by("at", "pk"))
    return [CASE.step(e) for e in events]


def waiting_for(p: access.Principal) -> list[PromotionCase]:
    """Return the cases waiting for the principal's decision, oldest first (one query; none for most roles)."""
    rows = [c for c in cases_for(p).filter(state__in=(CaseState.WITH_DIRECTOR, CaseState.WITH_GENERAL_MANAGER))
            .order_by("pk")]
    return [c for c in rows if access.may_decide_case(p, c)]


def rejected_nominations(p: access.Principal) -> QuerySet[PromotionCase]:
    """Return the principal's own nominations that were rejected, with the decider's reason (one query)."""
    if p.user_id is None:
        return PromotionCase.objects.none()
    reason = (StateEvent.objects.filter(subject_type=subject_type(PromotionCase), subject_id=OuterRef("pk"),
                                        action="reject").order_by("-at", "-pk").values("reason")[:1])
    return (cases_for(p).filter(nominated_by_id=p.user_id, state=CaseState.REJECTED)
            .annotate(rejected_why=Subquery(reason)).order_by("-pk"))


@dataclass(frozen=True)
class ChecklistItem:
    condition: str
    label: str
    score: int | None
    comment: str


def checklist_prefill(employee_id: int) -> tuple[list[ChecklistItem], Appraisal | None]:
    """Return the review's checklist prefilled from the employee's latest published annual ability evaluation, and
    that appraisal (None, and empty scores, when there is none); two queries."""
    source = (Appraisal.objects.filter(employee_id=employee_id, state=Step.PUBLISHED, cycle__kind=CycleKind.ANNUAL,
                                       ability_scores__isnull=False)
              .select_related("cycle").order_by("-cycle__last_month", "-pk").first())
    scores = {s.condition: s for s in AbilityScore.objects.filter(appraisal=source)} if source else {}
    return [ChecklistItem(c.value, str(c.label), getattr(scores.get(c.value), "score", None),
                          getattr(scores.get(c.value), "comment", "")) for c in Condition], source


def acts_open(p: access.Principal, case: PromotionCase) -> list[str]:
    """Return the actions the principal may take on the case now, in the machine's order (no query)."""
    names: list[str] = []
    for t in CASE.transitions:
        if t.source != case.state or t.action in names or t.action == "nominate":
            continue
        if (t.when is None or t.when(case)) and t.allowed(p, case):
            names.append(t.action)
    return names
