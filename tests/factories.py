"""Test data built through the services, so that every rule and history row stays true."""

import itertools
from datetime import date

import factory

from teams import services
from teams.models import Employee, Position, Role, SalaryGrade, Team

_numbers = itertools.count(1)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ["code"]

    code = "rep"
    name = "销售代表"
    name_en = "Sales rep"
    level = 10


class SalaryGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryGrade
        django_get_or_create = ["code"]

    code = "G1"
    name = "一级"
    level = 1
    monthly_base = 4000


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"测试{n}队")


def employee(*, role: str = Role.REP, team: Team | None = None, hired: date = date(2016, 1, 4),
             probation_end: date | None = None, name: str | None = None, password: str = "pw") -> Employee:
    """Return a new employee hired through the service, with a log-in named after the role."""
    n = next(_numbers)
    return services.employee_hire(
        username=f"{role}{n}", password=password, role=role, employee_number=f"T{n:05d}",
        name=name or f"员工{n}", hire_date=hired, probation_end=probation_end or hired,
        position=PositionFactory(), salary_grade=SalaryGradeFactory(), team=team,
    )


def manager_of(team: Team, **kwargs) -> Employee:
    """Return a new manager who leads `team`."""
    boss = employee(role=Role.MANAGER, **kwargs)
    services.team_assign_manager(team=team, manager=boss)
    return boss
