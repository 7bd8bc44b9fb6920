"""The dashboard's pace for the as-of month, its phase and the year, on the team-week rollups."""

from datetime import date

from django.db.models import Sum
from django.urls import reverse

from kpis import services
from kpis.results import services as rollups
from targets.models import RepWeekTarget


def test_pace_rows_for_month_phase_and_year(client, org, plan, settings):
    settings.AS_OF_DATE = date(2017, 10, 18)  # a Wednesday of October, the third phase's last month
    for week in (date(2017, 10, 9), date(2017, 10, 16)):
        services.weekly_figures_save(week=week, by=org.manager_a.user, channel="grid", team=org.team_a, rows=[
            services.RepWeekInput(org.rep_a.pk, {"new_customer_deposits": 100_000})])
    rollups.recompute_all()
    client.force_login(org.director.user)
    paces = dict(client.get(reverse("dashboards:director")).context["board"].paces)
    assert list(paces) == ["month", "phase", "year"]
    october = RepWeekTarget.objects.filter(plan_month__month=date(2017, 10, 1)).aggregate(s=Sum("deposit_target"))
    assert paces["month"].target == october["s"] == 1_000_000
    assert paces["month"].actual_to_date == paces["phase"].actual_to_date == paces["year"].actual_to_date == 200_000
    # one working week (23 Oct) is left in October to make up the rest of its 1,000,000
    assert paces["month"].needed_per_week == 800_000
    assert paces["phase"].target == 3_700_000 and paces["year"].target == 14_000_000
