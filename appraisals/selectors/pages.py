"""Reads only the pages need: a cycle's progress by step and team, the ratings by team, the cycle's results for the
export, the acts open to a viewer now, and the rating labels in the page's language. Scoped by teams/access.py."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from kpis import metrics
from teams import access
from teams.access import Principal
from teams.models import Team

from .. import calculations
from ..models import Appraisal, Cycle, Level, Step
from ..states import APPRAISAL
from .results import label_pairs

# The order the progress page lists the steps in: the HR plan's, withdrawn last.
STEPS = [Step(s) for s in Step.values]
CYCLE_ORDERS = {"name": "name", "-name": "-name", "start": "first_month", "-start": "-first_month",
                "size": "size", "-size": "-size"}
APPRAISAL_ORDERS = {
    "name": ("employee__name", "pk"), "-name": ("-employee__name", "-pk"),
    "team": ("team__name", "employee__name"), "-team": ("-team__name", "employee__name"),
    "step": ("state", "employee__name"), "-step": ("-state", "employee__name"),
    "rater": ("rater__name", "employee__name"), "-rater": ("-rater__name", "employee__name"),
}


def metric_label(code: str) -> str:
    """Return a metric's name in the page's language (the code itself for one the registry no longer has)."""
    return metrics.BY_CODE[code].label if code in metrics.BY_CODE else code


def counts_people(code: str) -> bool:
    """Return whether the metric is a count (shown as a whole number), not an amount of yuan."""
    return code in metrics.BY_CODE and metrics.BY_CODE[code].unit == metrics.Unit.COUNT


def development_plan_offered(p: Principal, appraisal: Appraisal, on: date) -> bool:
    """Return whether the appraisal's page offers to start a development plan: it is published, rated below
    satisfactory, and the viewer may nominate its employee on `on` (one query for a manager, none otherwise)."""
    return (appraisal.state == Step.PUBLISHED and calculations.below_satisfactory(appraisal.rating)
            and access.may_nominate_employee(p, appraisal.employee_id, on))


def rating_labels() -> dict[int, str]:
    """Return each level's label in the active language (one query): HR's words, the order fixed."""
    chinese = (get_language() or "zh-hans").startswith("zh")
    pairs = label_pairs()
    return {level: pairs[level][0 if chinese else 1] for level in Level.values}


def cycles(p: Principal, order: str = "-start") -> QuerySet[Cycle]:
    """Return the cycles with their size and published count, in `order` (a key of CYCLE_ORDERS)."""
    scoped = access.scope_appraisals(p, Appraisal.objects.all()).values("pk")
    return (Cycle.objects.select_related("plan")
            .annotate(size=Count("appraisals", filter=~Q(appraisals__state=Step.WITHDRAWN)
                                 & Q(appraisals__in=scoped)),
                      published=Count("appraisals", filter=Q(appraisals__state=Step.PUBLISHED)
                                      & Q(appraisals__in=scoped)))
            .order_by(CYCLE_ORDERS.get(order, "-first_month"), "name"))


LIST_ORDERS = {**APPRAISAL_ORDERS, "cycle": ("cycle__first_month", "cycle__name", "team__name", "employee__name"),
               "-cycle": ("-cycle__first_month", "cycle__name", "team__name", "employee__name")}


def appraisal_list(p: Principal, *, cycle: str | None = None, step: str | None = None,
                   order: str = "-cycle") -> QuerySet[Appraisal]:
    """Return the appraisals the principal may open, filtered by cycle and step, in a known order."""
    rows = access.scope_appraisals(p, Appraisal.objects.select_related("employee", "team", "rater", "cycle"))
    if cycle and cycle.isdigit():
        rows = rows.filter(cycle_id=int(cycle[:9]))
    if step in Step.values:
        rows = rows.filter(state=step)
    return rows.order_by(*LIST_ORDERS.get(order, LIST_ORDERS["-cycle"]))


def cycle(pk: object) -> Cycle:
    """Return the cycle with its plan and teams; 404 when there is none (cycles are HR's, who sees them all)."""
    try:
        return Cycle.objects.select_related("plan").prefetch_related("teams").get(pk=int(str(pk)[:10]))
    except (Cycle.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass
class StepCount:
    step: Step
    count: int
    percent: int  # of the cycle's appraisals, for the bar


@dataclass
class TeamProgress:
    team: Team
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # state -> count

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(s, 0) for s in STEPS]

    @property
    def finished(self) -> int:
        """Return how many of the team's appraisals are published (withdrawn ones count as out of the cycle)."""
        return self.counts.get(Step.PUBLISHED, 0)

    @property
    def percent(self) -> int:
        active = self.total - self.counts.get(Step.WITHDRAWN, 0)
        return round(100 * self.finished / active) if active else 0


@dataclass
class Progress:
    total: int
    steps: list[StepCount]
    teams: list[TeamProgress]


def cycle_progress(p: Principal, cycle: Cycle) -> Progress:
    """Return the cycle's appraisals counted by step and by team and step (one grouped query)."""
    rows = (access.scope_appraisals(p, cycle.appraisals.all()).values("team", "team__name", "team__code", "state")
            .annotate(n=Count("pk")).order_by("team__name", "team"))
    teams: dict[int, TeamProgress] = {}
    by_step: dict[str, int] = {}
    for row in rows:
        line = teams.setdefault(row["team"], TeamProgress(Team(pk=row["team"], name=row["team__name"],
                                                               code=row["team__code"])))
        line.counts[row["state"]] = row["n"]
        line.total += row["n"]
        by_step[row["state"]] = by_step.get(row["state"], 0) + row["n"]
    total = sum(by_step.values())
    steps = [StepCount(s, by_step.get(s, 0), round(100 * by_step.get(s, 0) / total) if total else 0) for s in STEPS]
    return Progress(total, steps, list(teams.values()))


def cycle_appraisals(p: Principal, cycle: Cycle, order: str = "team") -> QuerySet[Appraisal]:
    """Return the cycle's appraisals the principal may open, joined for a list, in `order` (APPRAISAL_ORDERS)."""
    return (access.scope_appraisals(p, cycle.appraisals.all()).select_related("employee", "team", "rater")
            .annotate(asked=Count("feedback", distinct=True),
                      answered=Count("feedback", filter=Q(feedback__answered_at__isnull=False), distinct=True))
            .order_by(*APPRAISAL_ORDERS.get(order, APPRAISAL_ORDERS["team"])))


@dataclass
class TeamRatings:
    team: Team
    counts: list[int]  # in the scale's order, best first
    rated: int

    @property
    def shares(self) -> list[tuple[int, int]]:
        """Return (count, percent of the team's rated) per level, best first: the bar's segments."""
        return [(n, round(100 * n / self.rated) if self.rated else 0) for n in self.counts]


LEVELS_BEST_FIRST = sorted(Level.values, reverse=True)


def rating_distribution(p: Principal, cycle: Cycle) -> list[TeamRatings]:
    """Return, per team, how many of the cycle's rated appraisals got each level (one grouped query)."""
    rows = (access.scope_appraisals(p, cycle.appraisals.exclude(state=Step.WITHDRAWN).filter(rating__isnull=False))
            .values("team", "team__name", "team__code", "rating").annotate(n=Count("pk")).order_by("team__name"))
    teams: dict[int, dict] = {}
    for row in rows:
        line = teams.setdefault(row["team"], {"team": Team(pk=row["team"], name=row["team__name"],
                                                           code=row["team__code"]), "counts": {}})
        line["counts"][row["rating"]] = row["n"]
    return [TeamRatings(t["team"], [t["counts"].get(level, 0) for level in LEVELS_BEST_FIRST],
                        sum(t["counts"].values())) for t in teams.values()]


def cycle_results(p: Principal, cycle: Cycle) -> QuerySet[Appraisal]:
    """Return the cycle's appraisals for the export, with their goals and ability scores (three queries).

    Feedback is left out entirely: an export travels, and a giver's name must never leave HR's screen."""
    return (access.scope_appraisals(p, cycle.appraisals.all()).select_related("employee", "team", "rater")
            .prefetch_related("goals", "ability_scores").order_by("team__name", "employee__name"))


def acts_open(p: Principal, appraisal: Appraisal) -> list[str]:
    """Return the actions the principal may take on the appraisal now, in the state machine's order (no query)."""
    state = APPRAISAL.state_of(appraisal)
    names: list[str] = []
    for t in APPRAISAL.transitions:
        if t.source != state or t.action in names or (t.when is not None and not t.when(appraisal)):
            continue
        if t.allowed(p, appraisal):
            names.append(t.action)
    return names


def rating_shown(p: Principal, appraisal: Appraisal) -> bool:
    """Return whether the principal sees the appraisal's ratings now: its rater, HR and the verifier always; the
    appraisee from confirmation on (they confirm it); everyone else in scope once it is published."""
    if access.is_rater(p, appraisal) or access.may_run_appraisals(p) or access.may_verify_appraisal(p, appraisal):
        return True
    if access.is_appraisee(p, appraisal):
        return appraisal.state in (Step.CONFIRMATION, Step.DISPUTED, Step.CONFIRMED, Step.PUBLISHED)
    return appraisal.state == Step.PUBLISHED


def may_ask_feedback(p: Principal, appraisal: Appraisal) -> bool:
    """Return whether the page offers the principal to ask for feedback on the appraisal (HR, in a cycle that
    collects it, until the feedback is closed)."""
    return (access.may_run_appraisals(p) and appraisal.cycle.with_feedback
            and appraisal.state in (Step.GOALS, Step.SELF_REVIEW, Step.FEEDBACK))
