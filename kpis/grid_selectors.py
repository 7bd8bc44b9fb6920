"""Reads for the entry grid's list of weeks: a team's plan weeks up to today with their state, in a fixed
number of queries (the per-week selectors would cost three queries a week)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from targets.calculations import MembershipSpan, week_monday, weeks_of_month
from targets.models import PlanYear, RepWeekTarget
from targets.selectors import current_plan
from teams import access
from teams.models import Membership, Team, User

from . import metrics
from .calculations import ratio, team_for_week
from .models import FiguresState, MonthClose, WeeklyFigures
from .selectors import week_state


@dataclass(frozen=True)
class WeekSummary:
    """One week of the team: how many reps it expects, how many rows exist in which state, and the deposits."""

    week: date
    reps: int
    state: str
    counts: dict[str, int]
    total_deposits: Decimal
    target: int | None

    @property
    def entered(self) -> int:
        return sum(self.counts.values())

    @property
    def sunday(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def attainment(self) -> Decimal | None:
        return ratio(self.total_deposits, self.target)


@dataclass(frozen=True)
class MonthWeeks:
    month: date
    closed: bool
    weeks: list[WeekSummary]


@dataclass(frozen=True)
class TeamWeeks:
    team: Team
    plan: PlanYear | None
    months: list[MonthWeeks]


def team_weeks(user: User, team_pk: int, today: date) -> TeamWeeks:
    """Return the current plan's months newest first, each with its weeks up to today (newest first).

    Seven queries whatever the team's size or the plan's length: the team (404 outside the user's scope),
    the plan, its months, the memberships, the figures, the week targets and the closed months.
    """
    team = access.get_visible_team(user, team_pk)
    plan = current_plan(today)
    if plan is None:
        return TeamWeeks(team, None, [])
    last = week_monday(today)
    months = [(m.month, [w for w in weeks_of_month(m.month.year, m.month.month) if w <= last])
              for m in plan.months.order_by("-month")]
    months = [(month, weeks) for month, weeks in months if weeks]
    if not months:
        return TeamWeeks(team, plan, [])
    first = min(w for _, weeks in months for w in weeks)
    spans = _spans(team, first, last + timedelta(days=6))
    figures: dict[date, list[WeeklyFigures]] = defaultdict(list)
    for f in WeeklyFigures.objects.filter(team=team, week__gte=first, week__lte=last):
        figures[f.week].append(f)
    targets = dict(RepWeekTarget.objects.filter(team=team, week__gte=first, week__lte=last).values("week")
                   .annotate(total=Sum("deposit_target")).values_list("week", "total"))
    closed = set(MonthClose.objects.filter(closed=True, month__in=[m for m, _ in months])
                 .values_list("month", flat=True))
    return TeamWeeks(team, plan, [
        MonthWeeks(month, month in closed,
                   [_summary(team, w, spans, figures[w], targets.get(w)) for w in reversed(weeks)])
        for month, weeks in months
    ])


def _spans(team: Team, first: date, last: date) -> dict[int, list[MembershipSpan]]:
    """Return every membership overlapping first..last of anyone who was in the team then (their other
    teams too: a rep who moved mid-week belongs to the team holding the week's Thursday)."""
    overlapping = Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    members = Membership.objects.filter(overlapping, team=team).values("employee_id")
    spans: dict[int, list[MembershipSpan]] = defaultdict(list)
    for m in Membership.objects.filter(overlapping, employee_id__in=members):
        spans[m.employee_id].append(MembershipSpan(m.employee_id, m.team_id, m.starts_on, m.ends_on))
    return spans


def _summary(team: Team, week: date, spans: dict[int, list[MembershipSpan]], figures: list[WeeklyFigures],
             target: int | None) -> WeekSummary:
    reps = {e for e, s in spans.items() if team_for_week(s, week) == team.pk}
    present = [f for f in figures if f.employee_id in reps]
    counts = {state: sum(f.state == state for f in present) for state in FiguresState.values}
    # Sum every entered metric, then let the registry's formula make the total: no formula copied here.
    sums = {m.code: sum((Decimal(getattr(f, m.code, 0)) for f in present), Decimal(0)) for m in metrics.ENTERED}
    total = metrics.BY_CODE["total_deposits"].formula(metrics.PeriodFigures(values=sums))
    return WeekSummary(week, len(reps), week_state(present, len(reps)), counts, total, target)
