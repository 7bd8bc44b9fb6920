"""Every write to plans and targets. Each runs in one transaction and refuses with a DomainError naming the field."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams import access, hooks, inputs
from teams.errors import DomainError
from teams.models import Team, User

from . import selectors, states
from .calculations import AllocationError, allocate, split_rep_month_to_weeks, split_team_month_to_reps
from .calculations import team_weights_for_month as default_team_weights
from .models import (
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
from .working_calendar.selectors import months_beyond_calendar

MONTHS_IN_PLAN = 12
MAX_TARGET = 10**13  # ten trillion yuan: far above any plan, far below the column's limit
MAX_TEAM_WEIGHT = Decimal("999999999999.999")
MAX_REP_WEIGHT = Decimal("999.999")


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
    """Return `value` as whole yuan (万 and ¥ forms understood), or refuse naming the field: targets are whole,
    non-negative yuan."""
    try:
        return inputs.whole_yuan(value, limit=MAX_TARGET)
    except inputs.InputError as error:
        raise DomainError("%(label)s: %(error)s", field=field, label=label, error=error.message) from None


def _check_first_month(first_month: date) -> None:
    """Refuse a plan whose months leave the years the product serves (a 9999 would overflow the calendar)."""
    try:
        inputs.served_day(first_month)
        inputs.served_day(add_months(first_month, MONTHS_IN_PLAN - 1))
    except inputs.InputError as error:
        raise DomainError(error.message, field="first_month") from None


def _check_targets(targets: Sequence[object]) -> list[int]:
    if len(targets) != MONTHS_IN_PLAN:
        raise DomainError(_("A plan has %(n)s month targets; %(given)s were given."), field="months",
                          n=MONTHS_IN_PLAN, given=len(targets))
    return [_whole_yuan(value, f"months.{i}", _("Month %(n)s") % {"n": i + 1}) for i, value in enumerate(targets)]


def _check_phases(phases: Sequence[PhaseSpec]) -> None:
    if not phases:
        raise DomainError(_("A plan needs at least one phase."), field="phases")
    for i, phase in enumerate(phases):
        if not phase.name.strip():
            raise DomainError(_("Phase %(n)s needs a name."), field=f"phases.{i}.name", n=i + 1)
        if phase.month_count < 1:
            raise DomainError(_("Phase %(n)s must hold at least one month."), field=f"phases.{i}.month_count",
                              n=i + 1)
    covered = sum(p.month_count for p in phases)
    if covered != MONTHS_IN_PLAN:
        raise DomainError(_("The phases hold %(covered)s months; together they must cover exactly %(n)s."),
                          field="phases", covered=covered, n=MONTHS_IN_PLAN)


def _check_no_overlap(first_month: date, exclude: PlanYear | None = None) -> None:
    last = add_months(first_month, MONTHS_IN_PLAN - 1)
    others = PlanYear.objects.filter(first_month__gt=add_months(first_month, -MONTHS_IN_PLAN), first_month__lte=last)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = others.first()
    if clash:
        raise DomainError(_("The plan would overlap %(name)s (from %(month)s)."), field="first_month",
                          name=clash.name, month=f"{clash.first_month:%Y-%m}")


def _check_not_locked(first_month: date) -> None:
    locked = hooks.months_locked(add_months(first_month, i) for i in range(MONTHS_IN_PLAN))
    if locked:
        raise DomainError(_("The figures of %(months)s are already closed; a new plan cannot start before them."),
                          field="first_month", months=month_list(locked))


def month_list(months: Sequence[date]) -> str:
    """Return the months as the pages name them: "2027-01, 2027-02"."""
    return ", ".join(f"{m:%Y-%m}" for m in months)


@transaction.atomic
def plan_create(*, name: str, first_month: date, phases: Sequence[PhaseSpec], month_targets: Sequence[object],
                by: User) -> PlanYear:
    """Return a new draft plan with its phases and twelve month targets."""
    if not access.may_edit_plan(access.principal_of(by)):
        raise DomainError(_("Only the sales director edits the plan."))
    if not name.strip():
        raise DomainError(_("The plan needs a name."), field="name")
    if PlanYear.objects.filter(name=name.strip()).exists():
        raise DomainError(_("A plan named %(name)s exists."), field="name", name=name)
    if first_month.day != 1:
        raise DomainError(_("A plan starts on the first day of a month."), field="first_month")
    _check_first_month(first_month)
    targets = _check_targets(month_targets)
    _check_phases(phases)
    _check_no_overlap(first_month)
    _check_not_locked(first_month)
    plan = PlanYear.objects.create(name=name.strip(), first_month=first_month)
    _write_phases(plan, phases, targets)
    return plan


def _write_phases(plan: PlanYear, phases: Sequence[PhaseSpec], targets: list[int]) -> None:
    index = 0
    for number, spec in enumerate(phases, start=1):
        phase = Phase.objects.create(plan=plan, number=number, name=spec.name.strip())
        for _n in range(spec.month_count):
            PlanMonth.objects.create(plan=plan, phase=phase, month=add_months(plan.first_month, index),
                                     deposit_target=targets[index])
            index += 1


def _lock(plan: PlanYear, version: int, targets: Sequence[int] | None = None) -> PlanYear:
    """Return the plan locked for this change, or refuse when someone changed it since `version` was read, saying
    who changed it, when, and each month whose saved target differs from the one the caller sent."""
    locked = PlanYear.objects.select_for_update(of=("self",)).select_related("changed_by__employee").get(pk=plan.pk)
    if locked.version == version:
        return locked
    who = locked.changed_by
    name = getattr(getattr(who, "employee", None), "name", None) or (who.username if who else _("someone else"))
    when = timezone.localtime(locked.changed_at).strftime("%Y-%m-%d %H:%M") if locked.changed_at else "—"
    differences = [_("%(month)s: saved %(theirs)s, yours %(yours)s") % {
        "month": f"{m.month:%Y-%m}", "theirs": f"{m.deposit_target:,}", "yours": f"{t:,}"}
        for m, t in zip(locked.months.order_by("month"), targets or [], strict=False) if m.deposit_target != t]
    raise DomainError(_("%(who)s changed this plan at %(when)s, after you opened it; nothing was saved. %(what)s "
                        "Reload to see their change."), field="version", who=name, when=when,
                      what="; ".join(differences) + "." if differences else _("The month targets are the same."))


def _bump(plan: PlanYear, by: User) -> None:
    plan.version += 1
    plan.changed_by, plan.changed_at = by, timezone.now()
    plan.save(update_fields=["version", "changed_by", "changed_at"])


def _current_phases(plan: PlanYear) -> list[PhaseSpec]:
    return [PhaseSpec(p.name, p.months.count()) for p in plan.phases.order_by("number")]


@transaction.atomic
def plan_update(*, plan: PlanYear, version: int, phases: Sequence[PhaseSpec], month_targets: Sequence[object],
                by: User, reason: str = "") -> PlanYear:
    """Return the plan with new phases and targets; an approved plan records a revision per changed month."""
    if not access.may_edit_plan(access.principal_of(by)):
        raise DomainError(_("Only the sales director edits the plan."))
    targets = _check_targets(month_targets)
    _check_phases(phases)
    plan = _lock(plan, version, targets)
    months = list(plan.months.order_by("month"))
    same_phases = [PhaseSpec(p.name.strip(), p.month_count) for p in phases] == _current_phases(plan)
    changed = [(m, t) for m, t in zip(months, targets, strict=True) if m.deposit_target != t]
    if same_phases and not changed:
        return plan  # nothing to do: the version stays, so nobody else's open form goes stale
    if plan.status == PlanYear.Status.DRAFT:
        _bump(plan, by)
        if same_phases:  # keep the months (and their proposals and weights); change the numbers
            for month, target in changed:
                month.deposit_target = target
                month.save(update_fields=["deposit_target"])
            return plan
        if selectors.has_manager_input(plan):
            raise DomainError(_("Managers have proposals or weights on this plan's months; change only the "
                                "month targets, or remove them first."), field="phases")
        plan.months.all().delete()
        plan.phases.all().delete()
        _write_phases(plan, phases, targets)
        return plan
    if not same_phases:
        raise DomainError(_("The phases of an approved plan are fixed; change only the month targets."),
                          field="phases")
    if not reason.strip():
        raise DomainError(_("Say why the approved plan changes; the reason is kept with the revision."),
                          field="reason")
    _bump(plan, by)
    for month, target in changed:
        TargetRevision.objects.create(plan_month=month, old_target=month.deposit_target, new_target=target,
                                      reason=reason.strip(), revised_by=by)
        month.deposit_target = target
        month.save(update_fields=["deposit_target"])
    plan_allocate(plan=plan, months=[m for m, _t in changed])
    return plan


@transaction.atomic
def plan_approve(*, plan: PlanYear, version: int, by: User, without_calendar: bool = False) -> PlanYear:
    """Return the plan approved and split to teams, reps and weeks.

    Months reaching into a year without statutory holidays are refused unless `without_calendar`: approving
    them anyway is recorded with the approval, naming the months.
    """
    states.PLAN.authorise(plan, "approve", by=by)  # who may, before the version or the state is read
    plan = _lock(plan, version)
    if plan.status == PlanYear.Status.APPROVED:
        return plan
    beyond = months_beyond_calendar(plan.months.order_by("month").values_list("month", flat=True))
    if beyond and not without_calendar:
        raise DomainError(_("No statutory holidays are known for %(months)s: their weeks would be split as plain "
                            "Monday–Friday. Load the calendar or approve without it."), field="calendar",
                          months=month_list(beyond))
    reason = _("Approved without statutory holidays for %(months)s.") % {"months": month_list(beyond)} if beyond else ""
    _bump(plan, by)
    now = timezone.now()
    # approved_by/approved_at mirror the approve event for the API and the admin; the history is the StateEvents.
    states.PLAN.move(plan, "approve", by=by, at=now, reason=reason, also={"approved_by": by, "approved_at": now})
    plan_allocate(plan=plan)
    return plan


def _latest_proposals(plan_month: PlanMonth) -> dict[int, TargetProposal]:
    latest: dict[int, TargetProposal] = {}
    for proposal in plan_month.proposals.order_by("team_id", "-proposed_at", "-pk"):
        latest.setdefault(proposal.team_id, proposal)
    return latest


def _staffed_teams(plan_month: PlanMonth, spans=None) -> set[int]:
    month = plan_month.month
    spans = selectors.month_spans(plan_month) if spans is None else spans
    return set(default_team_weights(spans, month.year, month.month, selectors.working_calendar()))


def _team_weights(plan_month: PlanMonth, spans) -> dict[int, object]:
    """Return the month's team weights: accepted proposals when they cover every staffed team, else the
    director's overrides over headcount."""
    month = plan_month.month
    staffed = _staffed_teams(plan_month, spans)
    accepted: dict[int, int] = {}  # the latest accepted proposal per team: a later round kept top-down leaves it
    for p in plan_month.proposals.filter(decision=TargetProposal.Decision.ACCEPTED).order_by("-proposed_at", "-pk"):
        accepted.setdefault(p.team_id, p.proposed_target)
    if accepted and staffed <= set(accepted):
        return {t: accepted[t] for t in sorted(staffed)}
    calendar = selectors.working_calendar()
    weights: dict[int, object] = dict(default_team_weights(spans, month.year, month.month, calendar))
    for row in plan_month.team_weights.select_related("team"):
        if row.team_id not in weights and row.weight:
            raise DomainError(_("%(team)s has no rep in %(month)s; it cannot carry a target."), field="weights",
                              team=row.team, month=f"{month:%Y-%m}")
        weights[row.team_id] = row.weight
    return weights


@transaction.atomic
def plan_allocate(*, plan: PlanYear, months: Sequence[PlanMonth] | None = None) -> None:
    """Split each month (all by default) to teams, reps and weeks, replacing the previous split."""
    calendar = selectors.working_calendar()
    months = list(months if months is not None else plan.months.all())
    for plan_month in months:
        month = plan_month.month
        spans = selectors.month_spans(plan_month)
        try:
            team_targets = allocate(plan_month.deposit_target, _team_weights(plan_month, spans))
        except AllocationError as error:
            raise DomainError("%(month)s: %(error)s", field="weights", month=f"{month:%Y-%m}", error=error) from error
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
                raise DomainError("%(team)s %(month)s: %(error)s", field="weights", team=Team.objects.get(pk=team_id),
                                  month=f"{month:%Y-%m}", error=error) from error
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
    hooks.months_changed([m.month for m in months])


# A ramp is a share of a full rep's target: 1 is full, 0.5 half. A bare number this large is a percentage typed
# without its sign ("150" for 150 %), so it is refused with the two ways to write it rather than stored as 150 shares.
RAMP_WITHOUT_PERCENT_LIMIT = Decimal(10)


def _weights(raw: Mapping[int, object], field: str, limit: Decimal, *, ramp: bool = False) -> dict[int, Decimal]:
    column = (RepWeight if ramp else TeamWeight)._meta.get_field("weight")
    clean = {}
    for key, value in raw.items():
        try:
            weight = inputs.decimal(value, column, maximum=limit, percent="share" if ramp else "refuse")
        except inputs.InputError as error:
            raise DomainError(error.message, field=f"{field}.{key}") from None
        if weight is None:
            continue
        if ramp and weight > RAMP_WITHOUT_PERCENT_LIMIT and "%" not in str(value):
            raise DomainError(_("A ramp of %(value)s would give %(value)s times a full share. For a percentage write "
                                "%(value)s%% (or %(share)s)."), field=f"{field}.{key}", value=str(value).strip(),
                              share=inputs.plain(weight / 100))
        clean[key] = weight
    if clean and not any(clean.values()):
        raise DomainError(_("At least one weight must be above zero."), field=field)
    return clean


@transaction.atomic
def team_weights_set(*, plan_month: PlanMonth, weights: Mapping[int, object], by: User) -> None:
    """Replace the director's team weights for the month (empty: back to headcount) and re-split it."""
    if not access.may_edit_plan(access.principal_of(by)):
        raise DomainError(_("Only the sales director sets team weights."))
    clean = _weights(weights, "weights", MAX_TEAM_WEIGHT)
    unstaffed = Team.objects.filter(pk__in=[t for t, w in clean.items() if w]).exclude(
        pk__in=_staffed_teams(plan_month))
    if unstaffed:
        raise DomainError(_("%(team)s has no rep in %(month)s; it cannot carry a target."), field="weights",
                          team=unstaffed[0], month=f"{plan_month.month:%Y-%m}")
    plan_month.team_weights.all().delete()
    TeamWeight.objects.bulk_create(TeamWeight(plan_month=plan_month, team_id=t, weight=w) for t, w in clean.items())
    if plan_month.plan.status == PlanYear.Status.APPROVED:
        plan_allocate(plan=plan_month.plan, months=[plan_month])


@transaction.atomic
def rep_weights_set(*, plan_month: PlanMonth, team: Team, weights: Mapping[int, object], by: User) -> None:
    """Replace the manager's rep weights for the team's month (empty: equal weights) and re-split it."""
    if not access.may_change_team(access.principal_of(by), team):
        raise DomainError(_("You may set weights only for your own team."), field="team")
    clean = _weights(weights, "weights", MAX_REP_WEIGHT, ramp=True)
    members = {s.rep for s in selectors.month_spans(plan_month) if s.team == team.pk}
    outsiders = set(clean) - members
    if outsiders:
        raise DomainError(_("Only reps in the team that month can have a weight."), field=f"weights.{min(outsiders)}")
    RepWeight.objects.filter(plan_month=plan_month, team=team).delete()
    RepWeight.objects.bulk_create(RepWeight(plan_month=plan_month, team=team, employee_id=e, weight=w)
                                  for e, w in clean.items())
    if plan_month.plan.status == PlanYear.Status.APPROVED:
        plan_allocate(plan=plan_month.plan, months=[plan_month])


@transaction.atomic
def proposal_submit(*, plan_month: PlanMonth, team: Team, proposed_target: object, by: User,
                    note: str = "") -> TargetProposal:
    """Return the manager's new proposal for the team's month; the one it replaces stays on record as superseded."""
    if not access.may_change_team(access.principal_of(by), team):
        raise DomainError(_("You may propose targets only for your own team."), field="team")
    target = _whole_yuan(proposed_target, "proposed_target", _("Proposed target"))
    plan_month.proposals.filter(team=team, decision=TargetProposal.Decision.PENDING).update(
        decision=TargetProposal.Decision.SUPERSEDED)
    return TargetProposal.objects.create(plan_month=plan_month, team=team, proposed_target=target, proposed_by=by,
                                         note=note.strip())


@transaction.atomic
def proposals_decide(*, plan_month: PlanMonth, accept: bool, by: User) -> int:
    """Return how many pending proposals were decided: accepted (they become the team split) or top-down kept."""
    if not access.may_edit_plan(access.principal_of(by)):
        raise DomainError(_("Only the sales director decides on proposals."))
    latest = _latest_proposals(plan_month)
    pending = [p for p in latest.values() if p.decision == TargetProposal.Decision.PENDING]
    if accept:
        standing = {t for t, p in latest.items()
                    if p.decision in (TargetProposal.Decision.PENDING, TargetProposal.Decision.ACCEPTED)}
        missing = Team.objects.filter(pk__in=_staffed_teams(plan_month) - standing).values_list("name", flat=True)
        if missing:
            raise DomainError(_("Not every team has a proposal to accept: %(teams)s."), field="proposals",
                              teams="、".join(missing))
    decision = TargetProposal.Decision.ACCEPTED if accept else TargetProposal.Decision.KEPT_TOP_DOWN
    now = timezone.now()
    for proposal in pending:
        proposal.decision, proposal.decided_by, proposal.decided_at = decision, by, now
        proposal.save(update_fields=["decision", "decided_by", "decided_at"])
    if plan_month.plan.status == PlanYear.Status.APPROVED:
        plan_allocate(plan=plan_month.plan, months=[plan_month])
    return len(pending)
