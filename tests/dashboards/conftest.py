"""Fixtures for the dashboards' tests."""

from datetime import date

import pytest

from promotions.models import PathStep
from promotions.services import paths
from tests import factories
from tests.appraisals.conftest import open_cycle, roll_up
from tests.snapshots import replayed


@pytest.fixture
def way_up_paths(org) -> PathStep:
    """HR's step up from rep to senior rep with a requirement (six months, 16 hours, an exam of 80), so that the
    pages' way up reads steps and requirements as in the demo, and their queries are counted."""
    step = paths.path_step_add(from_position=factories.PositionFactory(), by=org.hr.user,
                               to_position=factories.PositionFactory(code="senior_rep", name="高级销售代表", level=20))
    paths.requirement_add(step=step, valid_from=date(2017, 1, 1), months_in_position=6, training_hours=16,
                          exam_score=80, by=org.hr.user)
    return step


@pytest.fixture
def cycle(org, plan):
    """The first half of 2017 opened for all of sales (as tests/promotions' `cycle`, replayed under its name)."""
    return replayed("cycle", lambda: (roll_up(), open_cycle(org, plan))[1])
