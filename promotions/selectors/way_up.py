"""The way up (issue 14, "Where it shows"): for one person or a team's members, the position held, each step up
from it with every rule met or not in the engine's plain words, and from when they will be eligible.

The rep's own page, the rep drill-down and the team page read it; `teams.access.may_see_way_up` decides who may,
and `may_see_exam_scores` whether the exam check shows the score. Loaded with prefetching, in a fixed number of
queries whatever the number of people (docs/promotions.md "The way up").
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _

from appraisals.selectors.results import label_pairs, published
from teams import access
from teams.access import Principal
from teams.calculations import on_probation
from teams.models import Appointment, Employee, Membership, Position, Team, membership_during

from .. import calculations as calc
from ..models import Attendance, PathStep, Rung, StepRequirement
from .eligibility import rating_result, requirement_of

# What the card says when there is no step to show, or that there are steps.
STEPS, TOP, NO_PATH, NO_POSITION, LEFT = "steps", "top", "no_path", "no_position", "left"


@dataclass(frozen=True)
class NextStep:
    """One step up from the position held: the engine's verdict, or None while HR has set no requirement for it."""

    to_position: Position
    eligibility: calc.Eligibility | None

    @property
    def verdict(self) -> str:
        return self.eligibility.verdict if self.eligibility else calc.NOT


@dataclass(frozen=True)
class WayUp:
    employee: Employee
    on: date
    status: str                      # STEPS, or why there is no step: TOP, NO_PATH, NO_POSITION, LEFT
    appointment: Appointment | None  # the appointment in force on the day (position and salary grade)
    since: date | None               # the first day of the unbroken run in that position
    counts_from: date | None         # the day time in the position starts to count (probation excluded)
    steps: tuple[NextStep, ...] = ()

    @property
    def position(self) -> Position | None:
        return self.appointment.position if self.appointment else None

    @property
    def on_probation(self) -> bool:
        return on_probation(self.employee.probation_end, self.on)

    @property
    def soonest(self) -> NextStep | None:
        """Return the step they can take first: eligible now, else the earliest date, else the first step."""
        ranked = sorted(self.steps, key=lambda s: ({calc.NOW: 0, calc.FROM: 1}.get(s.verdict, 2),
                                                   s.eligibility.eligible_from if s.verdict == calc.FROM else date.max))
        return ranked[0] if ranked else None


def way_up_of(p: Principal, employee: Employee | int, on: date) -> WayUp | None:
    """Return the employee's way up on `on` as the principal may see it; None when they may not (six queries with
    the employee loaded, one more given an id, one more for a manager's rule)."""
    if not access.may_see_way_up(p, employee, on):
        return None
    person = employee if isinstance(employee, Employee) else Employee.objects.get(pk=employee)
    return _way_ups([person], on, exam_scores=lambda e: access.may_see_exam_scores(p, e))[0]


def team_way_up(p: Principal, team: Team, on: date) -> list[WayUp] | None:
    """Return the way up of the team's members on `on`, by name, as the principal may see it; None when they may
    not (seven queries whatever the team's size)."""
    if not access.may_see_team_way_up(p, team):
        return None
    members = (Membership.objects.filter(membership_during(on), team=team).select_related("employee")
               .order_by("employee__name", "employee__employee_number"))
    people = list({m.employee_id: m.employee for m in members}.values())  # two rows on one day: listed once
    return _way_ups(people, on, exam_scores=lambda e: access.may_see_exam_scores(p, e))


def _way_ups(people: list[Employee], on: date, *, exam_scores: Callable[[Employee], bool]) -> list[WayUp]:
    if not people:
        return []
    # A position's rung and whether its ladder goes higher: "already at the top" or "no path set yet".
    higher_rung = Rung.objects.filter(ladder_id=OuterRef("position__rung__ladder_id"),
                                      order__gt=OuterRef("position__rung__order"))
    held = (Appointment.objects.select_related("position__rung", "salary_grade")
            .annotate(ladder_goes_higher=Exists(higher_rung)).order_by("effective_from"))
    prefetch_related_objects(
        people, Prefetch("appointments", queryset=held, to_attr="way_up_held"),
        Prefetch("training", queryset=Attendance.objects.select_related("session"), to_attr="way_up_training"),
        Prefetch("appraisals", queryset=published(), to_attr="way_up_results"))
    labels = label_pairs()
    steps = _steps_from(on, labels)
    return [_way_up(person, on, steps, labels, exam_scores=exam_scores(person)) for person in people]


def _steps_from(on: date, labels) -> dict[int, list[tuple[Position, calc.Requirement | None]]]:
    """Return {position id: [(the position one step up, the requirement in force on `on` or None)]} (two queries)."""
    found: dict[int, list[tuple[Position, calc.Requirement | None]]] = defaultdict(list)
    in_force = Prefetch("requirements", queryset=StepRequirement.objects.filter(valid_from__lte=on))
    for step in (PathStep.objects.select_related("from_position", "to_position").prefetch_related(in_force)
                 .order_by("to_position__level", "to_position__code")):
        row = calc.in_force(step.requirements.all(), on)
        requirement = (requirement_of(row, step.from_position.code, step.to_position.code, labels)
                       if row else None)
        found[step.from_position_id].append((step.to_position, requirement))
    return found


def _way_up(person: Employee, on: date, steps, labels, *, exam_scores: bool) -> WayUp:
    history = calc.History(person.hire_date, person.probation_end, tuple(
        calc.Held(a.effective_from, a.position.code, a.salary_grade.level) for a in person.way_up_held),
        person.left_on)
    current = next((a for a in reversed(person.way_up_held) if a.effective_from <= on), None)
    if person.left_on is not None and person.left_on < on:  # the engine's rule: the leaving day still counts
        return WayUp(person, on, LEFT, current, None, None)
    if current is None:
        return WayUp(person, on, NO_POSITION, None, None, None)
    since = calc.position_since(history, on).effective_from
    counts_from = calc.counting_from(history, since, early=False)
    ups = steps.get(current.position_id, [])
    if not ups:
        return WayUp(person, on, _no_step(current), current, since, counts_from)
    results = tuple(rating_result(a.cycle.last_month, a.rating, labels.get(a.rating, ("", ""))[0],
                                  is_manager=a.is_manager) for a in person.way_up_results)
    training = calc.Training(tuple(calc.Attended(t.session.held_on, t.session.hours, t.exam_score)
                                   for t in person.way_up_training))
    found = []
    for to_position, requirement in ups:
        verdict = calc.eligibility(history, results, training, requirement, on=on) if requirement else None
        if verdict and not exam_scores:
            verdict = _without_scores(verdict, requirement)
        found.append(NextStep(to_position, verdict))
    return WayUp(person, on, STEPS, current, since, counts_from, tuple(found))


def _no_step(current: Appointment) -> str:
    """Return TOP for the top rung of a ladder, NO_PATH for a position HR has drawn no step up from yet."""
    on_a_ladder = hasattr(current.position, "rung")  # joined: a position on no ladder asks nothing again
    return TOP if on_a_ladder and not current.ladder_goes_higher else NO_PATH


def _without_scores(result: calc.Eligibility, requirement: calc.Requirement) -> calc.Eligibility:
    """Return the verdict with the exam check saying only passed or not against the required score: a score is
    personal (the person themself and HR read it; docs/promotions.md "The way up")."""
    def plain(check: calc.Check) -> calc.Check:
        if check.rule != "exam":
            return check
        need = {"need": calc._number(requirement.exam_score)}
        return replace(check, text=(_("Exam passed; needs %(need)s") if check.met else
                                    _("Exam not passed yet; needs %(need)s")) % need)

    return replace(result, checks=tuple(plain(c) for c in result.checks))
