"""Cycles: HR opens one over a period for all of sales or chosen teams (one appraisal per person in scope),
adds a person, sets the deadlines and the rating labels, closes it."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from targets.models import PlanMonth, PlanYear, RepMonthTarget, TeamMonthTarget
from teams.errors import DomainError
from teams.models import Employee, EmployeeStatus, Membership, Role, Team, User, membership_during

from .. import calculations as calc
from ..models import Appraisal, Cycle, CycleKind, Goal, Level, RatingLevel, Step, StepDeadline
from ..states import APPRAISAL, CYCLE, NOT_FINISHED
from ._common import check_text, hr_only
from .figures import DEPOSITS, GOAL_METRICS, period_of


def _check_goal_metrics(goal_metrics: object) -> list[dict]:
    """Return the cycle's goals as [{"metric", "weight"}], or refuse unknown or repeated metrics and weights
    that do not add up to 100."""
    if not isinstance(goal_metrics, list) or not goal_metrics:
        raise DomainError(_("Name at least one goal metric."), field="goal_metrics")
    try:
        goals = [{"metric": str(g["metric"]), "weight": g["weight"]} for g in goal_metrics]
    except (KeyError, TypeError):
        raise DomainError(_("Each goal names a metric and a weight."), field="goal_metrics") from None
    unknown = [g["metric"] for g in goals if g["metric"] not in GOAL_METRICS]
    if unknown:
        raise DomainError(_("A goal counts a metric summed over months (%(allowed)s), not %(metric)s."),
                          field="goal_metrics", allowed=", ".join(GOAL_METRICS), metric=unknown[0])
    if len({g["metric"] for g in goals}) != len(goals):
        raise DomainError(_("Each metric is one goal."), field="goal_metrics")
    if not calc.weights_sum_to_100([g["weight"] for g in goals]):
        raise DomainError(_("The weights are whole percentages that add up to 100."), field="goal_metrics")
    return goals


def _check_deadlines(deadlines: object, first_day: date) -> dict[str, date]:
    if not isinstance(deadlines, Mapping) or not all(isinstance(d, date) for d in deadlines.values()):
        raise DomainError(_("Give each step's deadline as a date."), field="deadlines")
    problem = calc.deadlines_in_order(deadlines, first_day)
    if problem is None:
        return dict(deadlines)
    steps = dict(Step.choices)
    if problem.kind == "unknown":
        raise DomainError(_("“%(step)s” is not a step with a deadline."), field="deadlines", step=problem.step)
    if problem.kind == "before_period":
        raise DomainError(_("The deadline of “%(step)s” is before the period starts (%(day)s)."),
                          field="deadlines", step=steps[problem.step], day=first_day.isoformat())
    raise DomainError(_("The deadline of “%(step)s” is before the deadline of “%(earlier)s”."), field="deadlines",
                      step=steps[problem.step], earlier=steps[problem.earlier])


def _check_period(kind: str, plan: PlanYear, first_month: date, last_month: date) -> None:
    if kind not in CycleKind.values:
        raise DomainError(_("Choose monthly, quarterly, half-year or annual."), field="kind")
    phases: dict[int, list[date]] = defaultdict(list)
    for phase, month in plan.months.order_by("month").values_list("phase__number", "month"):
        phases[phase].append(month)
    if not calc.period_fits(kind, first_month, last_month, [phases[n] for n in sorted(phases)]):
        raise DomainError(_("A %(kind)s cycle covers %(what)s of the plan %(plan)s."), field="first_month",
                          kind=CycleKind(kind).label, plan=plan.name, what={
                              CycleKind.MONTHLY: _("one month"), CycleKind.QUARTERLY: _("one phase"),
                              CycleKind.HALF_YEAR: _("two consecutive phases"),
                              CycleKind.ANNUAL: _("every month")}[kind])


def _scope_teams(team_ids: Iterable[int] | None) -> list[Team]:
    if not team_ids:
        return list(Team.objects.select_related("manager").order_by("code"))
    wanted = set(team_ids)
    teams = list(Team.objects.filter(pk__in=wanted).select_related("manager").order_by("code"))
    if len(teams) != len(wanted):
        raise DomainError(_("One of the teams does not exist."), field="team_ids")
    return teams


def _director() -> Employee:
    director = (Employee.objects.filter(user__role=Role.DIRECTOR, user__is_active=True, status=EmployeeStatus.ACTIVE)
                .order_by("pk").first())
    if director is None:
        raise DomainError(_("There is no sales director to rate the managers."), field="team_ids")
    return director


def _appraisals(cycle: Cycle, teams: list[Team], only: set[int] | None = None) -> list[Appraisal]:
    """Return the unsaved appraisals of the people in scope (only those of `only`, when given): the managers of
    the teams, rated by the director; the reps with a membership in one of them during the period who had not
    left before its end, each counted for (and rated by the manager of) the team of most days."""
    first, last = period_of(cycle)
    managers = {t.manager_id: t for t in reversed(teams) if t.manager_id}  # a manager of two: their first team
    scope = {t.pk for t in teams}
    spans: dict[int, list[calc.Span]] = defaultdict(list)
    reps = Membership.objects.filter(membership_during(first, last), employee__user__role=Role.REP)
    if only is None:
        reps = reps.exclude(employee__left_on__lt=last)
    else:  # HR adds one person by hand: a leaver too, if HR says why
        reps = reps.filter(employee_id__in=only)
        managers = {pk: t for pk, t in managers.items() if pk in only}
    for employee_id, team_id, starts_on, ends_on in reps.values_list("employee_id", "team_id", "starts_on",
                                                                     "ends_on"):
        spans[employee_id].append(calc.Span(team_id, starts_on, ends_on))
    spans = {pk: own for pk, own in spans.items() if any(s.team_id in scope for s in own)}
    teams_by_pk = {t.pk: t for t in Team.objects.select_related("manager")}
    director = _director() if managers else None
    rows = [Appraisal(cycle=cycle, employee_id=pk, team=team, is_manager=True, rater=director)
            for pk, team in managers.items() if pk != director.pk]
    for employee_id, own in spans.items():
        if employee_id in managers:
            continue
        team = teams_by_pk[calc.rater_team(own, first, last)]
        if team.manager_id is None:
            raise DomainError(_("The team %(team)s has no manager to rate its reps."), field="team_ids",
                              team=team.name)
        rows.append(Appraisal(cycle=cycle, employee_id=employee_id, team=team, rater_id=team.manager_id))
    return rows


def _deposit_targets(cycle: Cycle, appraisals: list[Appraisal]) -> dict[int, int]:
    """Return {employee id: the period's deposit target}: a rep's month targets in every team, a manager's teams'
    (two queries for the whole cycle)."""
    months = PlanMonth.objects.filter(plan=cycle.plan, month__gte=cycle.first_month, month__lte=cycle.last_month)
    reps = [a.employee_id for a in appraisals if not a.is_manager]
    managers = [a.employee_id for a in appraisals if a.is_manager]
    targets = dict(RepMonthTarget.objects.filter(plan_month__in=months, employee_id__in=reps).values("employee_id")
                   .annotate(total=Sum("deposit_target")).values_list("employee_id", "total"))
    targets.update(TeamMonthTarget.objects.filter(plan_month__in=months, team__manager_id__in=managers)
                   .values("team__manager_id").annotate(total=Sum("deposit_target"))
                   .values_list("team__manager_id", "total"))
    return targets


def _create(cycle: Cycle, appraisals: list[Appraisal]) -> list[Appraisal]:
    """Save the appraisals with their goals, the deposit goal's target prefilled from the plan's targets."""
    created = Appraisal.objects.bulk_create(appraisals)
    targets = _deposit_targets(cycle, created)
    Goal.objects.bulk_create(
        Goal(appraisal=a, metric=g["metric"], position=n, weight=g["weight"],
             target=targets.get(a.employee_id) if g["metric"] == DEPOSITS else None)
        for a in created for n, g in enumerate(cycle.goal_metrics))
    return created


@transaction.atomic
def cycle_open(*, by: User, name: str, kind: str, plan: PlanYear, first_month: date, last_month: date,
               team_ids: list[int] | None = None, with_feedback: bool = False, goal_metrics: list[dict],
               deadlines: dict[str, date]) -> Cycle:
    """Return the new open cycle with one appraisal per person in scope, each in `goals`."""
    cycle = Cycle(name=check_text(name, "name", _("Name the cycle."), limit=80), kind=kind, plan=plan,
                  first_month=first_month, last_month=last_month, with_feedback=bool(with_feedback),
                  opened_by=by, opened_at=timezone.now())
    CYCLE.authorise(cycle, "open", by=by)
    if Cycle.objects.filter(name=cycle.name).exists():
        raise DomainError(_("A cycle of that name exists already."), field="name")
    _check_period(kind, plan, first_month, last_month)
    cycle.goal_metrics = _check_goal_metrics(goal_metrics)
    deadlines = _check_deadlines(deadlines, first_month)
    teams = _scope_teams(team_ids)
    CYCLE.move(cycle, "open", by=by, at=cycle.opened_at)
    if team_ids:
        cycle.teams.set(teams)
    StepDeadline.objects.bulk_create(StepDeadline(cycle=cycle, step=s, due_on=d) for s, d in deadlines.items())
    _create(cycle, _appraisals(cycle, teams))
    return cycle


def _open_cycle(cycle_id: int) -> Cycle:
    cycle = Cycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None:
        raise DomainError(_("There is no such cycle."), field="cycle_id")
    if cycle.status != Cycle.Status.OPEN:
        raise DomainError(_("The cycle is closed."), field="cycle_id")
    return cycle


@transaction.atomic
def cycle_person_add(*, by: User, cycle_id: int, employee_id: int, reason: str) -> Appraisal:
    """Return the new appraisal of a person HR adds to an open cycle (rated as opening would have rated them)."""
    hr_only(by)
    cycle = _open_cycle(cycle_id)
    if Appraisal.objects.filter(cycle=cycle, employee_id=employee_id).exists():
        raise DomainError(_("This person is in the cycle already."), field="employee_id")
    rows = _appraisals(cycle, _scope_teams(cycle.teams.values_list("pk", flat=True)), only={employee_id})
    if not rows:
        raise DomainError(_("This person was neither a rep nor a manager of the cycle's teams during its period."),
                          field="employee_id")
    appraisal = rows[0]
    APPRAISAL.transition(appraisal, "add", by=by, reason=reason)  # the reason, before anything is written
    appraisal = _create(cycle, [appraisal])[0]
    APPRAISAL.move(appraisal, "add", by=by, reason=reason)
    return appraisal


@transaction.atomic
def deadlines_set(*, by: User, cycle_id: int, deadlines: dict[str, date]) -> Cycle:
    """Return the cycle with these deadlines, replacing the ones it had (a step left out has none)."""
    hr_only(by)
    cycle = _open_cycle(cycle_id)
    deadlines = _check_deadlines(deadlines, cycle.first_month)
    before = dict(cycle.deadlines.values_list("step", "due_on"))
    if before == deadlines:
        return cycle
    cycle.deadlines.exclude(step__in=deadlines).delete()
    for step, due_on in deadlines.items():
        StepDeadline.objects.update_or_create(cycle=cycle, step=step, defaults={"due_on": due_on})
    steps = dict(Step.choices)
    changes = "; ".join(f"{steps[step]} {before.get(step) or '—'} → {deadlines.get(step) or '—'}"
                        for step in steps if before.get(step) != deadlines.get(step))
    CYCLE.move(cycle, "set_deadlines", by=by, reason=changes)  # who moved which date, in the cycle's history
    return cycle


@transaction.atomic
def cycle_close(*, by: User, cycle_id: int) -> Cycle:
    """Return the cycle closed, once none of its appraisals is unfinished (published or withdrawn)."""
    cycle = Cycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None:
        raise DomainError(_("There is no such cycle."), field="cycle_id")
    CYCLE.transition(cycle, "close", by=by)
    unfinished = cycle.appraisals.filter(state__in=NOT_FINISHED).count()
    if unfinished:
        raise DomainError(_("%(count)s appraisals of the cycle are unfinished: publish or withdraw them first."),
                          field="cycle_id", count=unfinished)
    CYCLE.move(cycle, "close", by=by)
    return cycle


@transaction.atomic
def rating_labels_set(*, by: User, labels: dict[int, tuple[str, str]]) -> list[RatingLevel]:
    """Return the scale's levels with HR's labels (Chinese, English) for each of the five levels."""
    hr_only(by)
    if set(labels) != set(Level.values):
        raise DomainError(_("Give a label to each of the five levels."), field="labels")
    checked = {level: (check_text(zh, "labels", _("Each level needs a Chinese label."), limit=20),
                       check_text(en, "labels", _("Each level needs an English label."), limit=40))
               for level, (zh, en) in labels.items()}
    for level, (zh, en) in checked.items():
        RatingLevel.objects.update_or_create(level=level, defaults={"label_zh": zh, "label_en": en})
    return list(RatingLevel.objects.order_by("-level"))
