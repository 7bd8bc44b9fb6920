"""The demo's appraisals: a finished first half of 2017 with a realistic spread of ratings, and an open third
quarter that gives every role something to do on log-in."""

from datetime import date

from django.db.models import Count

from appraisals import demo as appraisals_demo
from appraisals.models import Appraisal, Cycle, Level, Step
from appraisals.selectors.appraisals import to_act_on
from appraisals.selectors.feedback import feedback_to_give
from kpis.results.models import PeriodPlacing
from teams.access import principal_of
from teams.models import Employee, Role, User


def half_year() -> Cycle:
    return Cycle.objects.get(name=appraisals_demo.HALF_YEAR)


def test_the_first_half_is_published_for_every_rep_and_manager_in_sales_at_its_end(demo):
    cycle = half_year()
    assert cycle.status == Cycle.Status.CLOSED
    assert set(cycle.appraisals.values_list("state", flat=True)) == {Step.PUBLISHED}
    managers = set(Employee.objects.filter(user__role=Role.MANAGER).values_list("pk", flat=True))
    appraised = set(cycle.appraisals.values_list("employee_id", flat=True))
    assert managers <= appraised
    # every rep in sales on 31 July who had not left by then
    in_sales = set(Employee.objects.filter(user__role=Role.REP, hire_date__lte=date(2017, 7, 31))
                   .exclude(left_on__lt=date(2017, 7, 31)).values_list("pk", flat=True))
    assert appraised - managers == in_sales


def test_the_first_half_spreads_its_ratings_with_a_few_excellent_and_a_few_unsatisfactory(demo):
    spread = dict(half_year().appraisals.values_list("rating").annotate(n=Count("pk")))
    assert set(spread) == set(Level.values)
    total = sum(spread.values())
    assert 2 <= spread[Level.EXCELLENT] <= total // 5
    assert 2 <= spread[Level.UNSATISFACTORY] <= total // 8
    assert spread[Level.GOOD] + spread[Level.SATISFACTORY] > total // 2


def test_the_unsatisfactory_reps_are_at_the_bottom_of_the_phase_two_ranking(demo):
    unsatisfactory = set(half_year().appraisals.filter(rating=Level.UNSATISFACTORY)
                         .values_list("employee_id", flat=True))
    ranked = list(PeriodPlacing.objects.filter(period="phase", first_month=date(2017, 5, 1), rank__isnull=False)
                  .order_by("rank").values_list("employee_id", flat=True))
    bottom_third = set(ranked[-len(ranked) // 3:])
    assert unsatisfactory and unsatisfactory <= bottom_third


def test_every_published_rating_follows_the_goals_frozen_figures(demo):
    for appraisal in half_year().appraisals.prefetch_related("goals"):
        assert appraisal.snapshot_at is not None
        assert all(goal.actual is not None and goal.rating is not None for goal in appraisal.goals.all())
        assert abs(appraisal.rating - appraisal.computed_rating) <= 1


def test_the_open_third_quarter_gives_hr_the_director_managers_and_reps_something_to_do(demo):
    cycle = Cycle.objects.get(name=appraisals_demo.THIRD_QUARTER)
    assert cycle.status == Cycle.Status.OPEN
    states = set(cycle.appraisals.values_list("state", flat=True))
    assert {Step.GOALS, Step.SELF_REVIEW, Step.FEEDBACK, Step.CONFIRMATION} <= states

    def todo(username: str) -> list[Appraisal]:
        return to_act_on(principal_of(User.objects.get(username=username)))

    assert todo("hr1")
    assert any(a.is_manager for a in todo("director"))  # the managers' goals
    assert all(todo(f"manager{i}") for i in range(1, 9))
    reps_with_work = [u for u in User.objects.filter(role=Role.REP, is_active=True) if todo(u.username)]
    assert len(reps_with_work) >= 5
    givers = [u for u in User.objects.filter(role=Role.REP) if feedback_to_give(principal_of(u))]
    assert givers  # some team-mates still owe their anonymous answer
