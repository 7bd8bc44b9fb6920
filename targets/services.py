"""Every write to plans and targets. Each runs in one transaction and refuses with a DomainError naming the field."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from teams import access
from teams.errors import DomainError
from teams.models import Team, User

from . import selectors
from .calculations import AllocationError, allocate, split_rep_month_to_weeks, split_team_month_to_reps
from .calculations import team_weights_for_month as default_team_weights
from .models import (
    CalendarDay,
    Phase,
    PlanMonth,
    PlanYear,
    RepMonthTarget,
    RepWeekTarget,
    RepWeight,
    TargetProposal,
    TargetRevision,
    TeamMonthTarget,
    TeamWeight,
)

MONTHS_IN_PLAN = 12


@dataclass(frozen=True)
class PhaseSpec:
    """A phase as a form or the API gives it: a name and how many consecutive months it holds."""

    name: str
    month_count: int


def add_months(first: date, n: int) -> date:
    """Return the first day of the month `n` months after `first`'s month."""
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _whole_yuan(value: object, field: str, label: str) -> int:
    """Return `value` as whole yuan, or refuse naming the field: targets are whole, non-negative yuan."""
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise DomainError(f"{label}: “{value}” is not a number.", field=field) from None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        raise DomainError(f"{label}: a target is a whole, non-negative number of yuan.", field=field)
    return int(number)


def _check_targets(targets: Sequence[object]) -> list[int]:
    if len(targets) != MONTHS_IN_PLAN:
        raise DomainError(f"A plan has {MONTHS_IN_PLAN} month targets; {len(targets)} were given.", field="months")
    return [_whole_yuan(value, f"months.{i}", f"Month {i + 1}") for i, value in enumerate(targets)]


def _check_phases(phases: Sequence[PhaseSpec]) -> None:
    if not phases:
        raise DomainError("A plan needs at least one phase.", field="phases")
    for i, phase in enumerate(phases):
        if not phase.name.strip():
            raise DomainError(f"Phase {i + 1} needs a name.", field=f"phases.{i}.name")
        if phase.month_count < 1:
            raise DomainError(f"Phase {i + 1} must hold at least one month.", field=f"phases.{i}.month_count")
    covered = sum(p.month_count for p in phases)
    if covered != MONTHS_IN_PLAN:
        raise DomainError(f"The phases hold {covered} months; together they must cover exactly {MONTHS_IN_PLAN}.",
                          field="phases")


def _check_no_overlap(first_month: date, exclude: PlanYear | None = None) -> None:
    last = add_months(first_month, MONTHS_IN_PLAN - 1)
    others = PlanYear.objects.filter(first_month__gt=add_months(first_month, -MONTHS_IN_PLAN), first_month__lte=last)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = others.first()
    if clash:
        raise DomainError(f"The plan would overlap {clash.name} (from {clash.first_month:%Y-%m}).",
                          field="first_month")


@transaction.atomic
def plan_create(*, name: str, first_month: date, phases: Sequence[PhaseSpec], month_targets: Sequence[object],
                by: User) -> PlanYear:
    """Return a new draft plan with its phases and twelve month targets."""
    if not access.may_edit_plan(by):
        raise DomainError("Only the sales director edits the plan.")
    if not name.strip():
        raise DomainError("The plan needs a name.", field="name")
    if PlanYear.objects.filter(name=name.strip()).exists():
        raise DomainError(f"A plan named {name} exists.", field="name")
    if first_month.day != 1:
        raise DomainError("A plan starts on the first day of a month.", field="first_month")
    targets = _check_targets(month_targets)
    _check_phases(phases)
    _check_no_overlap(first_month)
    plan = PlanYear.objects.create(name=name.strip(), first_month=first_month)
    _write_phases(plan, phases, targets)
    return plan


def _write_phases(plan: PlanYear, phases: Sequence[PhaseSpec], targets: list[int]) -> None:
    index = 0
    for number, spec in enumerate(phases, start=1):
        phase = Phase.objects.create(plan=plan, number=number, name=spec.name.strip())
        for _ in range(spec.month_count):
            PlanMonth.objects.create(plan=plan, phase=phase, month=add_months(plan.first_month, index),
                                     deposit_target=targets[index])
            index += 1


def _claim(plan: PlanYear, version: int) -> PlanYear:
    """Return the plan locked for this change, or refuse when someone changed it since `version` was read."""
    locked = PlanYear.objects.select_for_update().get(pk=plan.pk)
    if locked.version != version:
        raise DomainError("Someone else changed this plan since you opened it; reload to see their change.",
                          field="version")
    locked.version += 1
    locked.save(update_fields=["version"])
    return locked


@transaction.atomic
def plan_update(*, plan: PlanYear, version: int, phases: Sequence[PhaseSpec], month_targets: Sequence[object],
                by: User, reason: str = "") -> PlanYear:
    """Return the plan with new phases and targets; an approved plan records a revision per changed month."""
    if not access.may_edit_plan(by):
        raise DomainError("Only the sales director edits the plan.")
    targets = _check_targets(month_targets)
    _check_phases(phases)
    plan = _claim(plan, version)
    months = list(plan.months.order_by("month"))
    if plan.status == PlanYear.Status.DRAFT:
        plan.months.all().delete()
        plan.phases.all().delete()
        _write_phases(plan, phases, targets)
        return plan
    current = [PhaseSpec(p.name, p.months.count()) for p in plan.phases.order_by("number")]
    if list(phases) != current:
        raise DomainError("The phases of an approved plan are fixed; change only the month targets.", field="phases")
    changed = [(m, t) for m, t in zip(months, targets, strict=True) if m.deposit_target != t]
    if changed and not reason.strip():
        raise DomainError("Say why the approved plan changes; the reason is kept with the revision.", field="reason")
    for month, target in changed:
        TargetRevision.objects.create(plan_month=month, old_target=month.deposit_target, new_target=target,
                                      reason=reason.strip(), revised_by=by)
        month.deposit_target = target
        month.save(update_fields=["deposit_target"])
    plan_allocate(plan=plan, months=[m for m, _ in changed])
    return plan


@transaction.atomic
def plan_approve(*, plan: PlanYear, version: int, by: User) -> PlanYear:
    """Return the plan approved and split to teams, reps and weeks."""
    if not access.may_approve_plan(by):
        raise DomainError("Only the general manager or the sales director approves a plan.")
    plan = _claim(plan, version)
    if plan.status == PlanYear.Status.APPROVED:
        return plan
    plan.status, plan.approved_by, plan.approved_at = PlanYear.Status.APPROVED, by, timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    plan_allocate(plan=plan)
    return plan


def _team_weights(plan_month: PlanMonth, spans) -> dict[int, object]:
    """Return the month's team weights: accepted proposals, else the director's overrides over headcount."""
    accepted = _accepted_proposals(plan_month)
    if accepted:
        return accepted
    month = plan_month.month
    calendar = selectors.working_calendar()
    weights: dict[int, object] = dict(default_team_weights(spans, month.year, month.month, calendar))
    for row in plan_month.team_weights.all():
        if row.team_id not in weights and row.weight:
            raise DomainError(f"{row.team} has no rep in {month:%Y-%m}; it cannot carry a target.", field="weights")
        weights[row.team_id] = row.weight
    return weights


def _accepted_proposals(plan_month: PlanMonth) -> dict[int, int]:
    """Return each team's latest accepted proposal for the month (empty when none was accepted)."""
    accepted: dict[int, int] = {}
    for proposal in plan_month.proposals.filter(decision=TargetProposal.Decision.ACCEPTED).order_by("-proposed_at"):
        accepted.setdefault(proposal.team_id, proposal.proposed_target)
    return accepted


@transaction.atomic
def plan_allocate(*, plan: PlanYear, months: Sequence[PlanMonth] | None = None) -> None:
    """Split each month (all by default) to teams, reps and weeks, replacing the previous split."""
    calendar = selectors.working_calendar()
    for plan_month in months if months is not None else plan.months.all():
        month = plan_month.month
        spans = selectors.month_spans(plan_month)
        try:
            team_targets = allocate(plan_month.deposit_target, _team_weights(plan_month, spans))
        except AllocationError as error:
            raise DomainError(f"{month:%Y-%m}: {error}", field="weights") from error
        ramps: dict[int, dict[int, Decimal]] = {}
        for row in plan_month.rep_weights.all():
            ramps.setdefault(row.team_id, {})[row.employee_id] = row.weight
        team_rows, rep_rows, week_rows = [], [], []
        for team_id, team_target in team_targets.items():
            team_rows.append(TeamMonthTarget(plan_month=plan_month, team_id=team_id, deposit_target=team_target))
            try:
                reps = split_team_month_to_reps(team_target, spans, team_id, month.year, month.month, calendar,
                                                ramps.get(team_id))
            except AllocationError as error:
                team = Team.objects.get(pk=team_id)
                raise DomainError(f"{team} {month:%Y-%m}: {error}", field="weights") from error
            for rep_id, rep_target in reps.items():
                rep_rows.append(RepMonthTarget(plan_month=plan_month, team_id=team_id, employee_id=rep_id,
                                               deposit_target=rep_target))
                own = [s for s in spans if s.rep == rep_id and s.team == team_id]
                weeks = split_rep_month_to_weeks(rep_target, own, month.year, month.month, calendar)
                week_rows += [RepWeekTarget(plan_month=plan_month, team_id=team_id, employee_id=rep_id, week=w,
                                            deposit_target=t) for w, t in weeks.items()]
        for model in (TeamMonthTarget, RepMonthTarget, RepWeekTarget):
            model.objects.filter(plan_month=plan_month).delete()
        TeamMonthTarget.objects.bulk_create(team_rows)
        RepMonthTarget.objects.bulk_create(rep_rows)
        RepWeekTarget.objects.bulk_create(week_rows)


def _weights(raw: Mapping[int, object], field: str) -> dict[int, Decimal]:
    clean = {}
    for key, value in raw.items():
        try:
            weight = Decimal(str(value).strip())
        except InvalidOperation:
            raise DomainError(f"“{value}” is not a number.", field=f"{field}.{key}") from None
        if weight < 0:
            raise DomainError("A weight cannot be negative.", field=f"{field}.{key}")
        clean[key] = weight
    if clean and not any(clean.values()):
        raise DomainError("At least one weight must be above zero.", field=field)
    return clean


@transaction.atomic
def team_weights_set(*, plan_month: PlanMonth, weights: Mapping[int, object], by: User) -> None:
    """Replace the director's team weights for the month (empty: back to headcount) and re-split it."""
    if not access.may_edit_plan(by):
        raise DomainError("Only the sales director sets team weights.")
    clean = _weights(weights, "weights")
    plan_month.team_weights.all().delete()
    TeamWeight.objects.bulk_create(TeamWeight(plan_month=plan_month, team_id=t, weight=w) for t, w in clean.items())
    if plan_month.plan.status == PlanYear.Status.APPROVED:
        plan_allocate(plan=plan_month.plan, months=[plan_month])


@transaction.atomic
def rep_weights_set(*, plan_month: PlanMonth, team: Team, weights: Mapping[int, object], by: User) -> None:
    """Replace the manager's rep weights for the team's month (empty: equal weights) and re-split it."""
    if not access.may_change_team(by, team):
        raise DomainError("You may set weights only for your own team.", field="team")
    clean = _weights(weights, "weights")
    RepWeight.objects.filter(plan_month=plan_month, team=team).delete()
    RepWeight.objects.bulk_create(RepWeight(plan_month=plan_month, team=team, employee_id=e, weight=w)
                                  for e, w in clean.items())
    if plan_month.plan.status == PlanYear.Status.APPROVED:
        plan_allocate(plan=plan_month.plan, months=[plan_month])


@transaction.atomic
def proposal_submit(*, plan_month: PlanMonth, team: Team, proposed_target: object, by: User,
                    note: str = "") -> TargetProposal:
    """Return the manager's new proposal for the team's month; earlier ones stay on record."""
    if not access.may_change_team(by, team):
        raise DomainError("You may propose targets only for your own team.", field="team")
    target = _whole_yuan(proposed_target, "proposed_target", "Proposed target")
    return TargetProposal.objects.create(plan_month=plan_month, team=team, proposed_target=target, proposed_by=by,
                                         note=note.strip())


@transaction.atomic
def proposals_decide(*, plan_month: PlanMonth, accept: bool, by: User) -> int:
    """Return how many pending proposals were decided: accepted (they become the team split) or top-down kept."""
    if not access.may_edit_plan(by):
        raise DomainError("Only the sales director decides on proposals.")
    latest: dict[int, TargetProposal] = {}
    for proposal in plan_month.proposals.order_by("team_id", "-proposed_at"):
        latest.setdefault(proposal.team_id, proposal)
    pending = [p for p in latest.values() if p.decision == TargetProposal.Decision.PENDING]
    if accept:
        staffed = set(default_team_weights(selectors.month_spans(plan_month), plan_month.month.year,
                                           plan_month.month.month, selectors.working_calendar()))
        missing = Team.objects.filter(pk__in=staffed - set(latest)).values_list("name", flat=True)
        if missing:
            raise DomainError(f"Not every team has proposed: {', '.join(missing)}.", field="proposals")
    decision = TargetProposal.Decision.ACCEPTED if accept else TargetProposal.Decision.KEPT_TOP_DOWN
    now = timezone.now()
    for proposal in pending:
        proposal.decision, proposal.decided_by, proposal.decided_at = decision, by, now
        proposal.save(update_fields=["decision", "decided_by", "decided_at"])
    if plan_month.plan.status == PlanYear.Status.APPROVED:
        plan_allocate(plan=plan_month.plan, months=[plan_month])
    return len(pending)


@transaction.atomic
def calendar_load(rows: Sequence[tuple[date, str, str]]) -> int:
    """Return how many calendar days were new among the (day, kind, name) rows; known days are updated."""
    changed = 0
    for day, kind, name in rows:
        if kind not in CalendarDay.Kind.values:
            raise DomainError(f"{day}: the kind must be holiday or makeup, not “{kind}”.", field="kind")
        _, created = CalendarDay.objects.update_or_create(day=day, defaults={"kind": kind, "name": name})
        changed += 1 if created else 0
    return changed
