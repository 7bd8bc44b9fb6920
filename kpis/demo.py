"""The demo's weekly KPI figures: every demo rep from February to October 2017, as their managers entered them.

Deterministic (a fixed seed) and written through kpis.services like every other channel, so the audit
trail, the states and the month locks are the real ones. Varied so the dashboards have something true to
show: a few reps far above target and a few at the bottom, a strong September, a near-empty National Day
week, a slow Spring Festival week, reps on probation ramping up, and a few weeks nobody reported.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from targets.calculations import week_month, weeks_of_month
from targets.models import RepWeekTarget
from teams.calculations import on_probation
from teams.models import Employee, Role, Team, User

from . import selectors, services
from .models import Channel, CustomerBase, FigureChange

DEMO_AS_OF = date(2017, 10, 29)  # Sunday of the last reported week (AS_OF_DATE is Tuesday 31 October)
FIRST_FIGURES = date(2016, 2, 1)  # the 2016 plan year's figures (kpis/demo_2016.py) come first
FIGURE_MONTHS = [(2017, month) for month in range(2, 11)]  # the plan year so far: February–October
CLOSED_MONTHS = [date(2017, month, 1) for month in range(2, 10)]  # October is still open
SEED = 20171031
MISSING_SHARE = 0.03  # rep-weeks nobody reported
STARS, LAGGARDS = 4, 5
ALWAYS_AT_THE_BOTTOM = {"rep35"}  # teams/demo.py lets rep35 go in August for repeated bottom placings

# How a month sells against its target: the targets already carry the plan's seasons, these add the floor's.
MONTH_FORM = {2: 0.85, 3: 0.95, 4: 1.0, 5: 0.95, 6: 1.0, 7: 0.9, 8: 0.95, 9: 1.2, 10: 1.05}
SPRING_FESTIVAL_WEEK, SPRING_FESTIVAL_FORM = date(2017, 1, 30), 0.5  # the holiday runs to Thursday 2 February
# The managers enter a week's figures on its Friday evening, one team after another, and submit them after that.
ENTERED_AT, ENTERED_STAGGER, SUBMITTED_AFTER = time(17, 30), timedelta(minutes=6), timedelta(minutes=90)


def demo_weeks() -> list[date]:
    """Return the Mondays of February–October 2017 whose week ended by the demo's as-of date."""
    return [monday for year, month in FIGURE_MONTHS for monday in weeks_of_month(year, month)
            if monday + timedelta(days=6) <= DEMO_AS_OF]


def entered_at(monday: date, team_number: int) -> datetime:
    """Return when the demo's manager of the `team_number`-th team (0 for the first by code) entered the week's
    figures: that week's Friday evening in the organisation's time zone (Asia/Shanghai)."""
    friday = datetime.combine(monday + timedelta(days=4), ENTERED_AT) + team_number * ENTERED_STAGGER
    return timezone.make_aware(friday, timezone.get_default_timezone())


@dataclass(frozen=True)
class RepProfile:
    skill: float  # attainment the rep reaches in an ordinary week
    hired: date
    probation_end: date

    def ramp(self, monday: date) -> float:
        """Return how far into their stride the rep is: from 35 % at hire to 100 % when probation ends."""
        if not on_probation(self.probation_end, monday):
            return 1.0
        span = max((self.probation_end - self.hired).days, 1)
        return 0.35 + 0.65 * max((monday - self.hired).days, 0) / span


def profiles_of(reps: list[Employee], rng: random.Random) -> dict[int, RepProfile]:
    pool = [r for r in reps if r.user.username not in ALWAYS_AT_THE_BOTTOM]
    rng.shuffle(pool)
    stars = {r.pk for r in pool[:STARS]}
    laggards = {r.pk for r in pool[STARS:STARS + LAGGARDS]} | {r.pk for r in reps if r not in pool}
    profiles = {}
    for rep in reps:
        low, high = (1.45, 1.8) if rep.pk in stars else (0.3, 0.5) if rep.pk in laggards else (0.7, 1.1)
        profiles[rep.pk] = RepProfile(rng.uniform(low, high), rep.hire_date, rep.probation_end)
    return profiles


def _hundreds(yuan: float | Decimal) -> Decimal:
    """Return the amount rounded to 100 yuan, as deposits usually come in."""
    return Decimal(round(float(yuan) / 100) * 100).quantize(Decimal("0.01"))


def week_form(monday: date) -> float:
    """Return how the 2017 week sells against its target (the month's form, the slow Spring Festival week)."""
    return SPRING_FESTIVAL_FORM if monday == SPRING_FESTIVAL_WEEK else MONTH_FORM[week_month(monday)[1]]


def week_values(profile: RepProfile, monday: date, target: int, form: float,
                rng: random.Random) -> dict[str, object]:
    """Return one rep-week of entered figures: deposits from the target, counts and volume that fit them."""
    if target:
        total = _hundreds(target * profile.skill * form * profile.ramp(monday) * rng.lognormvariate(0, 0.3))
    else:  # a week without working days (National Day): only a trickle from customers topping up
        total = _hundreds(rng.choice([0, 0, rng.uniform(200, 3000)]))
    new = _hundreds(total * Decimal(rng.uniform(0.3, 0.65)))
    ticket = rng.uniform(1500, 4500)  # what a newly opened account brings in
    accounts = int(float(new) / ticket) + (1 if rng.random() < (float(new) / ticket) % 1 else 0)
    busy = 1 + round(3 * profile.skill) if target else 0
    volume = (total + rng.randint(1000, 6000)) * Decimal(str(round(rng.uniform(3, 8), 2)))
    return {
        "new_customers": accounts + rng.randint(0, 2 + busy),
        "engaged_customers": accounts + rng.randint(0 if not target else 1, 1 + busy),
        "accounts_opened": accounts,
        "new_customer_deposits": new,
        "existing_customer_deposits": total - new,
        "trading_volume": volume.quantize(Decimal("0.01")),
    }


def week_targets(weeks: list[date]) -> dict[tuple[int, date], int]:
    """Return each rep-week's deposit target (a rep who moved mid-week has a row per team: summed)."""
    rows = (RepWeekTarget.objects.filter(week__in=weeks).values_list("employee_id", "week")
            .annotate(total=Sum("deposit_target")).order_by())
    return {(employee_id, week): total for employee_id, week, total in rows}


def _customer_bases(reps: list[Employee], rng: random.Random) -> None:
    """Give each rep an opening customer base that grows with tenure (5–60), unless one is set."""
    existing = set(CustomerBase.objects.values_list("employee_id", flat=True))
    for rep in reps:
        years = (FIRST_FIGURES - rep.hire_date).days / 365
        opening = min(60, max(5, 5 + int(years * 10) + rng.randint(0, 8)))
        if rep.pk not in existing:
            services.customer_base_set(employee=rep, opening_base=opening,
                                       counted_from=max(rep.hire_date, FIRST_FIGURES))


def _enter(weeks: list[date], reps: list[Employee], teams: dict[int, Team], director: User,
           rng: random.Random) -> int:
    profiles, targets, written = profiles_of(reps, rng), week_targets(weeks), 0
    for monday in weeks:
        rows: dict[int, list[services.RepWeekInput]] = defaultdict(list)
        for employee_id, team_id in selectors.teams_for_week([r.pk for r in reps], monday).items():
            if team_id is None or rng.random() < MISSING_SHARE:
                continue
            values = week_values(profiles[employee_id], monday, targets.get((employee_id, monday), 0),
                                 week_form(monday), rng)
            rows[team_id].append(services.RepWeekInput(employee_id, values))
        for team_id in sorted(rows):
            team = teams[team_id]
            services.weekly_figures_save(week=monday, rows=rows[team_id], by=manager_of(team, director),
                                         channel=Channel.DEMO, team=team)
            written += len(rows[team_id])
    return written


def manager_of(team: Team, director: User) -> User:
    return team.manager.user if team.manager else director


def _submit(weeks: list[date], teams: list[Team], director: User) -> None:
    for monday in weeks:
        for index, team in enumerate(teams):
            if monday == weeks[-1] and index % 2:  # half the teams have not submitted last week yet
                continue
            services.weekly_figures_submit(team=team, week=monday, by=manager_of(team, director))


@transaction.atomic
def load_figures(*, before_close: Callable[[], object] | None = None) -> int:
    """Return how many rep-weeks were entered; none when the demo's figures are already there.

    `before_close` runs once the weeks are entered and submitted, before February–September are closed: what users
    wrote while those months were open and a close freezes (the managers' weekly bulletins, the load_demo passes).
    """
    if FigureChange.objects.filter(channel=Channel.DEMO).exists():
        return 0
    director = User.objects.get(username="director")
    reps = list(Employee.objects.filter(user__role=Role.REP).select_related("user").order_by("employee_number"))
    teams = list(Team.objects.select_related("manager__user").order_by("code"))
    rng = random.Random(SEED)
    _customer_bases(reps, rng)
    weeks = demo_weeks()
    written = _enter(weeks, reps, {t.pk: t for t in teams}, director, rng)
    _submit(weeks, teams, director)
    if before_close is not None:
        before_close()
    for month in CLOSED_MONTHS:
        services.month_close(month=month, by=director)
    return written
