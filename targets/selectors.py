"""Reads of plans and targets, scoped through teams.access."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum

from teams import access
from teams.models import Membership, Team, User

from .calculations import MembershipSpan, WorkingCalendar, month_span
from .models import CalendarDay, Phase, PlanMonth, PlanYear, RepMonthTarget, RepWeekTarget, TeamMonthTarget


def working_calendar() -> WorkingCalendar:
    """Return the working calendar held in the database (one query)."""
    rows = list(CalendarDay.objects.values_list("day", "kind"))
    return WorkingCalendar(
        holidays=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.HOLIDAY),
        makeup_workdays=frozenset(d for d, kind in rows if kind == CalendarDay.Kind.MAKEUP),
    )


def membership_spans(first: date, last: date) -> list[MembershipSpan[int, int]]:
    """Return every rep membership overlapping first..last, as plain spans for the calculations."""
    rows = Membership.objects.filter(starts_on__lte=last).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
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


def team_month_targets(user: User, plan: PlanYear) -> QuerySet[TeamMonthTarget]:
    """Return the plan's team targets for the teams the user may see."""
    return TeamMonthTarget.objects.filter(plan_month__plan=plan, team__in=access.visible_teams(user)).select_related(
        "plan_month", "team")


def rep_month_targets(user: User, plan: PlanYear, team: Team | None = None) -> QuerySet[RepMonthTarget]:
    """Return the plan's rep month targets the user may see (a manager: own team's rows only)."""
    rows = RepMonthTarget.objects.filter(plan_month__plan=plan).select_related("plan_month", "team", "employee")
    return _scoped(user, rows, team)


def rep_week_targets(user: User, plan: PlanYear, team: Team | None = None) -> QuerySet[RepWeekTarget]:
    """Return the plan's rep week targets the user may see."""
    rows = RepWeekTarget.objects.filter(plan_month__plan=plan).select_related("plan_month", "team", "employee")
    return _scoped(user, rows, team)


def _scoped(user: User, rows: QuerySet, team: Team | None) -> QuerySet:
    # A rep's row is visible to their own managers only for the team it belongs to.
    if access.sees_all_sales(user):
        scoped = rows
    else:
        scoped = rows.filter(Q(team__in=access.managed_teams(user)) | Q(employee__user=user))
    return scoped.filter(team=team) if team is not None else scoped


def team_month_total(plan_month: PlanMonth) -> int:
    """Return the sum of the teams' targets for the month (equals the month's target once allocated)."""
    return plan_month.team_targets.aggregate(total=Sum("deposit_target"))["total"] or 0
