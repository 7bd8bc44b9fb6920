"""The demo's weekly figures: February–October 2017, varied by rep and season, true to memberships, idempotent.

The demo is loaded once for the module (tests/conftest.py, demo_once) in a transaction rolled back at the end,
because a load takes a while and every test here only reads it.
"""

import hashlib
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db.models import F, Sum

from kpis import demo as kpis_demo
from kpis import demo_2016
from kpis.calculations import team_for_week
from kpis.models import CustomerBase, FigureChange, FiguresState, MonthClose, WeeklyFigures
from kpis.results.models import CompanyMonthResult, RollupMonth
from kpis.selectors import teams_for_week
from targets import demo as demo_2016_plan
from targets.calculations import MembershipSpan, month_of_week, week_month, weeks_of_month
from targets.models import RepWeekTarget
from teams.models import Employee, Membership, Role

WEEKS = [monday for month in range(2, 11) for monday in weeks_of_month(2017, month)
         if monday + timedelta(days=6) <= date(2017, 10, 29)]
WEEKS_2016 = demo_2016.demo_weeks()
TOTAL = F("new_customer_deposits") + F("existing_customer_deposits")


def figures_2017():
    return WeeklyFigures.objects.filter(week__gte=WEEKS[0])


def snapshot() -> tuple[dict[str, int], str]:
    """Return row counts and a checksum of every figure, change, close and customer base."""
    rows = {
        "figures": sorted(WeeklyFigures.objects.values_list(
            "employee_id", "team_id", "week", "state", "version", "new_customers", "engaged_customers",
            "accounts_opened", "new_customer_deposits", "existing_customer_deposits", "trading_volume")),
        "changes": sorted(FigureChange.objects.values_list("figures_id", "field", "old_value", "new_value", "channel")),
        "closes": sorted(MonthClose.objects.values_list("month", "closed")),
        "bases": sorted(CustomerBase.objects.values_list("employee_id", "opening_base", "counted_from")),
    }
    return {k: len(v) for k, v in rows.items()}, hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_demo_weeks_run_from_the_first_week_of_february_to_the_last_week_before_the_as_of_date():
    assert kpis_demo.demo_weeks() == WEEKS
    assert (WEEKS[0], WEEKS[-1], len(WEEKS)) == (date(2017, 1, 30), date(2017, 10, 23), 39)


def test_figures_exist_for_every_week_of_february_to_october_2017_and_of_the_2016_plan_year(demo):
    weeks = set(WeeklyFigures.objects.filter(week__gte=WEEKS[0]).values_list("week", flat=True))
    assert weeks == set(WEEKS)
    assert set(WeeklyFigures.objects.filter(week__lt=WEEKS[0]).values_list("week", flat=True)) == set(WEEKS_2016)
    assert {week_month(w) for w in weeks} == {(2017, m) for m in range(2, 11)}
    assert all(WeeklyFigures.objects.filter(week=w).count() >= 45 for w in WEEKS)


def test_a_few_rep_weeks_are_missing(demo):
    reps = list(Employee.objects.filter(user__role=Role.REP).values_list("pk", flat=True))
    due = sum(sum(1 for team in teams_for_week(reps, w).values() if team) for w in WEEKS)
    share = 1 - figures_2017().count() / due
    assert 0.02 <= share <= 0.04, share


def attainment_by_rep() -> dict[int, Decimal]:
    actual = dict(figures_2017().values_list("employee_id").annotate(s=Sum(TOTAL)).order_by())
    target = dict(RepWeekTarget.objects.filter(week__in=WEEKS).values_list("employee_id")
                  .annotate(s=Sum("deposit_target")).order_by())
    return {rep: (actual.get(rep) or Decimal(0)) / t for rep, t in target.items() if t}


def test_some_reps_are_far_above_target_some_at_the_bottom_and_most_in_between(demo):
    rates = sorted(attainment_by_rep().values())
    assert len(rates) >= 55
    assert sum(r >= Decimal("1.3") for r in rates) >= 3, rates
    assert sum(r <= Decimal("0.5") for r in rates) >= 3, rates
    middle = sum(Decimal("0.7") <= r <= Decimal("1.2") for r in rates)
    assert middle >= len(rates) * 0.6, rates


def test_the_rep_released_for_bottom_placings_was_at_the_bottom(demo):
    rates = attainment_by_rep()
    rep35 = Employee.objects.get(user__username="rep35").pk
    assert sorted(rates.values()).index(rates[rep35]) < 5


def test_september_sells_best_and_the_holiday_weeks_are_slow(demo):
    def attainment(weeks: list[date]) -> Decimal:
        actual = WeeklyFigures.objects.filter(week__in=weeks).aggregate(s=Sum(TOTAL))["s"]
        return actual / RepWeekTarget.objects.filter(week__in=weeks).aggregate(s=Sum("deposit_target"))["s"]

    months = {m: attainment(weeks_of_month(2017, m)) for m in range(2, 10)}
    assert max(months, key=months.get) == 9, months
    week_total = dict(figures_2017().values_list("week").annotate(s=Sum(TOTAL)).order_by())
    ordinary = sorted(week_total.values())[len(week_total) // 2]
    assert week_total[date(2017, 10, 2)] < ordinary * Decimal("0.15")  # National Day
    assert week_total[date(2017, 1, 30)] < ordinary * Decimal("0.5")  # Spring Festival


def test_counts_and_volumes_fit_the_deposits(demo):
    assert not WeeklyFigures.objects.filter(engaged_customers__lt=F("accounts_opened")).exists()
    assert not WeeklyFigures.objects.filter(trading_volume__lt=TOTAL).exists()
    assert WeeklyFigures.objects.filter(accounts_opened__gt=0).count() > WeeklyFigures.objects.count() / 3


def test_no_figures_outside_a_reps_membership_dates(demo):
    spans = defaultdict(list)
    for m in Membership.objects.all():
        spans[m.employee_id].append(MembershipSpan(m.employee_id, m.team_id, m.starts_on, m.ends_on))
    rows = list(WeeklyFigures.objects.values_list("employee_id", "team_id", "week"))
    assert all(team_for_week(spans[e], week) == team for e, team, week in rows)
    leavers = Employee.objects.filter(user__role=Role.REP, left_on__isnull=False)
    assert leavers.count() >= 3
    for leaver in leavers:
        assert not WeeklyFigures.objects.filter(employee=leaver, week__gt=leaver.left_on).exists(), leaver
        assert WeeklyFigures.objects.filter(employee=leaver, week__gt=leaver.left_on - timedelta(weeks=3)).exists()
    hired_in_2017 = Employee.objects.filter(user__role=Role.REP, hire_date__gt=date(2017, 2, 1))
    assert hired_in_2017.count() >= 3
    for rep in hired_in_2017:
        assert not WeeklyFigures.objects.filter(employee=rep, week__lt=rep.hire_date - timedelta(days=6)).exists()
    movers = Employee.objects.filter(user__role=Role.REP, memberships__ends_on__isnull=False, status="active")
    assert all(WeeklyFigures.objects.filter(employee=m).values("team").distinct().count() == 2 for m in movers)


def test_february_to_september_are_closed_and_their_figures_locked(demo):
    closed = sorted(MonthClose.objects.filter(closed=True).values_list("month", flat=True))
    assert closed == demo_2016_plan.PLAN_2016_MONTHS + [date(2017, m, 1) for m in range(2, 10)]
    for figures in WeeklyFigures.objects.only("week", "state"):
        in_closed_month = month_of_week(figures.week) < date(2017, 10, 1)
        assert (figures.state == FiguresState.LOCKED) == in_closed_month, (figures.week, figures.state)


def test_october_is_submitted_except_part_of_the_last_week(demo):
    october = WeeklyFigures.objects.filter(week__in=weeks_of_month(2017, 10))
    earlier = set(october.exclude(week=WEEKS[-1]).values_list("state", flat=True))
    assert earlier == {FiguresState.SUBMITTED}
    last = set(october.filter(week=WEEKS[-1]).values_list("state", flat=True))
    assert last == {FiguresState.DRAFT, FiguresState.SUBMITTED}


def test_every_rep_has_an_opening_customer_base(demo):
    bases = CustomerBase.objects.filter(employee__user__role=Role.REP)
    assert bases.count() == Employee.objects.filter(user__role=Role.REP).count()
    assert all(5 <= b.opening_base <= 60 for b in bases)
    assert all(b.counted_from == max(b.employee.hire_date, date(2016, 2, 1)) for b in bases.select_related("employee"))


def test_the_figures_came_through_the_service_as_each_teams_manager(demo):
    channels = FigureChange.objects.exclude(field="state").values_list("channel", flat=True).distinct()
    assert set(channels) == {"demo"}
    entered_by_manager = WeeklyFigures.objects.filter(entered_by=F("team__manager__user")).count()
    assert entered_by_manager == WeeklyFigures.objects.count()


def test_loading_the_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before
    assert before[0]["figures"] > 2000


def test_the_demo_ends_with_rollups_that_check_rollups_accepts(demo):
    """load_demo computes what its saves left stale (a worker or not): every column matches a plain recount."""
    assert not [s.month for s in RollupMonth.objects.all() if s.pending]
    out = io.StringIO()
    call_command("check_rollups", stdout=out)
    assert out.getvalue().startswith("rollups match: ")
    # The customer bases were set before the figures: November–January count them too (they were 0).
    later = CompanyMonthResult.objects.filter(month__gte=date(2017, 11, 1)).values_list("customer_base", flat=True)
    assert len(later) == 3 and all(base > 1000 for base in later)


def test_the_2016_plan_year_is_weaker_and_turns_after_the_director_arrives(demo):
    def attainment(months: list[date]) -> Decimal:
        weeks = [w for m in months for w in weeks_of_month(m.year, m.month)]
        actual = WeeklyFigures.objects.filter(week__in=weeks).aggregate(s=Sum(TOTAL))["s"]
        return actual / RepWeekTarget.objects.filter(week__in=weeks).aggregate(s=Sum("deposit_target"))["s"]

    months = demo_2016_plan.PLAN_2016_MONTHS
    before, after = attainment(months[:8]), attainment(months[9:])  # February–September, November–January
    assert before < Decimal("0.75") < after
    assert attainment(months) < attainment([date(2017, m, 1) for m in range(2, 10)])
    assert set(WeeklyFigures.objects.filter(week__in=WEEKS_2016).values_list("state", flat=True)) == {"locked"}


def test_every_2017_month_so_far_compares_with_the_same_month_of_2016_and_february_with_january(demo):
    rows = {r.month: r for r in CompanyMonthResult.objects.filter(month__range=(date(2017, 1, 1), date(2017, 10, 1)))}
    assert all(rows[date(2017, m, 1)].performance_growth_yoy is not None for m in range(2, 11))
    february, january = rows[date(2017, 2, 1)], rows[date(2017, 1, 1)]
    assert february.performance_growth_rate == round((february.total_deposits - january.total_deposits)
                                                     / january.total_deposits, 6)
