"""The demo gives HR real content on log-in: reps eligible now from the first-half appraisals, someone eligible
within three months with the day, a special approval waiting for the general manager, a case waiting for the
director, a demotion case from the bottom of the ranking, and 2017's training."""

from datetime import date

from django.test import override_settings

from promotions.models import Attendance, CaseKind, CaseState, PromotionCase, TrainingSession
from promotions.selectors.candidates import Filters, candidates
from teams.access import principal_of
from teams.models import User

TODAY = date(2017, 10, 27)


@override_settings(AS_OF_DATE=TODAY)
def test_hr_sees_reps_eligible_now_and_one_within_three_months_with_the_day(demo):
    found = candidates(principal_of(User.objects.get(username="hr1")), TODAY, Filters(horizon_months=3))
    now = [c for c in found if c.eligibility.verdict == "now"]
    later = [c for c in found if c.eligibility.verdict == "from"]
    assert len(now) >= 3
    assert later and all(TODAY < c.eligibility.eligible_from <= date(2018, 1, 27) for c in later)


def test_the_demo_has_a_special_approval_a_case_for_the_director_and_a_demotion_waiting(demo):
    waiting = {(c.kind, c.state) for c in PromotionCase.objects.all()}
    assert (CaseKind.UP_POSITION_AND_SALARY, CaseState.WITH_GENERAL_MANAGER) in waiting
    assert any(state == CaseState.WITH_DIRECTOR for _kind, state in waiting)
    assert (CaseKind.DEMOTION, CaseState.NOMINATED) in waiting
    special = PromotionCase.objects.get(state=CaseState.WITH_GENERAL_MANAGER)
    assert special.rules_met is False and special.unmet_rules and special.special_reason


def test_the_demo_has_2017_training_for_every_course_type(demo):
    sessions = TrainingSession.objects.filter(held_on__year=2017)
    assert sessions.values("course").distinct().count() == 10
    assert Attendance.objects.filter(session__in=sessions).count() > 200
