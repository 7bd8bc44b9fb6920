"""The demo organisation and plan: their shape, and that loading them twice changes nothing.

The demo is loaded once for the module inside a transaction rolled back at the end (a load takes a while);
tests read it from their own savepoints. The demo's weekly figures are checked in tests/kpis/test_demo.py.
"""

import io
from datetime import date

from django.core.management import call_command
from django.db.models import Q, Sum

from targets import demo as targets_demo
from targets.models import PlanYear, RepMonthTarget, TeamMonthTarget
from teams.models import Appointment, Employee, Membership, Role, Team, User

PLAN_MONTHS = [date(2017, m, 1) for m in range(2, 13)] + [date(2018, 1, 1)]


def snapshot() -> dict:
    return {model.__name__: sorted(model.objects.values_list(*fields))
            for model, fields in [(User, ["username", "role", "is_active", "password"]),
                                  (Employee, ["employee_number", "name", "status", "left_on"]),
                                  (Membership, ["employee_id", "team_id", "starts_on", "ends_on"]),
                                  (Appointment, ["employee_id", "position_id", "salary_grade_id", "effective_from"]),
                                  (Team, ["code", "name", "manager_id"])]}


def test_loading_the_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def reps_in(team: Team, on: date) -> int:
    return Membership.objects.filter(team=team, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)).count()


def test_demo_has_eight_teams_of_six_to_eight_reps_every_plan_month(demo):
    teams = list(Team.objects.select_related("manager__user"))
    assert len(teams) == 8
    assert all(t.manager and t.manager.user.role == Role.MANAGER for t in teams)
    for month in PLAN_MONTHS:
        sizes = [reps_in(t, month) for t in teams]
        assert all(6 <= s <= 8 for s in sizes), (month, sizes)
        assert 50 <= sum(sizes) <= 60


def test_demo_has_one_general_manager_one_director_and_hr(demo):
    assert User.objects.filter(role=Role.GENERAL_MANAGER).count() == 1
    assert User.objects.filter(role=Role.DIRECTOR).count() == 1
    assert 1 <= User.objects.filter(role=Role.HR).count() <= 2


def test_demo_year_has_moves_leavers_and_reps_on_probation(demo):
    moved = Employee.objects.filter(memberships__ends_on__isnull=False, status="active").distinct()
    assert moved.count() >= 3
    leavers = Employee.objects.filter(status="left", left_on__year=2017)
    assert leavers.count() >= 3
    assert Employee.objects.filter(user__role=Role.REP, probation_end__gte=date(2017, 10, 31)).exists()
    assert Employee.objects.filter(user__role=Role.REP, probation_end__gte=date(2017, 2, 1),
                                   hire_date__lt=date(2017, 2, 1)).exists()
    assert Appointment.objects.values("employee").distinct().count() < Appointment.objects.count()


def test_demo_plan_is_the_seeds_1400_wan_approved_and_split(demo):
    plan = PlanYear.objects.get(name=targets_demo.PLAN_2017)
    assert plan.status == PlanYear.Status.APPROVED
    assert TeamMonthTarget.objects.filter(plan_month__plan=plan).aggregate(s=Sum("deposit_target"))["s"] == 14_000_000
    assert RepMonthTarget.objects.filter(plan_month__plan=plan).aggregate(s=Sum("deposit_target"))["s"] == 14_000_000
