"""eligibility_of on the database: the requirement in force, published results with their rater, training."""

from datetime import date

from django.utils import translation

from promotions.selectors.eligibility import eligibility_of, inputs_for
from promotions.services import paths, training

from .conftest import course, publish


def test_a_rep_rated_excellent_by_their_manager_is_eligible_after_six_months(org, steps, positions, cycle):
    publish(org, cycle, org.rep_a, 5)
    result = eligibility_of(org.rep_a.pk, positions["senior_rep"].pk, date(2017, 9, 1))
    assert result.verdict == "now", result.checks
    assert [c.rule for c in result.checks] == ["time", "rating"]


def test_good_is_not_excellent(org, steps, positions, cycle):
    publish(org, cycle, org.rep_a, 4)
    with translation.override("zh-hans"):
        result = eligibility_of(org.rep_a.pk, positions["senior_rep"].pk, date(2017, 9, 1))
    assert result.verdict == "not"
    assert [c.text for c in result.unmet] == ["最近一次考核：良好（部门经理评定）；需要：优秀（部门经理评定）"]


def test_a_later_requirement_applies_from_its_day(org, steps, positions, cycle):
    publish(org, cycle, org.rep_a, 5)
    paths.requirement_add(step=steps["senior_rep"], valid_from=date(2017, 10, 1), months_in_position=6,
                          training_hours=24, by=org.hr.user)
    assert eligibility_of(org.rep_a.pk, positions["senior_rep"].pk, date(2017, 9, 30)).verdict == "now"
    later = eligibility_of(org.rep_a.pk, positions["senior_rep"].pk, date(2017, 10, 1))
    assert [c.rule for c in later.unmet] == ["training_hours"]
    session = training.session_add(course=course("product"), title="产品知识一", hours=24,
                                   held_on=date(2017, 9, 15), by=org.hr.user)
    training.attendance_record(session=session, employee=org.rep_a, by=org.hr.user)
    assert eligibility_of(org.rep_a.pk, positions["senior_rep"].pk, date(2017, 10, 1)).verdict == "now"


def test_a_skip_level_or_a_missing_position_has_no_requirement(org, steps, positions):
    assert [c.rule for c in eligibility_of(org.rep_a.pk, positions["manager"].pk, date(2017, 9, 1)).checks] == [
        "path"]
    assert eligibility_of(org.rep_a.pk, 999_999, date(2017, 9, 1)).verdict == "not"


def test_the_inputs_of_many_people_take_a_fixed_number_of_queries(org, steps, django_assert_num_queries):
    # employees, appointments, rating labels, published results, attendance
    with django_assert_num_queries(5):
        assert len(inputs_for([org.rep_a.pk])) == 1
    with django_assert_num_queries(5):
        assert len(inputs_for([org.rep_a.pk, org.rep_b.pk, org.mover.pk, org.leaver.pk])) == 4
