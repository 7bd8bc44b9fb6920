"""Reads for the paths page: each ladder with its positions in order, and each step up with the requirement in
force on a day and every row of its history (who added it and when). Not scoped: the page's rule decides who
reads it (teams.access.may_see_promotion_paths), and paths name positions, never people."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.http import Http404

from teams.models import Position

from .. import calculations as calc
from ..models import Ladder, PathStep, Rung, StepRequirement


@dataclass(frozen=True)
class StepView:
    """A step up as the page shows it: the row in force on the day, then every row, newest first."""

    step: PathStep
    in_force: StepRequirement | None
    history: list[StepRequirement]
    switches_ladder: bool  # e.g. 高级销售代表 → 销售经理: the top of the rep ladder to the manager ladder


@dataclass(frozen=True)
class LadderView:
    """A ladder's positions in order and the steps up from them; `ladder` None holds steps from positions that
    are on no ladder (a path HR drew before placing the position)."""

    ladder: Ladder | None
    positions: list[Position]
    steps: list[StepView]


def _rung(position: Position) -> Rung | None:
    try:
        return position.rung  # joined by the query: a position on no ladder raises without asking again
    except Rung.DoesNotExist:
        return None


def paths_on(on: date) -> list[LadderView]:
    """Return every ladder with its positions and steps up, each with its requirement in force on `on` (four
    queries: ladders, their rungs, the steps, their requirements)."""
    ladders = list(Ladder.objects.prefetch_related(
        Prefetch("rungs", queryset=Rung.objects.select_related("position").order_by("order"))))
    requirements = StepRequirement.objects.select_related("changed_by__employee").order_by("-valid_from")
    steps = (PathStep.objects.select_related("from_position__rung", "to_position__rung")
             .prefetch_related(Prefetch("requirements", queryset=requirements)))
    by_ladder: dict[int | None, list[StepView]] = {}
    for step in steps:
        start, end = _rung(step.from_position), _rung(step.to_position)
        history = list(step.requirements.all())
        view = StepView(step, calc.in_force(history, on), history,
                        switches_ladder=bool(start and end and start.ladder_id != end.ladder_id))
        by_ladder.setdefault(start.ladder_id if start else None, []).append(view)
    # Steps in the order of the ladder they start from, the lowest rung first.
    order = {rung.position_id: rung.order for ladder in ladders for rung in ladder.rungs.all()}
    for views in by_ladder.values():
        views.sort(key=lambda v: (order.get(v.step.from_position_id, 0), v.step.from_position.level,
                                  v.step.to_position.level))
    found = [LadderView(ladder, [r.position for r in ladder.rungs.all()], by_ladder.get(ladder.pk, []))
             for ladder in ladders]
    # The ladder that starts lowest first (the rep ladder, then the manager ladder); an empty ladder last.
    found.sort(key=lambda v: (min((p.level for p in v.positions), default=2**15), v.ladder.code))
    if None in by_ladder:
        found.append(LadderView(None, [], by_ladder[None]))
    return found


def step_for(pk: object) -> PathStep:
    """Return the step up with its two positions; 404 when there is none."""
    if not str(pk).isdigit() or int(str(pk)[:12]) > 2**31 - 1:
        raise Http404
    found = PathStep.objects.select_related("from_position", "to_position").filter(pk=int(pk)).first()
    if found is None:
        raise Http404
    return found
