"""The rules' evaluation of a closed month (and of its phase when the month ends it): proposals, never decisions.

Each proposal carries a key (rule, period, subject), so a second run proposes nothing twice. On a re-close the run
compares what holds now with what was proposed before: an open proposal that no longer holds, or whose figures
changed, is withdrawn (and proposed anew when it still holds); an approved or published record is flagged for a
person to review, never changed. A rep on the bottom list for a second period in a row also gets a demotion case
nominated in promotions, with a position record linked to it. Everything of one run commits together or not at all.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kpis.metrics import BY_CODE, Unit
from kpis.results.models import EliminationRule
from promotions.models import CaseKind, CaseState, PromotionCase
from promotions.services.acts import case_withdraw
from promotions.services.cases import case_nominate
from promotions.states import OPEN as OPEN_CASE
from teams import services as team_services
from teams.errors import DomainError
from teams.models import Employee, Position, SalaryGrade, User

from ..calculations import (
    AT_LEAST,
    AT_MOST,
    BOTTOM,
    REFERRAL,
    Qualifier,
    qualifying,
    reason_text,
    referrals_due,
    threshold_as_value,
    value_text,
)
from ..models import Kind, Method, Record, Rule
from ..selectors.results import Period, periods_closed_by, referred_hires, results_for
from ..states import FINAL, OPEN
from .records import period_text, record_act, record_propose_by_rule

RULES_WITHDREW = "rules"  # review_note of a proposal the rules withdrew: it may be proposed anew


@dataclass
class Outcome:
    proposed: int = 0
    withdrawn: int = 0
    flagged: int = 0


def _value_text(metric: str, value: Decimal | None) -> str:
    return value_text(value, BY_CODE[metric].unit if metric in BY_CODE else Unit.PERCENT)


def _figures(rule: Rule, q: Qualifier) -> dict[str, object]:
    return {"value": None if q.value is None else str(q.value), "rank": q.rank, "consecutive": q.consecutive,
            "threshold": None if rule.threshold is None else str(rule.threshold)}


def _latest(rule: Rule, period: Period) -> dict[str, Record]:
    """Return the newest record of each base key the rule made for the period ("key" or "key#2", "key#3", …)."""
    latest: dict[str, Record] = {}
    for record in Record.objects.filter(rule=rule, period=period.kind, first_month=period.first_month).order_by(
            "pk"):
        latest[record.proposal_key.split("#")[0]] = record
    return latest


def _next_key(base: str, record: Record | None) -> str:
    if record is None:
        return base
    generation = int(record.proposal_key.split("#")[1]) if "#" in record.proposal_key else 1
    return f"{base}#{generation + 1}"


def _withdraw(record: Record, by: User, reason: str) -> None:
    record_act(record_id=record.pk, version=record.version, action="withdraw", by=by, reason=reason)
    Record.objects.filter(pk=record.pk).update(review_note=RULES_WITHDREW)
    if record.method == Method.POSITION and record.promotion_case_id:
        case = PromotionCase.objects.get(pk=record.promotion_case_id)
        if case.state == CaseState.NOMINATED:
            case_withdraw(by=by, case_id=case.pk, version=case.version, reason=reason)


def _flag(record: Record, note: str) -> int:
    if record.needs_review and record.review_note == note:
        return 0
    Record.objects.filter(pk=record.pk).update(needs_review=True, review_note=note[:300])
    return 1


class _Run:
    """One evaluation: the proposals made and kept, by base key, for each rule and period."""

    def __init__(self, by: User) -> None:
        self.by, self.outcome = by, Outcome()
        # The director's one setting for "bottom too long": the rankings warn, and the rules propose a demotion,
        # after the same number of consecutive periods on the list.
        self.demote_after = (EliminationRule.objects.first() or EliminationRule()).warn_after

    def propose(self, rule: Rule, period: Period, base: str, latest: Record | None, *, employee=None, team=None,
                reason: str, metric: str, figures: dict, kind: str | None = None, method: str | None = None,
                case: PromotionCase | None = None) -> None:
        """Propose under `base` unless the latest record there already says the same."""
        if latest is not None:
            same = latest.figures == figures
            if latest.state in OPEN and same:
                return
            if latest.state in FINAL:
                if same and latest.needs_review:
                    Record.objects.filter(pk=latest.pk).update(needs_review=False, review_note="")
                elif not same:
                    self.outcome.flagged += _flag(latest, _("The figures changed when the month was closed again: "
                                                            "%(old)s then, %(new)s now.") % {
                        "old": latest.figures.get("value"), "new": figures.get("value")})
                return
            if latest.state in OPEN:  # the figures changed: withdraw it and propose what holds now
                _withdraw(latest, self.by, _("The month was closed again and the figures changed."))
                self.outcome.withdrawn += 1
            elif latest.review_note != RULES_WITHDREW:
                return  # a person rejected, withdrew or revoked it: the rules do not propose it again
        record_propose_by_rule(rule=rule, key=_next_key(base, latest), employee=employee, team=team, reason=reason,
                               period=period.kind, first_month=period.first_month, metric=metric, figures=figures,
                               by=self.by, promotion_case=case, **({"kind": kind, "method": method} if kind else {}))
        self.outcome.proposed += 1

    def settle(self, latest: dict[str, Record], holding: set[str]) -> None:
        """Withdraw the open proposals that no longer hold; flag the final ones for review."""
        for base, record in latest.items():
            if base in holding:
                continue
            if record.state in OPEN:
                _withdraw(record, self.by, _("It no longer holds: the month was closed again with other results."))
                self.outcome.withdrawn += 1
            elif record.state in FINAL:
                self.outcome.flagged += _flag(record, _("It no longer holds: the month was closed again with other "
                                                        "results. Review it; the rules change nothing."))


def _demotion_target(employee: Employee, on: date) -> tuple[int, int] | None:
    """Return (position id, grade id) one step down: the next lower salary grade, else the next lower position."""
    current = team_services.appointment_at(employee, on)
    if current is None:
        return None
    grade = SalaryGrade.objects.filter(level__lt=current.salary_grade.level).order_by("-level").first()
    if grade is not None:
        return current.position_id, grade.pk
    position = Position.objects.filter(level__lt=current.position.level, is_management=False).order_by(
        "-level").first()
    return (position.pk, current.salary_grade_id) if position is not None else None


def _demotion_case(employee: Employee, period: Period, by: User, reason: str) -> PromotionCase | None:
    """Return the open demotion case of the rep, else one nominated now; None when there is no lower step or the
    rep has another open case (the warning says so in its figures)."""
    open_case = PromotionCase.objects.filter(employee=employee, kind=CaseKind.DEMOTION, state__in=OPEN_CASE).first()
    if open_case is not None:
        return open_case
    effective = period.last_day + timedelta(days=1)  # the first of the month after the period
    target = _demotion_target(employee, effective)
    if target is None:
        return None
    try:
        with transaction.atomic():
            return case_nominate(by=by, employee_id=employee.pk, kind=CaseKind.DEMOTION, to_position_id=target[0],
                                 to_grade_id=target[1], effective_on=effective, reason=reason)
    except DomainError:
        return None


def _evaluate(run: _Run, rule: Rule, period: Period, label: str) -> None:
    results, names = results_for(rule, period)
    percent = rule.metric in BY_CODE and BY_CODE[rule.metric].unit == Unit.PERCENT
    threshold = rule.threshold
    if threshold is not None and rule.comparison in (AT_LEAST, AT_MOST):  # the top's threshold is N places
        threshold = threshold_as_value(threshold, percent=percent)
    latest, holding = _latest(rule, period), set()
    metric = rule.metric or "attainment"
    for q in qualifying(rule.comparison, threshold, results):
        subject = {"team_id": q.subject_id} if rule.scope == "team" else {"employee_id": q.subject_id}
        base = f"{rule.code}:{period.kind}:{period.first_month:%Y-%m}:{rule.scope}:{q.subject_id}"
        reason = reason_text(rule.text_template, name=names[q.subject_id], period=label,
                             value=_value_text(metric, q.value), rank=str(q.rank or ""))
        holding.add(base)
        figures = _figures(rule, q)
        if rule.comparison == BOTTOM and q.consecutive >= run.demote_after:
            figures["demotion"] = _bottom_again(run, rule, period, q, names, label, latest, holding)
        run.propose(rule, period, base, latest.get(base), employee=subject.get("employee_id"),
                    team=subject.get("team_id"), reason=reason, metric=metric, figures=figures)
    run.settle(latest, holding)


def _bottom_again(run: _Run, rule: Rule, period: Period, q: Qualifier, names: dict, label: str,
                  latest: dict[str, Record], holding: set[str]) -> str:
    """Propose the demotion of a rep on the bottom list as many periods in a row as the elimination rule's
    `warn_after` (two by default); return what became of it."""
    base = f"{rule.code}:{period.kind}:{period.first_month:%Y-%m}:demotion:{q.subject_id}"
    before = latest.get(base)
    if before is not None and (before.state in OPEN or before.state in FINAL):
        holding.add(base)
        return "proposed"
    reason = _("%(name)s has been on the bottom-elimination list %(count)s periods in a row (to %(period)s).") % {
        "name": names[q.subject_id], "count": q.consecutive, "period": label}
    case = _demotion_case(Employee.objects.get(pk=q.subject_id), period, run.by, reason)
    if case is None:
        return "no lower step or another open case"
    holding.add(base)
    run.propose(rule, period, base, before, employee=q.subject_id, reason=reason, metric="attainment",
                figures={"consecutive": q.consecutive, "case": case.pk}, kind=Kind.PENALTY,
                method=Method.POSITION, case=case)
    return "proposed"


def _referrals(run: _Run, rule: Rule, period: Period, label: str) -> None:
    hires, names = referred_hires()
    rewarded = {key.split("#")[0] for key in Record.objects.filter(rule=rule).values_list("proposal_key", flat=True)}
    for hire in referrals_due(hires, months=int(rule.threshold), as_of=period.last_day):
        base = f"{rule.code}:hire:{hire.employee_id}"  # once per hire, whichever month it is earned in
        if base in rewarded:
            continue
        reason = reason_text(rule.text_template, name=names[hire.referred_by_id], period=label,
                             value=str(int(rule.threshold)), rank="")
        run.propose(rule, period, base, None, employee=hire.referred_by_id, reason=reason, metric="",
                    figures={"hire": hire.employee_id, "hire_name": names[hire.employee_id],
                             "hired_on": hire.hire_date.isoformat()})


@transaction.atomic
def rules_evaluate(*, month: date, by: User) -> Outcome:
    """Evaluate every active rule for the closed month, and for its phase when the month ends it; return what was
    proposed, withdrawn and flagged. The caller has checked that the month is closed and its rollups current."""
    run = _Run(by)
    with translation.override(settings.LANGUAGE_CODE):  # reasons and notes are written as the board shows them
        for period in periods_closed_by(month):
            label = period_text(period.kind, period.first_month)
            for rule in Rule.objects.filter(active=True, period=period.kind).order_by("code"):
                if rule.comparison == REFERRAL:
                    _referrals(run, rule, period, label)
                else:
                    _evaluate(run, rule, period, label)
    return run.outcome

