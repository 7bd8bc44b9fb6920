"""Reads of the register, scoped by teams.access.scope_records: the filtered and sorted list, the totals, one record
with its history and the acts open to the viewer, what waits for whom, a person's final records, the payroll list."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpis.metrics import BY_CODE
from promotions.models import PromotionCase
from targets.models import PlanMonth
from teams import access
from teams.models import Membership, StateEvent, membership_during
from teams.transitions import Step, subject_type

from ..calculations import value_text
from ..models import Kind, Method, PeriodKind, Record
from ..states import FINAL, RECORD

SORTS = {  # the list's sort choices -> order_by
    "newest": ("-proposed_at", "-pk"), "oldest": ("proposed_at", "pk"), "period": ("-first_month", "-pk"),
    "amount": ("-amount", "-pk"), "name": ("employee__name", "team__name", "-pk"),
}


@dataclass(frozen=True)
class Filters:
    """What the register is narrowed to; blank fields narrow nothing."""

    state: str = ""
    kind: str = ""
    method: str = ""
    team_id: int | None = None
    employee_id: int | None = None
    period: str = ""
    first_month: date | None = None
    waiting: bool = False  # only what waits for the viewer's approval
    review: bool = False  # only what a re-closed month flagged for review
    sort: str = "newest"


def records_for(p: access.Principal) -> QuerySet[Record]:
    """Return the records the principal may open, joined for a list (one query)."""
    rows = Record.objects.select_related("employee", "team", "rule", "proposed_by__employee",
                                         "approved_by__employee", "hr_approved_by__employee")
    return access.scope_records(p, rows)


def team_q(team_id: int) -> Q:
    """A team's records: about the team, or about one of its members on the record's date."""
    member = Exists(Membership.objects.filter(membership_during(access.record_day()), team_id=team_id,
                                              employee_id=OuterRef("employee_id")))
    return Q(team_id=team_id) | Q(member)


def filtered(p: access.Principal, filters: Filters) -> QuerySet[Record]:
    """Return the principal's records narrowed by the filters, what waits for them first, then the chosen sort."""
    rows = records_for(p)
    for name in ("state", "kind", "method", "period"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.employee_id:
        rows = rows.filter(employee_id=filters.employee_id)
    if filters.team_id:
        rows = rows.filter(team_q(filters.team_id))
    if filters.first_month:
        rows = rows.filter(first_month=filters.first_month)
    if filters.review:
        rows = rows.filter(needs_review=True)
    if filters.waiting:
        rows = rows.filter(access.records_waiting_q(p))
    return ordered(p, rows, filters.sort)


def ordered(p: access.Principal, rows: QuerySet[Record], sort: str = "newest") -> QuerySet[Record]:
    """Return the records what waits for the principal's approval first (marked `waits` 0), then by the sort."""
    order = SORTS.get(sort, SORTS["newest"])
    if access.waits_for_records(p):
        rows = rows.annotate(waits=Case(When(access.records_waiting_q(p), then=Value(0)), default=Value(1),
                                        output_field=IntegerField()))
        return rows.order_by("waits", *order)
    return rows.order_by(*order)


@dataclass(frozen=True)
class TotalLine:
    subject: str
    is_team: bool
    period: str
    first_month: date | None
    kind: str
    records: int
    cash: int

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


# How the register's totals are grouped: (label, the grouping's columns, its order). Every grouping keeps the kind.
TOTALS_BY = {
    "subject": (gettext_lazy("Employee or team"), ("employee__name", "team__name"), ("-cash", "-records")),
    "subject_period": (gettext_lazy("Employee or team, and period"),
                       ("employee__name", "team__name", "period", "first_month"), ("-first_month",)),
    "period": (gettext_lazy("Period"), ("period", "first_month"), ("-first_month",)),
}
TOTALS_SHOWN = 50  # lines on the page; the XLSX export has them all


@dataclass
class Totals:
    """Final records (approved or published) of the filtered list, grouped (`TOTALS_BY`), and per kind."""

    lines: list[TotalLine] = field(default_factory=list)
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (records, cash)
    by: str = "subject"

    @property
    def shown(self) -> list[TotalLine]:
        return self.lines[:TOTALS_SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.lines) - TOTALS_SHOWN)

    def kinds(self) -> list[tuple[str, int, int]]:
        """Return (kind's label, records, cash) per kind, rewards first."""
        return [(Kind(k).label, *self.by_kind[k]) for k in Kind.values if k in self.by_kind]


def totals(rows: QuerySet[Record], by: str = "subject") -> Totals:
    """Return the totals of the final records among `rows`, grouped as `by` says (one GROUP BY query)."""
    by = by if by in TOTALS_BY else "subject"
    _label, columns, order = TOTALS_BY[by]
    names = ("employee__name", "team__name")
    grouped = (rows.filter(state__in=FINAL).order_by().values(*columns, "kind")
               .annotate(records=Count("pk"), cash=Coalesce(Sum("amount", filter=Q(method=Method.CASH)), 0))
               .order_by(*order, *(c for c in names if c in columns), "kind"))
    result = Totals(by=by)
    for g in grouped:
        subject = g.get("employee__name") or g.get("team__name") or ""
        line = TotalLine(subject, "team__name" in g and g.get("employee__name") is None, g.get("period", ""),
                         g.get("first_month"), g["kind"], g["records"], g["cash"] or 0)
        result.lines.append(line)
        records, cash = result.by_kind.get(line.kind, (0, 0))
        result.by_kind[line.kind] = (records + line.records, cash + line.cash)
    return result


def record_for(p: access.Principal, pk: object) -> Record:
    """Return one record the principal may open, with its notice and case; 404 outside their scope."""
    if not str(pk).isdigit() or int(str(pk)[:12]) > 2**31 - 1:
        raise Http404
    record = records_for(p).select_related("promotion_case", "notice").filter(pk=int(pk)).first()
    if record is None:
        raise Http404
    return record


@dataclass(frozen=True)
class FigureLine:
    label: str
    text: str


def rule_figures(record: Record) -> list[FigureLine]:
    """Return what the rule found, as labelled lines for the record's page: the metric and its value, the
    rank, the periods in a row at the bottom, what became of a demotion, a referred hire (no query)."""
    f = record.figures or {}
    metric = BY_CODE.get(record.metric)
    lines: list[FigureLine] = []
    if f.get("value") is not None:
        value = value_text(Decimal(str(f["value"])), metric.unit if metric else "percent")
        lines.append(FigureLine(str(metric.label) if metric else _("Attainment"), value))
    if f.get("rank"):
        lines.append(FigureLine(_("Rank"), str(f["rank"])))
    if f.get("consecutive"):
        lines.append(FigureLine(_("Periods in a row on the bottom list"), str(f["consecutive"])))
    if f.get("demotion"):
        lines.append(FigureLine(_("Demotion"), _("proposed") if f["demotion"] == "proposed" else _(
            "none: no lower step, or another case is open")))
    if f.get("hire_name"):
        lines.append(FigureLine(_("Referred hire"), f"{f['hire_name']} ({f.get('hired_on', '')})"))
    return lines


def history(record: Record) -> list[Step]:
    """Return the record's events, oldest first, with actions and states by label (one query)."""
    events = (StateEvent.objects.filter(subject_type=subject_type(Record), subject_id=record.pk)
              .select_related("by__employee").order_by("at", "pk"))
    return [RECORD.step(e) for e in events]


def acts_open(p: access.Principal, record: Record) -> list[str]:
    """Return the actions the principal may take on the record now, in the machine's order (no query)."""
    names: list[str] = []
    for t in RECORD.transitions:
        if t.source != record.state or t.action in names or t.action == "propose":
            continue
        if (t.when is None or t.when(record)) and t.allowed(p, record):
            names.append(t.action)
    return names


def may_take(p: access.Principal, record: Record, action: str) -> bool:
    """Return whether the principal's role lets them make the action on the record in some state (the guards the
    service asks first, no query but the GM's); False means they may look at the record but never do this."""
    return any(t.allowed(p, record) for t in RECORD.transitions if t.action == action)


@dataclass(frozen=True)
class RecordPage:
    """One record as its page shows it: what the rule found, its notice, its history, the acts open now."""

    record: Record
    rule_figures: list[FigureLine]
    history: list[Step]
    acts: list[str]

    @property
    def notice_id(self) -> int | None:
        notice = getattr(self.record, "notice", None)
        return notice.pk if notice is not None else None


def record_page(p: access.Principal, record: Record) -> RecordPage:
    """Return the record (loaded by `record_for`) with its page's parts, for the page and the API (two queries)."""
    return RecordPage(record, rule_figures(record), history(record), acts_open(p, record))


def waiting_count(p: access.Principal) -> int:
    """Return how many records wait for the principal's approval (one query; none for whom nothing waits)."""
    if not access.waits_for_records(p):
        return 0
    return access.scope_records(p, Record.objects.all()).filter(access.records_waiting_q(p)).count()


def final_records_of(p: access.Principal, employee_id: int, limit: int = 20) -> list[Record]:
    """Return the employee's final records (approved or published), newest first, as the principal may see them
    (one query)."""
    rows = access.scope_records(p, Record.objects.select_related("rule"))
    return list(rows.filter(employee_id=employee_id, state__in=FINAL).order_by("-first_month", "-proposed_at",
                                                                              "-pk")[:limit])


def plan_months() -> list[date]:
    """Return every plan month, oldest first: what a record's period may name (one query)."""
    return list(PlanMonth.objects.order_by("month").values_list("month", flat=True).distinct())


def linkable_cases(p: access.Principal) -> QuerySet[PromotionCase]:
    """Return the promotion and demotion cases a change-of-position record by the principal may link."""
    return access.scope_cases(p, PromotionCase.objects.select_related("employee")).order_by("-pk")


def payroll(month: date) -> QuerySet[Record]:
    """Return the final cash records payroll pays in `month`: those of that month's period (a month, or a phase
    starting then), and those without a period proposed in that month; by employee number (one query)."""
    of_month = Q(first_month=month) & ~Q(period=PeriodKind.NONE)
    no_period = Q(period=PeriodKind.NONE, proposed_at__year=month.year, proposed_at__month=month.month)
    return (Record.objects.filter(of_month | no_period, state__in=FINAL, method=Method.CASH)
            .select_related("employee", "team").order_by("employee__employee_number", "team__name", "pk"))
