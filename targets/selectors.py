"""Reads of plans and targets, scoped to the principal through teams.access."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from teams import access
from teams.access import Principal
from teams.models import Membership, Team, membership_during
from teams.selectors import events_for
from teams.transitions import Step

from . import states
from .calculations import (
    MembershipSpan,
    WorkingCalendar,
    month_of_week,
    month_span,
    split_month_to_weeks,
    team_weights_for_month,
    week_monday,
    week_weights,
    weeks_of_month,
)
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


def working_calendar() -> WorkingCalendar:
    """Return the working calendar held in the database (one query)."""
    rows = list(CalendarDay.objects.values_list("day", "kind"))
    return WorkingCalendar(
        holidays=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY),
        makeup_workdays=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.MAKEUP),
    )


def membership_spans(first: date, last: date) -> list[MembershipSpan[int, int]]:
    """Return every rep membership overlapping first..last, as plain spans for the calculations."""
    rows = Membership.objects.filter(membership_during(first, last))
    return [MembershipSpan(rep=m.employee_id, team=m.team_id, start=m.starts_on, end=m.ends_on) for m in rows]


def month_spans(plan_month: PlanMonth) -> list[MembershipSpan[int, int]]:
    """Return the memberships overlapping the plan month's weeks."""
    return membership_spans(*month_span(plan_month.month.year, plan_month.month.month))


@dataclass(frozen=True)
class PhaseTotal:
    phase: Phase
    months: list[PlanMonth]

    @property
    def deposit_target(self) -> int:
        return sum(m.deposit_target for m in self.months)

    @property
    def first_month(self) -> date | None:
        return self.months[0].month if self.months else None

    @property
    def last_month(self) -> date | None:
        return self.months[-1].month if self.months else None


@dataclass(frozen=True)
class PlanOverview:
    """A plan with its phases and months; every total is a sum of months, computed here once."""

    plan: PlanYear
    phases: list[PhaseTotal]

    @property
    def months(self) -> list[PlanMonth]:
        return [m for p in self.phases for m in p.months]

    @property
    def deposit_target(self) -> int:
        return sum(p.deposit_target for p in self.phases)


def plan_overview(plan: PlanYear) -> PlanOverview:
    """Return the plan's phases with their months (two queries)."""
    months = list(plan.months.order_by("month"))
    phases = list(plan.phases.order_by("number"))
    return PlanOverview(plan, [PhaseTotal(p, [m for m in months if m.phase_id == p.pk]) for p in phases])


def plans() -> QuerySet[PlanYear]:
    """Return every plan year, newest first (the company plan is visible to all staff)."""
    return PlanYear.objects.select_related("approved_by")


def current_plan(on: date) -> PlanYear | None:
    """Return the plan year holding `on`, else the newest plan that started before it, else the newest."""
    candidates = list(PlanYear.objects.order_by("-first_month"))
    for plan in candidates:
        if plan.first_month <= on:
            return plan
    return candidates[-1] if candidates else None


def plan_chosen(raw: str | None, on: date) -> PlanYear | None:
    """Return the plan year a page asks for (?plan=<id>, 404 when there is none), else the one holding `on`."""
    if raw and raw.isdigit():
        return get_object_or_404(PlanYear, pk=raw)
    return current_plan(on)


def plans_of_employee(employee_id: int, also: PlanYear | None = None) -> list[PlanYear]:
    """Return the plan years in which the rep had targets (and `also`), newest first: their history's years."""
    rows = PlanYear.objects.filter(months__rep_week_targets__employee_id=employee_id).distinct()
    plans = {p.pk: p for p in rows}
    if also is not None:
        plans.setdefault(also.pk, also)
    return sorted(plans.values(), key=lambda p: p.first_month, reverse=True)


def team_month_targets(p: Principal, plan: PlanYear) -> QuerySet[TeamMonthTarget]:
    """Return the plan's team targets for the teams the principal may see."""
    rows = TeamMonthTarget.objects.filter(plan_month__plan=plan).select_related("plan_month", "team")
    return access.scope_rows(p, rows, employee_field=None)


def rep_month_targets(p: Principal, plan: PlanYear, team: Team | None = None) -> QuerySet[RepMonthTarget]:
    """Return the plan's rep month targets the principal may see (a manager: own team's rows only)."""
    rows = RepMonthTarget.objects.filter(plan_month__plan=plan).select_related("plan_month", "team", "employee")
    return _scoped(p, rows, team)


def rep_week_targets(p: Principal, plan: PlanYear, team: Team | None = None) -> QuerySet[RepWeekTarget]:
    """Return the plan's rep week targets the principal may see."""
    rows = RepWeekTarget.objects.filter(plan_month__plan=plan).select_related("plan_month", "team", "employee")
    return _scoped(p, rows, team)


def _scoped(p: Principal, rows: QuerySet, team: Team | None) -> QuerySet:
    # A rep's row is visible to their own managers only for the team it belongs to.
    scoped = access.scope_rows(p, rows)
    return scoped.filter(team=team) if team is not None else scoped


def has_manager_input(plan: PlanYear) -> bool:
    """Return whether proposals or weights hang on the plan's months (rebuilding them would lose those)."""
    return (TargetProposal.objects.filter(plan_month__plan=plan).exists()
            or TeamWeight.objects.filter(plan_month__plan=plan).exists()
            or RepWeight.objects.filter(plan_month__plan=plan).exists())


def approval_history(plan: PlanYear) -> list[Step]:
    """Return the plan's state moves (its approval), oldest first, with who, when and the states by label."""
    return [states.PLAN.step(event) for event in events_for(plan)]


def revisions(plan: PlanYear) -> QuerySet[TargetRevision]:
    """Return the plan's target revisions, newest first."""
    return TargetRevision.objects.filter(plan_month__plan=plan).select_related("plan_month", "revised_by")


def team_month_total(plan_month: PlanMonth) -> int:
    """Return the sum of the teams' targets for the month (equals the month's target once allocated)."""
    return plan_month.team_targets.aggregate(total=Sum("deposit_target"))["total"] or 0


def plan_month_of(plan: PlanYear, on: date) -> PlanMonth | None:
    """Return the plan month owning the week of `on` (a week belongs to the month of its Thursday)."""
    return plan.months.filter(month=month_of_week(on)).select_related("phase").first()


@dataclass(frozen=True)
class Matrix:
    """Rows × columns of whole-yuan amounts with row and column totals, for the target tables."""

    rows: list[object]
    columns: list[object]
    cells: dict[tuple[int, int], int]

    def line(self, row: object) -> list[int | None]:
        return [self.cells.get((row.pk, _key(c))) for c in self.columns]

    def row_total(self, row: object) -> int:
        return sum(v for (r, _), v in self.cells.items() if r == row.pk)

    def column_totals(self) -> list[int]:
        return [sum(v for (_, c), v in self.cells.items() if c == _key(col)) for col in self.columns]

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def table(self) -> list[tuple[object, list[int | None], int]]:
        return [(row, self.line(row), self.row_total(row)) for row in self.rows]


def _key(column: object) -> object:
    return getattr(column, "pk", column)


def team_split(p: Principal, plan: PlanYear) -> Matrix:
    """Return teams × plan months of the team targets the principal may see."""
    rows = list(team_month_targets(p, plan))
    teams = sorted({r.team for r in rows}, key=lambda t: t.code)
    months = list(plan.months.order_by("month"))
    return Matrix(teams, months, {(r.team_id, r.plan_month_id): r.deposit_target for r in rows})


def rep_split(p: Principal, plan: PlanYear, team: Team) -> Matrix:
    """Return reps × plan months of the team's rep targets."""
    rows = list(rep_month_targets(p, plan, team))
    reps = sorted({r.employee for r in rows}, key=lambda e: e.employee_number)
    months = list(plan.months.order_by("month"))
    return Matrix(reps, months, {(r.employee_id, r.plan_month_id): r.deposit_target for r in rows})


def rep_week_split(p: Principal, plan_month: PlanMonth, team: Team) -> Matrix:
    """Return reps × weeks of the team's rep week targets in one plan month."""
    rows = list(rep_week_targets(p, plan_month.plan, team).filter(plan_month=plan_month))
    reps = sorted({r.employee for r in rows}, key=lambda e: e.employee_number)
    weeks = weeks_of_month(plan_month.month.year, plan_month.month.month)
    return Matrix(reps, weeks, {(r.employee_id, r.week): r.deposit_target for r in rows})


@dataclass(frozen=True)
class TargetPeriod:
    """One of the rep's periods (week, month, phase, year): its dates and the rep's target in it."""

    label: str
    first: date
    last: date
    deposit_target: int


def rep_periods(employee_id: int, plan: PlanYear, on: date) -> list[TargetPeriod]:
    """Return the rep's targets for the week, month, phase and year holding `on` (two queries); only the year when
    `on` lies outside the plan year."""
    weeks = list(RepWeekTarget.objects.filter(plan_month__plan=plan, employee_id=employee_id)
                 .values_list("week", "deposit_target", "plan_month__month", "plan_month__phase__number"))
    monday = week_monday(on)
    this_month = month_of_week(monday)
    phase = next((p for _, _, m, p in weeks if m == this_month), None)
    phase_months = sorted({m for _, _, m, p in weeks if p == phase})
    months = sorted({m for _, _, m, _ in weeks}) or [plan.first_month]

    def total(keep) -> int:
        return sum(t for w, t, m, p in weeks if keep(w, m, p))

    year = TargetPeriod("year", month_span(months[0].year, months[0].month)[0],
                        month_span(months[-1].year, months[-1].month)[1], total(lambda w, m, p: True))
    if not plan.first_month <= this_month < plan.first_month.replace(year=plan.first_month.year + 1):
        return [year]  # another plan year than today's: its week, month and phase are not today's
    return [
        TargetPeriod("week", monday, monday + timedelta(days=6), total(lambda w, m, p: w == monday)),
        TargetPeriod("month", *month_span(this_month.year, this_month.month), total(lambda w, m, p: m == this_month)),
        TargetPeriod("phase", month_span(phase_months[0].year, phase_months[0].month)[0] if phase_months else on,
                     month_span(phase_months[-1].year, phase_months[-1].month)[1] if phase_months else on,
                     total(lambda w, m, p: p == phase)),
        year,
    ]


@dataclass(frozen=True)
class PlanWeek:
    """A week of a plan month: its Monday, its working days and the company's target that week."""

    monday: date
    working_days: int
    deposit_target: int


def plan_month_weeks(plan_month: PlanMonth) -> list[PlanWeek]:
    """Return the month's weeks with their working days and targets: the reps' week targets once the plan is
    approved, before that the month's target spread by working days as the split will do (two queries)."""
    year, month = plan_month.month.year, plan_month.month.month
    calendar = working_calendar()
    days = week_weights(year, month, calendar)
    if plan_month.plan.status == PlanYear.Status.APPROVED:
        targets = dict(RepWeekTarget.objects.filter(plan_month=plan_month).values_list("week")
                       .annotate(total=Sum("deposit_target")).order_by())
    else:
        targets = split_month_to_weeks(plan_month.deposit_target, year, month, calendar) if any(days.values()) else {}
    return [PlanWeek(monday, n, targets.get(monday, 0)) for monday, n in days.items()]


def rep_calendar(employee_id: int, plan_month: PlanMonth) -> list[tuple[date, list[date], int | None]]:
    """Return the plan month as weeks: (Monday, its seven days, the rep's target that week or None)."""
    targets = dict(RepWeekTarget.objects.filter(plan_month=plan_month, employee_id=employee_id)
                   .values_list("week").annotate(total=Sum("deposit_target")))
    return [(monday, [monday + timedelta(days=i) for i in range(7)], targets.get(monday))
            for monday in weeks_of_month(plan_month.month.year, plan_month.month.month)]


@dataclass(frozen=True)
class MonthReconciliation:
    """One month of the bottom-up reconciliation: the plan, the teams' latest proposals, the difference."""

    plan_month: PlanMonth
    proposals: list[TargetProposal]

    @property
    def proposed_total(self) -> int:
        return sum(p.proposed_target for p in self.proposals)

    @property
    def difference(self) -> int:
        return self.proposed_total - self.plan_month.deposit_target

    @property
    def pending(self) -> bool:
        return any(p.decision == TargetProposal.Decision.PENDING for p in self.proposals)


def reconciliation(p: Principal, plan: PlanYear) -> list[MonthReconciliation]:
    """Return each month with the latest proposal per team the principal may see (two queries): a manager sees
    their own teams' proposals and notes, those who see all of sales every team's."""
    latest: dict[tuple[int, int], TargetProposal] = {}
    rows = TargetProposal.objects.filter(plan_month__plan=plan).select_related("team", "proposed_by", "decided_by")
    rows = access.scope_rows(p, rows, employee_field=None)
    for proposal in rows.order_by("-proposed_at"):
        latest.setdefault((proposal.plan_month_id, proposal.team_id), proposal)
    return [MonthReconciliation(m, sorted((p for (pm, _), p in latest.items() if pm == m.pk),
                                          key=lambda p: p.team.code))
            for m in plan.months.order_by("month")]


def proposal_history(plan: PlanYear, team: Team) -> QuerySet[TargetProposal]:
    """Return every proposal the team made for the plan, newest first."""
    return TargetProposal.objects.filter(plan_month__plan=plan, team=team).select_related(
        "plan_month", "proposed_by", "decided_by").order_by("plan_month__month", "-proposed_at")


@dataclass(frozen=True)
class TeamWeightRow:
    team: Team
    headcount: Fraction
    override: Decimal | None
    deposit_target: int | None


def team_weight_rows(plan_month: PlanMonth) -> list[TeamWeightRow]:
    """Return each team with its default weight (headcount that month), the override and the allocated target."""
    month = plan_month.month
    headcount = team_weights_for_month(month_spans(plan_month), month.year, month.month, working_calendar())
    overrides = {w.team_id: w.weight for w in plan_month.team_weights.all()}
    allocated = {t.team_id: t.deposit_target for t in plan_month.team_targets.all()}
    return [TeamWeightRow(t, headcount.get(t.pk, Fraction(0)), overrides.get(t.pk), allocated.get(t.pk))
            for t in Team.objects.filter(is_active=True).select_related("manager")]
