"""The demo's 2016 plan year (February 2016–January 2017): weekly figures for every rep, closed, so 同比 has a year.

DOMAIN.md: the sales director arrived in October 2016 and turned losses around, so 2016 sells well below its
(smaller) plan until October and recovers by the year's end. History is loaded in bulk, not through the grid:
the rows the grid would write (figures, locked; the month closes through kpis.services) without a per-cell audit
trail, which for a year entered before the product existed there would be nothing to show.
"""

import random

from django.db import transaction

from targets.calculations import week_month, weeks_of_month
from targets.demo import PLAN_2016_MONTHS
from teams.models import Employee, Role, Team, User

from . import selectors, services
from .demo import entered_at, manager_of, profiles_of, week_targets, week_values
from .models import FiguresState, WeeklyFigures
from .results import services as rollups

SEED = 20161017  # the director's first day
# Below plan all spring and summer; the director's arrival in October turns it.
MONTH_FORM = {2: 0.55, 3: 0.6, 4: 0.62, 5: 0.58, 6: 0.6, 7: 0.55, 8: 0.6, 9: 0.68, 10: 0.75, 11: 0.88, 12: 0.98,
              1: 0.95}


def demo_weeks() -> list:
    """Return the Mondays of the 2016 plan year's weeks."""
    return [monday for month in PLAN_2016_MONTHS for monday in weeks_of_month(month.year, month.month)]


@transaction.atomic
def load_figures() -> int:
    """Return how many rep-weeks of 2016 were written; none when they are there already."""
    weeks = demo_weeks()
    if WeeklyFigures.objects.filter(week__in=weeks).exists():
        return 0
    director = User.objects.get(username="director")
    reps = list(Employee.objects.filter(user__role=Role.REP).select_related("user").order_by("employee_number"))
    teams = {t.pk: t for t in Team.objects.select_related("manager__user")}
    team_numbers = {pk: n for n, pk in enumerate(Team.objects.order_by("code").values_list("pk", flat=True))}
    rng = random.Random(SEED)
    profiles, targets = profiles_of(reps, rng), week_targets(weeks)
    belongs = selectors.rep_week_teams(weeks, employee_ids=[r.pk for r in reps])
    rows = []
    for monday in weeks:
        for rep in reps:
            team_id = belongs.get((rep.pk, monday))
            if team_id is None:
                continue
            values = week_values(profiles[rep.pk], monday, targets.get((rep.pk, monday), 0),
                                 MONTH_FORM[week_month(monday)[1]], rng)
            rows.append(WeeklyFigures(employee=rep, team_id=team_id, week=monday, state=FiguresState.LOCKED,
                                      entered_by=manager_of(teams[team_id], director),
                                      entered_at=entered_at(monday, team_numbers[team_id]),
                                      **values))
    WeeklyFigures.objects.bulk_create(rows, batch_size=2000)
    for month in PLAN_2016_MONTHS:
        services.month_close(month=month, by=director)
    rollups.months_stale(PLAN_2016_MONTHS)
    return len(rows)
