"""The appraisals a principal may open, the ones waiting for them, and an appraisal's history."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from teams import access
from teams.selectors import events_for
from teams.transitions import Step as HistoryStep

from ..models import Appraisal, Step
from ..states import APPRAISAL


def appraisals_for(p: access.Principal) -> QuerySet[Appraisal]:
    """Return the appraisals the principal may open, with the employee, team, rater and cycle joined."""
    return access.scope_appraisals(p, Appraisal.objects.select_related("employee", "team", "rater", "cycle"))


def _acts_on(p: access.Principal, appraisal: Appraisal) -> bool:
    return (access.may_run_appraisals(p) or access.is_rater(p, appraisal) or access.is_appraisee(p, appraisal)
            or access.may_verify_appraisal(p, appraisal))


def appraisal_for(p: access.Principal, pk: object, write: bool = False) -> Appraisal:
    """Return the appraisal; 404 outside the principal's scope, 403 when `write` and no step is ever theirs."""
    if not str(pk).isdigit() or int(str(pk)[:12]) > 2**31 - 1:
        raise Http404
    appraisal = appraisals_for(p).filter(pk=int(pk)).first()
    if appraisal is None:
        raise Http404
    if write and not _acts_on(p, appraisal):
        raise PermissionDenied
    return appraisal


def _holding(p: access.Principal) -> Q:
    """Return the filter of appraisals whose current step the principal holds (calculations.holder in SQL)."""
    held = Q(pk__in=[])
    if p.employee_id is not None:
        held |= Q(rater_id=p.employee_id, state__in=[Step.GOALS, Step.RATING])
        held |= Q(employee_id=p.employee_id, state__in=[Step.SELF_REVIEW, Step.CONFIRMATION])
    if access.may_run_appraisals(p):
        held |= Q(state__in=[Step.FEEDBACK, Step.DISPUTED, Step.CONFIRMED])
        held |= Q(state=Step.VERIFICATION, is_manager=False)
    if access.may_verify_managers(p):
        held |= Q(state=Step.VERIFICATION, is_manager=True)
    return held


def to_act_on(p: access.Principal) -> list[Appraisal]:
    """Return the appraisals whose current step the principal holds, in open cycles, oldest cycle first (one
    query)."""
    rows = appraisals_for(p).filter(_holding(p), cycle__status="open")
    if p.employee_id is not None:  # HR's own appraisal is never HR's to verify or publish
        rows = rows.exclude(Q(employee_id=p.employee_id) & ~Q(state__in=[Step.SELF_REVIEW, Step.CONFIRMATION]))
    return list(rows.order_by("cycle__first_month", "cycle__name", "team__code", "employee__name"))


def history(appraisal: Appraisal) -> list[HistoryStep]:
    """Return the appraisal's events, oldest first, with who made each move (one query)."""
    return [APPRAISAL.step(event) for event in events_for(appraisal)]
