"""Organisation writes: one team at a time, dated history, leavers."""

from datetime import date, timedelta

import pytest

from teams import services
from teams.errors import DomainError
from teams.models import Appointment, EmployeeStatus, Membership
from tests import factories


def test_a_move_closes_the_old_membership_the_day_before(org):
    spans = list(Membership.objects.filter(employee=org.mover).values_list("team__name", "starts_on", "ends_on"))
    assert spans == [("先锋队", date(2016, 1, 4), date(2017, 5, 31)), ("猛虎队", date(2017, 6, 1), None)]


def test_overlapping_membership_is_refused_with_the_clashing_team_named(org, unchanged):
    with unchanged(), pytest.raises(DomainError, match="先锋队") as refused:
        services.membership_check(employee=org.mover, starts_on=date(2017, 5, 1), ends_on=date(2017, 5, 10))
    assert refused.value.field == "starts_on"


def test_second_open_membership_is_refused_by_the_database_too(org, unchanged):
    from django.db import IntegrityError, transaction

    with unchanged(), pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(employee=org.rep_a, team=org.team_b, starts_on=date(2018, 1, 1))


def test_move_dated_before_the_current_membership_saves_nothing(org, unchanged):
    before = list(Membership.objects.filter(employee=org.mover).values())
    with unchanged(), pytest.raises(DomainError, match="must come after"):
        services.membership_start(employee=org.mover, team=org.team_a, starts_on=date(2017, 6, 1))
    assert list(Membership.objects.filter(employee=org.mover).values()) == before


def test_membership_cannot_start_before_hire(db, unchanged):
    team = factories.TeamFactory()
    rep = factories.employee(hired=date(2017, 3, 1))
    with unchanged(), pytest.raises(DomainError, match="hired on 2017-03-01"):
        services.membership_start(employee=rep, team=team, starts_on=date(2017, 2, 1))
    assert not Membership.objects.filter(employee=rep).exists()


def test_promotion_adds_history_and_keeps_the_past(db):
    rep = factories.employee(hired=date(2015, 1, 5))
    senior = factories.PositionFactory(code="senior_rep", name="高级销售代表", level=20)
    grade2 = factories.SalaryGradeFactory(code="G2", name="二级", level=2, monthly_base=5000)
    services.appointment_record(employee=rep, position=senior, salary_grade=grade2, effective_from=date(2017, 3, 1))
    history = list(Appointment.objects.filter(employee=rep).order_by("effective_from")
                   .values_list("position__code", "salary_grade__code", "effective_from"))
    assert history == [("rep", "G1", date(2015, 1, 5)), ("senior_rep", "G2", date(2017, 3, 1))]
    assert services.appointment_at(rep, date(2017, 2, 28)).position.code == "rep"
    assert services.appointment_at(rep, date(2017, 3, 1)).position.code == "senior_rep"


def test_recording_the_same_appointment_again_adds_no_row(db, unchanged):
    rep = factories.employee(hired=date(2015, 1, 5))
    first = Appointment.objects.get(employee=rep)
    with unchanged():
        again = services.appointment_record(employee=rep, position=first.position, salary_grade=first.salary_grade,
                                            effective_from=date(2016, 1, 1))
    assert again == first and Appointment.objects.filter(employee=rep).count() == 1


def test_leaving_closes_the_membership_and_the_log_in(org):
    org.leaver.refresh_from_db()
    assert org.leaver.status == EmployeeStatus.LEFT and org.leaver.left_on == date(2017, 3, 31)
    assert Membership.objects.get(employee=org.leaver).ends_on == date(2017, 3, 31)
    assert not org.leaver.user.is_active


def test_leaving_without_a_reason_is_refused(org, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        services.employee_leave(employee=org.rep_a, left_on=date(2017, 9, 1), reason=" ")
    assert refused.value.field == "leaving_reason"
    org.rep_a.refresh_from_db()
    assert org.rep_a.status == EmployeeStatus.ACTIVE


def test_left_employee_cannot_join_a_team(org, unchanged):
    with unchanged(), pytest.raises(DomainError, match="left the company"):
        services.membership_start(employee=org.leaver, team=org.team_b, starts_on=date(2017, 6, 1))


def test_only_a_manager_role_can_lead_a_team(org, unchanged):
    with unchanged(), pytest.raises(DomainError, match="manager role"):
        services.team_assign_manager(team=org.team_a, manager=org.rep_a)


def test_probation_cannot_end_before_hire(db, unchanged):
    factories.PositionFactory(), factories.SalaryGradeFactory()  # the factory's rows, made before the hire
    with unchanged(), pytest.raises(DomainError) as refused:
        factories.employee(hired=date(2017, 3, 1), probation_end=date(2017, 2, 1))
    assert refused.value.field == "probation_end"


def test_a_contract_end_is_recorded_and_one_before_the_hire_is_refused(org, unchanged):
    services.employee_contract_set(employee=org.rep_a, contract_end=date(2018, 3, 31))
    org.rep_a.refresh_from_db()
    assert org.rep_a.contract_end == date(2018, 3, 31)
    with unchanged(), pytest.raises(DomainError) as refused:
        services.employee_contract_set(employee=org.rep_a, contract_end=org.rep_a.hire_date - timedelta(days=1))
    assert refused.value.field == "contract_end"
