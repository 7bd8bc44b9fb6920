"""Published results for the apps that use them: promotions (the latest rating, the history), rewards, the
rep's page. Not scoped: the caller shows them only to whom its own page allows."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet

from ..models import DEFAULT_LABELS, Appraisal, RatingLevel, Step


@dataclass(frozen=True)
class Result:
    appraisal_id: int
    employee_id: int
    cycle_name: str
    kind: str
    first_month: date
    last_month: date
    rating: int
    label_zh: str
    label_en: str
    score: Decimal | None
    published_at: datetime | None
    is_manager: bool = False  # a manager's appraisal: rated by the director (the promotion rule's rater)


def label_pairs() -> dict[int, tuple[str, str]]:
    """Return each level's (Chinese, English) label as HR set them, the defaults for any row missing (one query)."""
    return {**DEFAULT_LABELS, **{r.level: (r.label_zh, r.label_en) for r in RatingLevel.objects.all()}}


def published() -> QuerySet[Appraisal]:
    """Return the published appraisals with their cycle: the only ones whose result counts anywhere."""
    return Appraisal.objects.filter(state=Step.PUBLISHED).select_related("cycle")


def published_results(employee_ids) -> dict[int, list[Result]]:
    """Return {employee id: their published results, latest period first} (two queries)."""
    labels = label_pairs()
    rows = (published().filter(employee_id__in=list(employee_ids))
            .order_by("employee_id", "-cycle__last_month", "-published_at", "-pk"))
    results: dict[int, list[Result]] = defaultdict(list)
    for a in rows:
        label = labels.get(a.rating, ("", ""))
        results[a.employee_id].append(Result(
            a.pk, a.employee_id, a.cycle.name, a.cycle.kind, a.cycle.first_month, a.cycle.last_month, a.rating,
            label[0], label[1], a.score, a.published_at, a.is_manager))
    return dict(results)


def latest_result(employee_id: int) -> Result | None:
    """Return the employee's latest published result, or None."""
    return next(iter(published_results([employee_id]).get(employee_id, [])), None)
