"""The way up (promotions.selectors.way_up): the position held, each step up with the engine's checks and the date
they will be eligible from, the empty states, who may see it, exam scores only for the person and HR, and a
fixed number of queries whatever the team's size."""

from datetime import date, timedelta

import pytest

from promotions.models import Ladder, Rung
from promotions.selectors.eligibility import eligibility_of
from promotions.selectors.way_up import LEFT, NO_PATH, NO_POSITION, STEPS, TOP, team_way_up, way_up_of
from promotions.services import paths, training
from teams import access
from teams import services as team_services
from tests import factories

from .conftest import course, publish

ON = date(2017, 9, 1)


def seen_by(org, role: str) -> access.Principal:
    return access.principal_of(org.by_role(role).user)


def texts(step) -> list[tuple[str, bool, str]]:
    return [(c.rule, c.met, c.text) for c in step.eligibility.checks]


def with_exam(org, steps, score: int) -> None:
    """From 1 August the rep → senior rep step also asks for an exam score of 80; rep_a scored `score`."""
    paths.requirement_add(step=steps["senior_rep"], valid_from=date(2017, 8, 1), months_in_position=6,
                          exam_score=80, by=org.hr.user)
    session = training.session_add(course=course("product"), title="产品知识考试", hours=4, held_on=date(2017, 8, 10),
                                   has_exam=True, by=org.hr.user)
    training.attendance_record(session=session, employee=org.rep_a, exam_score=score, by=org.hr.user)


def test_an_excellent_rep_past_six_months_sees_the_next_position_and_every_rule_met(org, steps, positions, cycle):
    publish(org, cycle, org.rep_a, 5)
    way = way_up_of(seen_by(org, "rep_a"), org.rep_a.pk, ON)
    assert (way.status, way.position, way.since, way.on_probation) == (STEPS, positions["rep"], date(2016, 1, 4),
                                                                       False)
    [step] = way.steps
    assert (step.to_position, step.verdict, step.eligibility.eligible_from) == (positions["senior_rep"], "now", ON)
    assert texts(step) == [
        ("time", True, "In the current position 19 months 27 days (probation excluded); needs 6 months — met from "
                       "2016-07-05"),
        ("rating", True, "Latest appraisal: 优秀 (rated by the department manager); needs: 优秀 (rated by "
                         "the department manager)")]


def test_a_rep_short_of_time_only_sees_the_day_they_will_be_eligible(org, steps, positions, cycle):
    publish(org, cycle, org.rep_a, 5)
    paths.requirement_add(step=steps["senior_rep"], valid_from=date(2017, 8, 1), months_in_position=24,
                          by=org.hr.user)
    # a new grade in the same position: the run is unbroken, time counts from the first day in it
    team_services.appointment_record(employee=org.rep_a, position=positions["rep"], effective_from=date(2017, 5, 1),
                                     salary_grade=factories.SalaryGradeFactory(code="G2", name="二级", level=2),
                                     reason="调薪")
    way = way_up_of(seen_by(org, "hr"), org.rep_a, ON)
    [step] = way.steps
    assert (way.since, way.appointment.salary_grade.code) == (date(2016, 1, 4), "G2")
    assert (step.verdict, step.eligibility.eligible_from) == ("from", date(2018, 1, 5))
    assert [c.rule for c in step.eligibility.unmet] == ["time"]


def test_a_rep_on_probation_is_told_when_it_ends_and_from_when_time_counts(org, steps):
    newcomer = factories.employee(team=org.team_a, hired=date(2017, 7, 3), probation_end=date(2017, 10, 2))
    way = way_up_of(seen_by(org, "manager_a"), newcomer, ON)
    assert way.on_probation and way.counts_from == date(2017, 10, 3)
    [step] = way.steps
    assert step.verdict == "not"
    assert ("time", False, "In the current position 0 months 0 days (probation excluded); needs 6 months — met from "
                           "2018-04-03") in texts(step)
    assert not way_up_of(seen_by(org, "manager_a"), newcomer, date(2017, 10, 3)).on_probation


def test_the_way_up_agrees_with_the_engines_verdict_for_every_member(org, steps, positions, cycle):
    publish(org, cycle, org.rep_a, 5)
    publish(org, cycle, org.rep_b, 4)
    for role, team in (("manager_a", org.team_a), ("manager_b", org.team_b)):
        for way in team_way_up(seen_by(org, role), team, ON):
            for step in way.steps:
                engine = eligibility_of(way.employee.pk, step.to_position.pk, ON)
                assert (step.verdict, step.eligibility.eligible_from, step.eligibility.checks) == (
                    engine.verdict, engine.eligible_from, engine.checks), way.employee.name


@pytest.fixture
def ladders(org, positions):
    """The rep ladder (rep, senior rep) and the manager ladder (manager, director); a HR position on none."""
    director = factories.PositionFactory(code="director", name="销售总监", level=40, is_management=True)
    hr_officer = factories.PositionFactory(code="hr_officer", name="人力资源专员", level=20)
    reps, managers = Ladder.objects.create(code="rep", name="销售序列"), Ladder.objects.create(code="mgr", name="管理")
    for order, code in enumerate(("rep", "senior_rep")):
        Rung.objects.create(ladder=reps, position=positions[code], order=order)
    Rung.objects.create(ladder=managers, position=positions["manager"], order=0)
    Rung.objects.create(ladder=managers, position=director, order=1)
    return {**positions, "director": director, "hr_officer": hr_officer}


def appoint(employee, position) -> None:
    team_services.appointment_record(employee=employee, position=position, effective_from=date(2017, 2, 1),
                                     salary_grade=factories.SalaryGradeFactory(), reason="任命")


@pytest.mark.parametrize(("position", "status"), [
    ("director", TOP),         # the top rung of the manager ladder
    ("manager", NO_PATH),      # the ladder goes higher, but HR has drawn no step from it
    ("hr_officer", NO_PATH),   # on no ladder
])
def test_a_position_without_a_step_up_says_whether_it_is_the_top(org, steps, ladders, position, status):
    appoint(org.director, ladders[position])
    way = way_up_of(seen_by(org, "director"), org.director.pk, ON)
    assert (way.status, way.position, way.steps) == (status, ladders[position], ())


def test_a_step_without_a_requirement_yet_is_listed_without_a_verdict(org, steps, ladders):
    paths.path_step_add(from_position=ladders["manager"], to_position=ladders["director"], by=org.hr.user)
    appoint(org.manager_a, ladders["manager"])
    [step] = way_up_of(seen_by(org, "manager_a"), org.manager_a.pk, ON).steps
    assert (step.to_position, step.eligibility, step.verdict) == (ladders["director"], None, "not")


def test_a_leaver_and_someone_before_their_first_appointment_have_no_way_up(org, steps):
    assert way_up_of(seen_by(org, "hr"), org.leaver.pk, ON).status == LEFT
    assert way_up_of(seen_by(org, "hr"), org.leaver.pk, date(2017, 3, 31)).status == STEPS  # the last day counts
    assert way_up_of(seen_by(org, "hr"), org.rep_a, date(2015, 12, 31)).status == NO_POSITION


@pytest.mark.parametrize(("role", "shown"), [("rep_a", True), ("hr", True), ("manager_a", False),
                                             ("director", False), ("general_manager", False)])
def test_only_the_rep_and_hr_see_the_exam_score_the_others_passed_or_not(org, steps, cycle, role, shown):
    publish(org, cycle, org.rep_a, 5)
    with_exam(org, steps, 76)
    [step] = way_up_of(seen_by(org, role), org.rep_a, ON).steps
    [exam] = [c for c in step.eligibility.checks if c.rule == "exam"]
    assert not exam.met
    assert exam.text == ("Best exam score 76; needs 80" if shown else "Exam not passed yet; needs 80")
    assert step.verdict == "not"


def test_a_passed_exam_reads_passed_for_the_manager(org, steps, cycle):
    publish(org, cycle, org.rep_a, 5)
    with_exam(org, steps, 91)
    [step] = way_up_of(seen_by(org, "manager_a"), org.rep_a, ON).steps
    assert (step.verdict, texts(step)[-1]) == ("now", ("exam", True, "Exam passed; needs 80"))


@pytest.mark.parametrize(("role", "whose", "sees"), [
    ("rep_a", "rep_a", True), ("rep_a", "rep_b", False),
    ("manager_a", "rep_a", True), ("manager_a", "rep_b", False), ("manager_b", "rep_a", False),
    ("manager_a", "mover", False),  # moved to team B on 1 June: a former member
    ("manager_b", "mover", True), ("manager_a", "manager_a", True),
    ("hr", "rep_b", True), ("director", "mover", True), ("general_manager", "rep_a", True),
])
def test_the_way_up_is_none_for_whoever_may_not_see_it(org, steps, role, whose, sees):
    assert (way_up_of(seen_by(org, role), org.by_role(whose), ON) is not None) is sees


def test_the_team_table_lists_the_current_members_for_their_manager_hr_and_the_director(org, steps):
    for role in ("manager_a", "hr", "director", "general_manager"):
        assert {w.employee for w in team_way_up(seen_by(org, role), org.team_a, ON)} == {org.rep_a}, role
    assert {w.employee for w in team_way_up(seen_by(org, "manager_b"), org.team_b, ON)} == {org.rep_b, org.mover}
    assert {w.employee for w in team_way_up(seen_by(org, "manager_a"), org.team_a, date(2017, 3, 1))} == {
        org.rep_a, org.mover, org.leaver}
    for role in ("manager_b", "rep_a"):
        assert team_way_up(seen_by(org, role), org.team_a, ON) is None, role


@pytest.mark.parametrize("size", [1, 6])
def test_the_team_way_up_takes_seven_queries_whatever_the_size(org, steps, cycle, size, django_assert_num_queries):
    publish(org, cycle, org.rep_a, 5)
    for n in range(size - 1):
        rep = factories.employee(team=org.team_a, hired=date(2016, 3, 1) + timedelta(days=n))
        session = training.session_add(course=course("closing"), title=f"逼单{n}", hours=2,
                                       held_on=date(2017, 6, 1) + timedelta(days=n), by=org.hr.user)
        training.attendance_record(session=session, employee=rep, by=org.hr.user)
    p = seen_by(org, "manager_a")
    # the members with their employees; their appointments (positions, rungs, grades), training, published
    # appraisals (cycles); the rating labels; the steps up (positions) and their requirements in force
    with django_assert_num_queries(7):
        ways = team_way_up(p, org.team_a, ON)
    assert len(ways) == size and all(w.steps for w in ways)
    # one person loaded already: the same less the members; a manager's rule asks whether they are a member
    with django_assert_num_queries(6 + 1):
        assert way_up_of(p, org.rep_a, ON).steps
    own = seen_by(org, "rep_a")
    with django_assert_num_queries(7):  # their own, by id: the employee instead of the rule
        assert way_up_of(own, org.rep_a.pk, ON).steps
