"""The demo's appraisals: a finished first half of 2017 (phases 1 and 2) for every rep and manager, and an open
third-quarter cycle part-way through, so every role has something to do on log-in.

Every step goes through appraisals.services as the people of the demo would take it (the rater confirms goals and
rates, the employee reviews and confirms, HR verifies and publishes), so the events, the frozen figures and the
ratings are the real ones. Ratings follow what the figures say: the goal's attainment gives its rating, so the
stars of kpis/demo.py come out 优秀 and the reps at the bottom of the ranking 不合格. Deterministic; running it
again changes nothing.
"""

import random
from datetime import date
from decimal import Decimal

from targets.models import PlanYear
from teams.models import User

from .models import Appraisal, Cycle, CycleKind, Level, Step
from .selectors.figures import current_actuals
from .services import acts, cycles, feedback

SEED = 20170801
GOAL_METRICS = [{"metric": "total_deposits", "weight": 70}, {"metric": "accounts_opened", "weight": 30}]
HALF_YEAR = "2017年上半年绩效考核"
THIRD_QUARTER = "2017年第三季度绩效考核"
# One account opened for every this many yuan of the deposit target: the accounts goal's target.
YUAN_PER_ACCOUNT = 6_000

# Attainment → rating: at or above each bound, that level (below the last: unsatisfactory).
RATING_BOUNDS = ((Decimal("1.10"), Level.EXCELLENT), (Decimal("0.95"), Level.GOOD),
                 (Decimal("0.80"), Level.SATISFACTORY), (Decimal("0.50"), Level.NEEDS_IMPROVEMENT))

# The work report a rep writes, by how the period went (at or above target, or below).
REVIEWS = {True: ["本期按计划推进新客户开发，重点跟进了老客户加金，电话量和拜访量都达到了要求。不足是逼单节奏偏慢。",
                  "本期完成了主要指标，客户维护做得比较扎实；下期要加强新客户切入，多参加产品知识培训。",
                  "本期团队协作顺利，开户数量超过目标，下期争取带动新同事一起提高成交率。"],
           False: ["本期业绩没有达到目标，主要是新客户转化率低。已和经理制定改进计划，下期每周复盘一次。",
                   "本期两位大客户推迟了加金，入金量低于计划；下期会提前锁定加金时间，并加强电话销售。"]}
FEEDBACK = [
    "乐于分享客户资源，团队会议上经常提出有用的建议。",
    "沟通及时，交接客户时资料完整。",
    "对新产品掌握很快，但有时跟进客户不够及时。",
    "工作积极，希望在逼单技巧上多和同事交流。",
]


def rating_for(attainment: Decimal | None) -> int:
    """Return the level a goal's attainment earns in the demo (no target: satisfactory)."""
    if attainment is None:
        return Level.SATISFACTORY
    return next((level for bound, level in RATING_BOUNDS if attainment >= bound), Level.UNSATISFACTORY)


def load_appraisals() -> int:
    """Load both demo cycles; return how many appraisals were created (0 when they are already there)."""
    if Cycle.objects.filter(name__in=[HALF_YEAR, THIRD_QUARTER]).exists():
        return 0
    plan = PlanYear.objects.get(first_month=date(2017, 2, 1))
    hr = User.objects.get(username="hr1")
    rng = random.Random(SEED)
    return _half_year(plan, hr, rng) + _third_quarter(plan, hr, rng)


def _half_year(plan: PlanYear, hr: User, rng: random.Random) -> int:
    cycle = cycles.cycle_open(
        by=hr, name=HALF_YEAR, kind=CycleKind.HALF_YEAR, plan=plan, first_month=date(2017, 2, 1),
        last_month=date(2017, 7, 1), goal_metrics=GOAL_METRICS,
        deadlines={Step.GOALS: date(2017, 8, 4), Step.SELF_REVIEW: date(2017, 8, 11),
                   Step.VERIFICATION: date(2017, 8, 16), Step.RATING: date(2017, 8, 23),
                   Step.CONFIRMATION: date(2017, 8, 28), Step.CONFIRMED: date(2017, 8, 31)})
    appraisals = _appraisals(cycle)
    for appraisal in appraisals:
        appraisal = _goals(appraisal)
        appraisal = _review(appraisal, rng)
        appraisal = acts.appraisal_verify(by=_verifier(appraisal, hr), appraisal_id=appraisal.pk,
                                          version=appraisal.version)
        appraisal = _rate(appraisal, rng)
        if rng.random() < 0.05:  # a few disagree; HR keeps the rating after talking to both
            appraisal = acts.appraisal_disagree(by=appraisal.employee.user, appraisal_id=appraisal.pk,
                                                version=appraisal.version,
                                                comment="我认为本期两位大客户推迟加金不应完全算在我个人身上。")
            appraisal = acts.dispute_decide(by=hr, appraisal_id=appraisal.pk, version=appraisal.version, keep=True,
                                            reason="已与员工和经理面谈，数据属实，维持评定。")
        else:
            appraisal = acts.appraisal_confirm(by=appraisal.employee.user, appraisal_id=appraisal.pk,
                                               version=appraisal.version)
        acts.appraisal_publish(by=hr, appraisal_id=appraisal.pk, version=appraisal.version)
    cycles.cycle_close(by=hr, cycle_id=cycle.pk)
    return len(appraisals)


def _third_quarter(plan: PlanYear, hr: User, rng: random.Random) -> int:
    """August–October, with anonymous feedback; as of late October each team is at a different step."""
    cycle = cycles.cycle_open(
        by=hr, name=THIRD_QUARTER, kind=CycleKind.QUARTERLY, plan=plan, first_month=date(2017, 8, 1),
        last_month=date(2017, 10, 1), with_feedback=True, goal_metrics=GOAL_METRICS,
        deadlines={Step.GOALS: date(2017, 8, 18), Step.SELF_REVIEW: date(2017, 11, 3),
                   Step.FEEDBACK: date(2017, 11, 8), Step.VERIFICATION: date(2017, 11, 10),
                   Step.RATING: date(2017, 11, 15), Step.CONFIRMATION: date(2017, 11, 20),
                   Step.CONFIRMED: date(2017, 11, 24)})
    appraisals = _appraisals(cycle)
    reps = [a for a in appraisals if not a.is_manager]
    by_team: dict[int, list[Appraisal]] = {}
    for appraisal in reps:
        by_team.setdefault(appraisal.team_id, []).append(appraisal)
    teams = sorted(by_team)
    # The first two teams are furthest on; the next three have most goals confirmed and some reviews in; the last
    # ones' managers have not confirmed goals yet (past the goals' due date: HR's overdue list and a reminder).
    for position, team_id in enumerate(teams):
        members = by_team[team_id]
        if position >= 5:
            continue
        for n, appraisal in enumerate(members):
            if position >= 2 and n == len(members) - 1:
                continue  # a late joiner's goals are still to agree: the manager's to-do
            appraisal = _goals(appraisal)
            if position >= 2 and n % 2:
                continue  # the self review is still to write
            if position >= 2:
                _review(appraisal, rng)
                continue
            appraisal = _review(appraisal, rng)
            _feedback(appraisal, hr, rng, answers=2 if n == 0 else 3)
            if n < 3:
                continue  # HR is still collecting feedback
            appraisal = acts.feedback_close(by=hr, appraisal_id=appraisal.pk, version=appraisal.version)
            appraisal = acts.appraisal_verify(by=hr, appraisal_id=appraisal.pk, version=appraisal.version)
            if n % 2:
                _rate(appraisal, rng)  # waiting for the rep to confirm
    return len(appraisals)


def _appraisals(cycle: Cycle) -> list[Appraisal]:
    return list(cycle.appraisals.select_related("employee__user", "rater__user", "cycle")
                .order_by("is_manager", "team_id", "employee__employee_number"))


def _goals(appraisal: Appraisal) -> Appraisal:
    """The rater sets the accounts goal's target from the deposit target and confirms."""
    goals = [{"metric": g.metric, "weight": g.weight, "target": g.target} for g in appraisal.goals.all()]
    deposits = next((g["target"] for g in goals if g["metric"] == "total_deposits"), None) or Decimal(0)
    for goal in goals:
        if goal["metric"] == "accounts_opened":
            goal["target"] = max(Decimal(3), (deposits / YUAN_PER_ACCOUNT).quantize(Decimal(1)))
    return acts.goals_confirm(by=appraisal.rater.user, appraisal_id=appraisal.pk, version=appraisal.version,
                              goals=goals)


def _review(appraisal: Appraisal, rng: random.Random) -> Appraisal:
    """The employee writes the work report and rates each goal by the figures they see on their own page."""
    goals = list(appraisal.goals.all())
    now = current_actuals(appraisal, [g.metric for g in goals])
    attained = {g.metric: now[g.metric] / g.target if g.target else None for g in goals}
    on_target = (attained.get("total_deposits") or 0) >= 1
    return acts.self_review_submit(by=appraisal.employee.user, appraisal_id=appraisal.pk, version=appraisal.version,
                                   text=rng.choice(REVIEWS[on_target]),
                                   self_ratings={m: rating_for(a) for m, a in attained.items()})


def _attainment_so_far(goal) -> Decimal | None:
    return goal.actual / goal.target if goal.actual is not None and goal.target else None


def _rate(appraisal: Appraisal, rng: random.Random) -> Appraisal:
    goal_ratings = {g.metric: rating_for(_attainment_so_far(g)) for g in appraisal.goals.all()}
    weighted = sum(g.weight * goal_ratings[g.metric] for g in appraisal.goals.all()) / Decimal(100)
    overall = int(weighted.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    return acts.appraisal_rate(by=appraisal.rater.user, appraisal_id=appraisal.pk, version=appraisal.version,
                               goal_ratings=goal_ratings, rating=overall,
                               comment=_comment(overall), reason="")


def _comment(level: int) -> str:
    return {Level.EXCELLENT: "业绩突出，超额完成目标，可作为团队标杆。",
            Level.GOOD: "完成目标，工作扎实，继续保持。",
            Level.SATISFACTORY: "基本完成目标，新客户开发需加强。",
            Level.NEEDS_IMPROVEMENT: "未完成目标，需制定改进计划并每周跟进。",
            Level.UNSATISFACTORY: "连续未达标，排名靠后，需参加培训并限期改进。"}[level]


def _verifier(appraisal: Appraisal, hr: User) -> User:
    return User.objects.get(username="director") if appraisal.is_manager else hr


def _feedback(appraisal: Appraisal, hr: User, rng: random.Random, *, answers: int) -> None:
    """HR asks three team-mates; `answers` of them answer (two: the under-three rule hides them)."""
    mates = list(Appraisal.objects.filter(cycle=appraisal.cycle, team_id=appraisal.team_id, is_manager=False)
                 .exclude(pk=appraisal.pk).order_by("employee__employee_number")
                 .values_list("employee_id", flat=True)[:3])
    feedback.feedback_ask(by=hr, appraisal_id=appraisal.pk, giver_ids=mates)
    requests = appraisal.feedback.select_related("giver__user").order_by("pk")[:answers]
    for request, answer in zip(requests, rng.sample(FEEDBACK, answers), strict=False):
        feedback.feedback_answer(by=request.giver.user, request_id=request.pk, answer=answer)

