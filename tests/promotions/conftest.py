"""Promotion fixtures: the rep ladder with one step up and two grades, and `engine`, which stands in for the
eligibility engine's verdict in the case tests (its own tests cover its rules); `nominate`/`act` drive a case the
way users do; the seed's paths (rep → senior rep → manager) with their requirements set by HR, and `publish` to
give someone a published rating through the appraisal services, for the engine's tests."""

from dataclasses import dataclass
from datetime import date

import pytest

from appraisals.models import Step
from promotions.models import CourseType, Ladder, PathStep, PromotionCase, Rung
from promotions.services import acts, cases, paths
from tests import factories
from tests.appraisals.conftest import act as appraisal_act
from tests.appraisals.conftest import advance, appraisal_of, open_cycle, ratings, roll_up
from tests.snapshots import replayed

EFFECTIVE = date(2017, 9, 1)
CHECKLIST = {c: {"score": 4, "comment": "好"} for c in ("skills", "experience", "conduct", "contribution",
                                                        "potential")}


@dataclass(frozen=True)
class FakeCheck:
    rule: str
    met: bool
    text: str


@dataclass(frozen=True)
class FakeEligibility:
    verdict: str
    eligible_from: date | None
    checks: tuple


@pytest.fixture
def ladder(db):
    rep = factories.PositionFactory()
    senior = factories.PositionFactory(code="senior_rep", name="高级销售代表", level=20)
    manager = factories.PositionFactory(code="manager", name="销售经理", level=30, is_management=True)
    director = factories.PositionFactory(code="director_pos", name="销售总监", level=40, is_management=True)
    reps, managers = Ladder.objects.create(code="rep", name="销售"), Ladder.objects.create(code="mgr", name="管理")
    for order, position in enumerate((rep, senior)):
        Rung.objects.create(ladder=reps, position=position, order=order)
    for order, position in enumerate((manager, director)):
        Rung.objects.create(ladder=managers, position=position, order=order)
    PathStep.objects.create(from_position=rep, to_position=senior)
    PathStep.objects.create(from_position=senior, to_position=manager)
    g1, g2 = factories.SalaryGradeFactory(), factories.SalaryGradeFactory(code="G2", name="二级", level=2)
    return {"rep": rep, "senior": senior, "manager": manager, "director": director, "g1": g1, "g2": g2}


class Engine:
    """The engine's answer for every call: met, or not met with one unmet rule."""

    def __init__(self) -> None:
        self.met, self.calls = True, []

    def __call__(self, employee_id, to_position_id, on, *, early=False):
        self.calls.append((employee_id, to_position_id, on, early))
        check = FakeCheck("rating", self.met, "最近一次考核：优秀" if self.met else "最近一次考核：良好；需要：优秀")
        return FakeEligibility("now" if self.met else "not", None, (check,))


@pytest.fixture
def engine(monkeypatch) -> Engine:
    fake = Engine()
    monkeypatch.setattr(acts, "engine_eligibility", fake)
    return fake


@pytest.fixture(autouse=True)
def as_of(settings):
    settings.AS_OF_DATE = date(2017, 8, 15)


def nominate(org, ladder, who=None, *, kind="up_both", employee=None, to="senior", grade="g2", **fields):
    user = getattr(who or org.manager_a, "user", who)
    values = {"effective_on": EFFECTIVE, "reason": "业绩突出", **fields}
    if kind in ("development", "release"):
        return cases.case_nominate(by=user, employee_id=(employee or org.rep_a).pk, kind=kind, **values)
    return cases.case_nominate(by=user, employee_id=(employee or org.rep_a).pk, kind=kind,
                               to_position_id=ladder[to].pk, to_grade_id=ladder[grade].pk, **values)


def act(action: str, case: PromotionCase, who, **fields) -> PromotionCase:
    """Make the act as `who` (an Employee or a User) on the case's saved version."""
    case.refresh_from_db()
    user = getattr(who, "user", who)
    return acts.ACTS[action](by=user, case_id=case.pk, version=case.version, **fields)


def review(case, org, **fields):
    return act("review", case, org.hr, checklist=CHECKLIST, **fields)


@pytest.fixture
def positions(org):
    return replayed("positions", lambda: {
        "rep": factories.PositionFactory(),
        "senior_rep": factories.PositionFactory(code="senior_rep", name="高级销售代表", name_en="Senior rep",
                                                level=11),
        "manager": factories.PositionFactory(code="manager", name="销售经理", name_en="Sales manager", level=20,
                                             is_management=True),
    })


@pytest.fixture
def steps(org, positions):
    """The seed's requirements from 2017-01-01: 6 months and 优秀 by the manager for staff, 12 and the director's."""
    def build() -> dict[str, PathStep]:
        by = org.hr.user
        up = paths.path_step_add(from_position=positions["rep"], to_position=positions["senior_rep"], by=by)
        manager = paths.path_step_add(from_position=positions["senior_rep"], to_position=positions["manager"], by=by)
        paths.requirement_add(step=up, valid_from=date(2017, 1, 1), months_in_position=6, by=by)
        paths.requirement_add(step=manager, valid_from=date(2017, 1, 1), months_in_position=12, rated_by="director",
                              by=by)
        return {"senior_rep": up, "manager": manager}

    return replayed("steps", build)


@pytest.fixture
def cycle(org, plan):
    return replayed("cycle", lambda: (roll_up(), open_cycle(org, plan))[1])


def publish(org, cycle, employee, level: int):
    """Drive the employee's first-half appraisal to published with `level`, as each step's holder would."""
    appraisal = advance(org, appraisal_of(cycle, employee), Step.RATING)
    appraisal_act("rate", appraisal, appraisal.rater.user, goal_ratings=ratings(appraisal, level), rating=level,
        comment="评语")
    return advance(org, appraisal, Step.PUBLISHED)


def course(code: str) -> CourseType:
    """Return the seed's course type (the migration writes them; a transactional test's flush may have emptied it)."""
    return CourseType.objects.get_or_create(code=code, defaults={"name": code})[0]
