"""The engine's inputs loaded from the database, for one person or many, in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from appraisals.selectors.results import label_pairs, published_results
from teams.models import Appointment, Employee, Position

from .. import calculations as calc
from ..models import Attendance, PathStep, RatedBy, StepRequirement


@dataclass(frozen=True)
class Inputs:
    """One person's history, published results and training, as the engine takes them."""

    history: calc.History
    results: tuple[calc.RatingResult, ...]
    training: calc.Training


def inputs_for(employee_ids: Iterable[int], *, loaded: Iterable[Employee] | None = None) -> dict[int, Inputs]:
    """Return {employee id: their engine inputs} (five queries whatever the number of people; four when the
    caller has `loaded` the employees already)."""
    ids = list(employee_ids)
    people = (list(loaded) if loaded is not None else
              Employee.objects.filter(pk__in=ids).only("hire_date", "probation_end", "left_on"))
    held: dict[int, list[calc.Held]] = defaultdict(list)
    for a in (Appointment.objects.filter(employee_id__in=ids).order_by("employee_id", "effective_from")
              .values("employee_id", "effective_from", "position__code", "salary_grade__level")):
        held[a["employee_id"]].append(calc.Held(a["effective_from"], a["position__code"], a["salary_grade__level"]))
    results = {pk: tuple(rating_result(r.last_month, r.rating, r.label_zh, is_manager=r.is_manager) for r in rows)
               for pk, rows in published_results(ids).items()}
    training: dict[int, list[calc.Attended]] = defaultdict(list)
    for t in (Attendance.objects.filter(employee_id__in=ids)
              .values("employee_id", "session__held_on", "session__hours", "exam_score")):
        training[t["employee_id"]].append(calc.Attended(t["session__held_on"], t["session__hours"], t["exam_score"]))
    return {e.pk: Inputs(calc.History(e.hire_date, e.probation_end, tuple(held[e.pk]), e.left_on),
                         results.get(e.pk, ()), calc.Training(tuple(training[e.pk]))) for e in people}


def rating_result(last_month: date, rating: int, label: str, *, is_manager: bool) -> calc.RatingResult:
    """Return a published result as the engine takes it: it counts from its period's last day, and a manager's
    appraisal is rated by the director, a rep's by the department manager."""
    return calc.RatingResult(calc.month_end(last_month), rating, label,
                             RatedBy.DIRECTOR if is_manager else RatedBy.MANAGER)


def requirement_of(row: StepRequirement, from_code: str, to_code: str,
                   labels: dict[int, tuple[str, str]]) -> calc.Requirement:
    """Return the requirement row as the engine takes it, its rating named by HR's label (`label_pairs`)."""
    return calc.Requirement(from_code, to_code, row.months_in_position, row.rating,
                            labels.get(row.rating, ("", ""))[0], row.rated_by, row.training_hours, row.exam_score)


def requirements_in_force(on: date) -> dict[tuple[str, str], calc.Requirement]:
    """Return {(from position code, to position code): the requirement in force on `on`} (two queries)."""
    labels = label_pairs()
    by_step: dict[tuple[str, str], list[StepRequirement]] = defaultdict(list)
    for r in StepRequirement.objects.filter(valid_from__lte=on).select_related("step__from_position",
                                                                               "step__to_position"):
        by_step[(r.step.from_position.code, r.step.to_position.code)].append(r)
    found: dict[tuple[str, str], calc.Requirement] = {}
    for (from_code, to_code), rows in by_step.items():
        # the one rule for which row is in force, as on HR's paths page
        found[(from_code, to_code)] = requirement_of(calc.in_force(rows, on), from_code, to_code, labels)
    return found


def steps_up() -> dict[str, list[Position]]:
    """Return {position code: the positions one step up from it} (one query)."""
    found: dict[str, list[Position]] = defaultdict(list)
    for step in PathStep.objects.select_related("from_position", "to_position"):
        found[step.from_position.code].append(step.to_position)
    return dict(found)


def current_position(inputs: Inputs, on: date) -> str | None:
    """Return the code of the position the person holds on `on` (None before their first appointment)."""
    held = calc.position_since(inputs.history, on)
    return held.position if held else None


def eligibility_of(employee_id: int, to_position_id: int, on: date, *, early: bool = False) -> calc.Eligibility:
    """Return the engine's verdict for the employee's step to the position on `on` (eight queries).

    A position that does not exist, or no step from the current one, gives the engine no requirement: special.
    """
    inputs = inputs_for([employee_id])[employee_id]
    to_code = Position.objects.filter(pk=to_position_id).values_list("code", flat=True).first()
    requirement = requirements_in_force(on).get((current_position(inputs, on), to_code))
    return calc.eligibility(inputs.history, inputs.results, inputs.training, requirement, on=on, early=early)
