"""Promotion fixtures: the seed's paths (rep → senior rep → manager) with their requirements set by HR, and
`publish` to give someone a published rating through the appraisal services."""

from datetime import date

import pytest

from appraisals.models import Step
from promotions.models import CourseType
from promotions.services import paths
from tests import factories
from tests.appraisals.conftest import act, advance, appraisal_of, open_cycle, ratings, roll_up


@pytest.fixture
def positions(org):
    return {
        "rep": factories.PositionFactory(),
        "senior_rep": factories.PositionFactory(code="senior_rep", name="高级销售代表", name_en="Senior rep",
                                                level=11),
        "manager": factories.PositionFactory(code="manager", name="销售经理", name_en="Sales manager", level=20,
                                             is_management=True),
    }


@pytest.fixture
def steps(org, positions):
    """The seed's requirements from 2017-01-01: 6 months and 优秀 by the manager for staff, 12 and the director's."""
    by = org.hr.user
    up = paths.path_step_add(from_position=positions["rep"], to_position=positions["senior_rep"], by=by)
    manager = paths.path_step_add(from_position=positions["senior_rep"], to_position=positions["manager"], by=by)
    paths.requirement_add(step=up, valid_from=date(2017, 1, 1), months_in_position=6, by=by)
    paths.requirement_add(step=manager, valid_from=date(2017, 1, 1), months_in_position=12, rated_by="director",
                          by=by)
    return {"senior_rep": up, "manager": manager}


@pytest.fixture
def cycle(org, plan):
    roll_up()
    return open_cycle(org, plan)


def publish(org, cycle, employee, level: int):
    """Drive the employee's first-half appraisal to published with `level`, as each step's holder would."""
    appraisal = advance(org, appraisal_of(cycle, employee), Step.RATING)
    act("rate", appraisal, appraisal.rater.user, goal_ratings=ratings(appraisal, level), rating=level,
        comment="评语")
    return advance(org, appraisal, Step.PUBLISHED)


def course(code: str) -> CourseType:
    """Return the seed's course type (the migration writes them; a transactional test's flush may have emptied it)."""
    return CourseType.objects.get_or_create(code=code, defaults={"name": code})[0]
