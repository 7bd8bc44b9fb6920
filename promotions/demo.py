"""The demo's promotion paths, 2017 training and cases, so HR has real content on log-in: a few reps eligible now
(rated 优秀 in the first half of 2017, six months past probation, their training hours done), some eligible within
months, a special approval waiting for the general manager, a rules-met case waiting for the director, and a
demotion case from the bottom of the ranking.

Paths, requirements, training and cases go through promotions.services; the ladders are configuration, like the
positions they order (teams/demo.py). Deterministic; running it again changes nothing.
"""

import random
from datetime import date
from decimal import Decimal

from appraisals.demo import HALF_YEAR
from appraisals.models import Appraisal, Level, Step
from kpis.results.models import PeriodPlacing
from teams import clock
from teams import services as team_services
from teams.models import Employee, Membership, Position, Role, SalaryGrade, User, membership_during

from .models import SEED_COURSES, CaseKind, CourseType, Ladder, PathStep, RatedBy, Rung
from .selectors.eligibility import eligibility_of
from .selectors.pool import pool_rule, rule_version
from .services import acts, cases, paths, training
from .services.pool import reserve_pool_rule_set

SEED = 20171027
VALID_FROM = date(2017, 1, 1)
LADDERS = [("sales", "销售序列", "Rep ladder", ["rep", "senior_rep"]),
           ("management", "管理序列", "Manager ladder", ["manager", "director"])]
# (from, to, months after probation, rated by, training hours, exam score)
STEPS = [("rep", "senior_rep", 6, RatedBy.MANAGER, 16, None),
         ("senior_rep", "manager", 6, RatedBy.MANAGER, 32, 80),
         ("manager", "director", 12, RatedBy.DIRECTOR, 0, None)]
SESSION_HOURS = Decimal(4)
EXAMS = {"product", "closing"}
# Contracts of managers ending within six months of the demo's today (27 October 2017): HR prepares a reserve.
CONTRACTS = {"manager3": date(2018, 2, 28), "manager6": date(2018, 4, 30)}
# Only the first half of 2017 is published by the demo's today, so HR's pool asks for one excellent of the last two
# cycles (the seed's default, 2 of 3, would leave it empty until the third quarter is published).
POOL_RULE = (1, 2)
CHECKLIST_GOOD = {c: {"score": 4, "comment": "表现良好"} for c in
                  ("skills", "experience", "conduct", "contribution", "potential")}


def load_promotions() -> int:
    """Load the paths, training and cases; return how many cases were created (0 when already there)."""
    if PathStep.objects.exists():
        return 0
    hr, director = User.objects.get(username="hr1"), User.objects.get(username="director")
    positions = {p.code: p for p in Position.objects.all()}
    _ladders(positions)
    _paths(positions, hr)
    _training(hr, random.Random(SEED))
    for username, ends in CONTRACTS.items():
        team_services.employee_contract_set(employee=Employee.objects.get(user__username=username),
                                            contract_end=ends)
    reserve_pool_rule_set(by=hr, excellent_in=POOL_RULE[0], cycles=POOL_RULE[1],
                          version=rule_version(pool_rule()))
    return _cases(positions, hr, director)


def _ladders(positions: dict[str, Position]) -> None:
    for code, name, name_en, rungs in LADDERS:
        ladder, _ = Ladder.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})
        for order, position in enumerate(rungs, start=1):
            Rung.objects.get_or_create(position=positions[position], defaults={"ladder": ladder, "order": order})


def _paths(positions: dict[str, Position], hr: User) -> None:
    for source, target, months, rated_by, hours, exam in STEPS:
        step = paths.path_step_add(from_position=positions[source], to_position=positions[target], by=hr)
        paths.requirement_add(step=step, valid_from=VALID_FROM, months_in_position=months, by=hr,
                              rating=Level.EXCELLENT, rated_by=rated_by, training_hours=hours, exam_score=exam)


def _training(hr: User, rng: random.Random) -> None:
    """One session of each course type from February to October 2017, four hours each; reps attend most of
    those held after their hire, the half-year's excellent ones all of them."""
    excellent = set(Appraisal.objects.filter(cycle__name=HALF_YEAR, rating=Level.EXCELLENT)
                    .values_list("employee_id", flat=True))
    reps = list(Employee.objects.filter(user__role=Role.REP).order_by("employee_number"))
    # the seed's courses, as the migration wrote them (a database flushed since has lost those rows)
    courses = [CourseType.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})[0]
               for code, name, name_en in SEED_COURSES]
    for n, course in enumerate(courses):
        held_on = date(2017, 2 + n % 9, 8 + 2 * (n // 9))
        session = training.session_add(course=course, title=f"{course.name}（2017）", held_on=held_on,
                                       hours=SESSION_HOURS, by=hr, has_exam=course.code in EXAMS)
        scores = {}
        for rep in reps:
            if rep.hire_date > held_on or (rep.left_on and rep.left_on < held_on):
                continue
            if rep.pk in excellent or rng.random() < 0.7:
                scores[rep.pk] = Decimal(rng.randint(72, 98)) if session.has_exam else None
        training.attendance_record_many(session=session, scores=scores, by=hr)


def _cases(positions: dict[str, Position], hr: User, director: User) -> int:
    today, effective = clock.today(), date(2017, 11, 1)
    grades = {g.level: g for g in SalaryGrade.objects.all()}
    ups = {s.from_position_id: s.to_position for s in PathStep.objects.select_related("to_position")}
    best = [a for a in Appraisal.objects.filter(cycle__name=HALF_YEAR, state=Step.PUBLISHED, is_manager=False,
                                                rating=Level.EXCELLENT, employee__left_on__isnull=True)
            .select_related("employee__user", "team__manager__user").order_by("-score", "employee__employee_number")]
    position_of = {a.employee_id: team_services.appointment_at(a.employee, today).position for a in best}
    created = 0
    # the half-year's best rep still in the first rung, nominated by the director straight to manager, to take over
    # the team whose manager's contract ends first: a skip-level, so a special approval for the general manager
    star = next((a for a in best if position_of[a.employee_id].code == "rep"), None)
    # the managers whose contracts end first: the cases into the manager position take over their teams
    contracts_ending = iter(sorted(CONTRACTS, key=CONTRACTS.get))
    if star is not None:
        leaving, ends = _contract_ending(next(contracts_ending))
        case = cases.case_nominate(
            by=director, employee_id=star.employee_id, kind=CaseKind.UP_POSITION_AND_SALARY,
            to_position_id=positions["manager"].pk, to_grade_id=_grade_up(star.employee, grades, 2).pk,
            effective_on=effective, replaces_manager_id=leaving.pk,
            reason=f"上半年业绩第一梯队；{leaving.name}的合同将于{ends}到期，建议破格提拔为销售经理接任其团队。")
        acts.case_review(by=hr, case_id=case.pk, version=case.version, checklist=CHECKLIST_GOOD,
                         special_reason="越级晋升：业绩连续突出，具备带队潜力，按破格提拔报总经理特批。")
        created += 1
    # an excellent rep who meets every rule, nominated by their manager for the next step: the director decides
    for appraisal in best:
        target = ups.get(position_of[appraisal.employee_id].pk)
        if appraisal is star or target is None:
            continue
        if eligibility_of(appraisal.employee_id, target.pk, effective).verdict != "now":
            continue
        manager = Membership.objects.select_related("team__manager__user").get(
            membership_during(today), employee_id=appraisal.employee_id).team.manager  # their team now
        if cases.into_team_lead(position_of[appraisal.employee_id], target):
            # a senior rep up to manager takes over a team whose manager's contract ends (the seed's 人才储备): HR
            # nominates, since their own manager may only name their own team
            leaving, ends = _contract_ending(next(contracts_ending))
            case = cases.case_nominate(by=hr, employee_id=appraisal.employee_id, kind=CaseKind.UP_POSITION,
                                       to_position_id=target.pk, effective_on=effective, replaces_manager_id=leaving.pk,
                                       reason=f"上半年考核优秀，已满足晋升条件；{leaving.name}的合同将于{ends}到期，"
                                              "按人才储备推荐接任其团队的销售经理。")
        else:
            case = cases.case_nominate(by=manager.user, employee_id=appraisal.employee_id,
                                       kind=CaseKind.UP_POSITION, to_position_id=target.pk, effective_on=effective,
                                       reason="上半年考核优秀，客户维护扎实，推荐晋升。")
        acts.case_review(by=hr, case_id=case.pk, version=case.version, checklist=CHECKLIST_GOOD)
        created += 1
        break
    # the lowest of phase 2's flagged reps rated 不合格 who is above the lowest grade: their manager proposes a
    # demotion by one grade (HR reviews it next)
    flagged = (PeriodPlacing.objects.filter(period="phase", first_month=date(2017, 5, 1), flagged=True,
                                            employee__appraisals__cycle__name=HALF_YEAR,
                                            employee__appraisals__rating=Level.UNSATISFACTORY,
                                            employee__left_on__isnull=True)
               .select_related("employee").order_by("-rank"))
    for placing in flagged:
        employee = placing.employee
        current = team_services.appointment_at(employee, today)
        if current.salary_grade.level <= min(grades):
            continue
        appraisal = Appraisal.objects.select_related("rater__user").get(cycle__name=HALF_YEAR, employee=employee)
        cases.case_nominate(by=appraisal.rater.user, employee_id=employee.pk, kind=CaseKind.DEMOTION,
                            to_position_id=current.position.pk, to_grade_id=_grade_up(employee, grades, -1).pk,
                            effective_on=effective, source_appraisal_id=appraisal.pk,
                            reason="上半年考核不合格，第二阶段排名末位且连续预警，建议降一级薪级。")
        created += 1
        break
    return created


def _contract_ending(username: str) -> tuple[Employee, str]:
    """Return the manager whose contract CONTRACTS ends, and the month it ends in words (2018年2月)."""
    ends = CONTRACTS[username]
    return Employee.objects.get(user__username=username), f"{ends.year}年{ends.month}月"


def _grade_up(employee: Employee, grades: dict[int, SalaryGrade], by: int) -> SalaryGrade:
    """Return the grade `by` levels from the employee's current one (kept within the scale)."""
    current = team_services.appointment_at(employee, clock.today())
    level = min(max(current.salary_grade.level + by, min(grades)), max(grades))
    return grades[level]
