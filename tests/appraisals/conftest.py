"""Appraisal fixtures: the org's 2017 plan, a first-half cycle opened by HR, figures entered and rolled up, and
`act`/`advance` to drive an appraisal through its steps the way users do (through the services)."""

from datetime import date

import pytest

from appraisals.models import Appraisal, Step
from appraisals.services import acts, cycles
from kpis import services as figure_services
from kpis.models import Channel, WeeklyFigures
from kpis.results import services as rollups
from tests.snapshots import replayed

GOAL_METRICS = [{"metric": "total_deposits", "weight": 70}, {"metric": "accounts_opened", "weight": 30}]
DEADLINES = {"goals": date(2017, 8, 10), "self_review": date(2017, 8, 20), "verification": date(2017, 8, 25),
             "rating": date(2017, 8, 31), "confirmation": date(2017, 9, 5), "confirmed": date(2017, 9, 10)}
FEBRUARY_WEEK = date(2017, 2, 13)
# HR's labels as the migration writes them (a transactional test's flush may have emptied the table)
LABELS = {5: ("优秀", "Excellent"), 4: ("良好", "Good"), 3: ("合格", "Satisfactory"),
          2: ("待改进", "Needs improvement"), 1: ("不合格", "Unsatisfactory")}


def open_cycle(org, plan, *, name: str = "2017 上半年", kind: str = "half_year", first=date(2017, 2, 1),
               last=date(2017, 7, 1), **kwargs):
    options = {"goal_metrics": GOAL_METRICS, "deadlines": DEADLINES, **kwargs}
    return cycles.cycle_open(by=org.hr.user, name=name, kind=kind, plan=plan, first_month=first, last_month=last,
                             **options)


def enter(org, employee, week: date = FEBRUARY_WEEK, deposits: int = 5000, opened: int = 2) -> None:
    """Save (or correct) one rep-week through the service as the director, leaving its month stale until
    `roll_up`."""
    version = WeeklyFigures.objects.filter(employee=employee, week=week).values_list("version", flat=True).first()
    figure_services.weekly_figures_save(week=week, by=org.director.user, channel=Channel.GRID, rows=[
        figure_services.RepWeekInput(employee.pk, {
            "new_customers": 3, "engaged_customers": 4, "accounts_opened": opened, "new_customer_deposits": deposits,
            "existing_customer_deposits": 0, "trading_volume": 0}, version=version)])


def roll_up() -> None:
    rollups.recompute_pending()


def appraisal_of(cycle, employee) -> Appraisal:
    return Appraisal.objects.select_related("cycle").get(cycle=cycle, employee=employee)


def act(action: str, appraisal: Appraisal, who, **fields) -> Appraisal:
    """Make the act as `who` (an Employee or a User) on the appraisal's saved version."""
    appraisal.refresh_from_db()
    user = getattr(who, "user", who)
    return acts.ACTS[action](by=user, appraisal_id=appraisal.pk, version=appraisal.version, **fields)


def ratings(appraisal: Appraisal, level: int = 4) -> dict[str, int]:
    return {metric: level for metric in appraisal.goals.values_list("metric", flat=True)}


def advance(org, appraisal: Appraisal, to: str, *, hr=None) -> Appraisal:
    """Drive the appraisal to state `to` through the services, as each step's holder would."""
    hr = hr or org.hr
    verifier = org.director if appraisal.is_manager else hr
    path = [
        (Step.GOALS, lambda a: act("confirm_goals", a, a.rater.user, goals=[
            {"metric": g.metric, "weight": g.weight, "target": g.target if g.target is not None else 10}
            for g in a.goals.order_by("position")])),
        (Step.SELF_REVIEW, lambda a: act("submit_review", a, a.employee.user, text="本期述职",
                                         self_ratings=ratings(a))),
        (Step.FEEDBACK, lambda a: act("close_feedback", a, hr)),
        (Step.VERIFICATION, lambda a: act("verify", a, verifier)),
        (Step.RATING, lambda a: act("rate", a, a.rater.user, goal_ratings=ratings(a), rating=4, comment="不错")),
        (Step.CONFIRMATION, lambda a: act("confirm", a, a.employee.user)),
        (Step.CONFIRMED, lambda a: act("publish", a, hr)),
    ]
    steps = dict(path)
    appraisal.refresh_from_db()
    while appraisal.state != to:
        if appraisal.state not in steps:
            raise AssertionError(f"cannot advance from {appraisal.state} to {to}")
        appraisal = steps[appraisal.state](Appraisal.objects.select_related("rater__user", "employee__user",
                                                                            "cycle").get(pk=appraisal.pk))
    return appraisal


@pytest.fixture
def cycle(org, plan):
    """The 2017 first half (phases 1 and 2) for all of sales, without feedback, opened by HR; rollups current."""
    return replayed("cycle", lambda: (roll_up(), open_cycle(org, plan))[1])


@pytest.fixture
def feedback_cycle(org, plan):
    """The 2017 second phase for all of sales, with anonymous feedback; rollups current."""
    return replayed("feedback_cycle", lambda: (roll_up(), open_cycle(
        org, plan, name="2017 第二阶段", kind="quarterly", first=date(2017, 5, 1), last=date(2017, 7, 1),
        with_feedback=True))[1])


def fill_every_appraisal_table(org, plan) -> None:
    """Write a row into every appraisals table through the services (for the admin's changelist test): an annual
    cycle with feedback, rep A's appraisal published with its ability evaluation and a use, a reminder."""
    from appraisals.services import feedback, reminders, uses

    cycles.rating_labels_set(by=org.hr.user, labels=LABELS)
    roll_up()
    annual = open_cycle(org, plan, name="2017 年度", kind="annual", first=date(2017, 2, 1), last=date(2018, 1, 1),
                        with_feedback=True)
    appraisal = appraisal_of(annual, org.rep_a)
    (request,) = feedback.feedback_ask(by=org.hr.user, appraisal_id=appraisal.pk, giver_ids=[org.rep_b.pk])
    feedback.feedback_answer(by=org.rep_b.user, request_id=request.pk, answer="认真")
    advance(org, appraisal, Step.RATING)
    ability = {c: (4, "稳定") for c in ("skills", "experience", "conduct", "contribution", "potential")}
    act("rate", appraisal, org.manager_a, goal_ratings=ratings(appraisal), rating=4, comment="好", ability=ability)
    advance(org, appraisal, Step.PUBLISHED)
    uses.appraisal_use_record(by=org.hr.user, appraisal_id=appraisal.pk, use="promotion", reference="试用")
    org.manager_b.user.email = "b@example.com"
    org.manager_b.user.save(update_fields=["email"])
    reminders.reminders_send(today=date(2017, 9, 1))
