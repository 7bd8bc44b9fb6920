"""The rows of a month's rollups, built from database aggregates: rep, team, company and team-week results,
ranks, and the month's and phase's placings. kpis/rollups.py decides when and for whom they are rebuilt."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum

from targets import selectors as target_selectors
from targets.calculations import month_span, weeks_of_month
from targets.models import PlanMonth, RepMonthTarget, RepWeekTarget, TeamMonthTarget
from teams.calculations import on_probation
from teams.models import Employee

from .. import metrics
from ..calculations import attainment, expected_weeks
from ..models import CustomerBase, WeeklyFigures
from . import calculations as ranking
from .models import CompanyMonthResult, EliminationRule, PeriodPlacing, RepMonthResult, TeamMonthResult, TeamWeekResult

DERIVED_COLUMNS = ("total_deposits", "customer_growth_rate", "performance_growth_rate", "performance_growth_yoy",
                   "attainment", "close_rate")
PRECISION = Decimal("0.000001")


def month_sums(month: date, group: tuple[str, ...], teams: set[int] | None = None) -> dict[tuple, dict]:
    """Return entered sums and reported-week counts of the month's weeks (of `teams` only, if given),
    grouped in the database."""
    rows = WeeklyFigures.objects.filter(week__in=weeks_of_month(month.year, month.month))
    if teams is not None:
        rows = rows.filter(team__in=teams)
    rows = rows.values(*group).annotate(weeks_reported=Count("id"), **{m.code: Sum(m.code) for m in metrics.ENTERED})
    return {tuple(r[g] for g in group): r for r in rows}


def _totals(sums: dict[tuple, dict]) -> dict[tuple, Decimal]:
    return {k: (r["new_customer_deposits"] or 0) + (r["existing_customer_deposits"] or 0) for k, r in sums.items()}


def _rate(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PRECISION)


def _row_values(sums: dict | None, target: int | None, base: int | None, previous: Decimal | None,
                year_ago: Decimal | None) -> dict:
    values = {m.code: Decimal((sums or {}).get(m.code) or 0) for m in metrics.ENTERED}
    derived = metrics.derive(metrics.PeriodFigures(values, target, base, previous, year_ago))
    return {**values, "deposit_target": target, "customer_base": base,
            **{c: derived[c] if c == "total_deposits" else _rate(derived[c]) for c in DERIVED_COLUMNS}}


@dataclass
class MonthInputs:
    month: date
    rep_sums: dict[tuple, dict]
    previous: dict[int, Decimal]
    year_ago: dict[int, Decimal]
    bases: dict[int, int]
    rep_targets: dict[tuple, int]


def month_inputs(month: date, teams: set[int] | None = None) -> MonthInputs:
    """Return what a month's rows are built from: its sums and targets (of `teams` only, if given), the
    previous month's and a year before's totals per rep (all teams: the company row compares them), and
    each rep's customer base."""
    group = ("employee_id", "team_id")
    targets = RepMonthTarget.objects.filter(plan_month__month=month)
    if teams is not None:
        targets = targets.filter(team__in=teams)
    return MonthInputs(
        month, month_sums(month, group, teams),
        by_employee(month_sums(previous_month(month), group)),
        by_employee(month_sums(month.replace(year=month.year - 1), group)),
        customer_bases(month),
        {(t.employee_id, t.team_id): t.deposit_target for t in targets},
    )


def customer_bases(month: date) -> dict[int, int]:
    """Return each rep's customer base at the month's start: opening base + accounts opened before it."""
    first = weeks_of_month(month.year, month.month)[0]
    opened = dict(WeeklyFigures.objects.filter(week__lt=first).values("employee_id")
                  .annotate(n=Sum("accounts_opened")).values_list("employee_id", "n"))
    bases = dict(CustomerBase.objects.values_list("employee_id", "opening_base"))
    return {e: bases.get(e, 0) + (opened.get(e) or 0) for e in set(bases) | set(opened)}


def by_employee(sums: dict[tuple, dict]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(Decimal)
    for (employee, _team), total in _totals(sums).items():
        out[employee] += total
    return out


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def team_week_rows(month: date, teams: set[int] | None = None) -> list[TeamWeekResult]:
    """Return each team's (or `teams`') week totals and week targets for the month's weeks (two GROUP BYs)."""
    weeks = weeks_of_month(month.year, month.month)
    figures = WeeklyFigures.objects.filter(week__in=weeks)
    week_targets = RepWeekTarget.objects.filter(plan_month__month=month)
    if teams is not None:
        figures, week_targets = figures.filter(team__in=teams), week_targets.filter(team__in=teams)
    actual = {(r["team_id"], r["week"]): r for r in figures
              .values("team_id", "week").annotate(deposits=Sum("new_customer_deposits") + Sum(
                  "existing_customer_deposits"), opened=Sum("accounts_opened"), reps=Count("id"))}
    targets = {(r["team_id"], r["week"]): r["target"] for r in week_targets
               .values("team_id", "week").annotate(target=Sum("deposit_target"))}
    return [TeamWeekResult(team_id=team, week=week, month=month,
                           total_deposits=(actual.get((team, week)) or {}).get("deposits") or 0,
                           accounts_opened=(actual.get((team, week)) or {}).get("opened") or 0,
                           reps_reported=(actual.get((team, week)) or {}).get("reps") or 0,
                           deposit_target=targets.get((team, week)))
            for team, week in sorted(set(actual) | set(targets))]


def _due_weeks(month: date) -> tuple[dict[tuple, int], dict[tuple, int]]:
    """Return the weeks due per (rep, team) and the weeks reported among them (weeks with working days)."""
    weeks = weeks_of_month(month.year, month.month)
    calendar = target_selectors.working_calendar()
    working = {w: calendar.working_days(w, w + timedelta(days=6)) for w in weeks}
    by_rep: dict[int, list] = defaultdict(list)
    for span in target_selectors.membership_spans(*month_span(month.year, month.month)):
        by_rep[span.rep].append(span)
    due = {(rep, team): n for rep, spans in by_rep.items() for team, n in expected_weeks(spans, weeks, working).items()}
    # Figures for a week without working days (the National Day week) do not make up for a due week not reported.
    reported = {(e, t): n for e, t, n in WeeklyFigures.objects.filter(week__in=[w for w in weeks if working[w]])
                .values_list("employee_id", "team_id").annotate(n=Count("id")).order_by()}
    return due, reported


def rep_rows(inputs: MonthInputs, now, teams: set[int] | None = None, *, ranked: bool = True) -> list[RepMonthResult]:
    due, reported_due = _due_weeks(inputs.month)
    keys = set(inputs.rep_sums) | set(inputs.rep_targets) | set(due)
    if teams is not None:
        keys = {(employee, team) for employee, team in keys if team in teams}
    rows = []
    for employee, team in sorted(keys):
        sums = inputs.rep_sums.get((employee, team))
        values = _row_values(sums, inputs.rep_targets.get((employee, team)), inputs.bases.get(employee, 0),
                             inputs.previous.get(employee), inputs.year_ago.get(employee))
        reported = sums["weeks_reported"] if sums else 0
        rows.append(RepMonthResult(month=inputs.month, employee_id=employee, team_id=team, computed_at=now,
                                   weeks_reported=reported,
                                   weeks_missing=max(due.get((employee, team), 0)
                                                     - reported_due.get((employee, team), 0), 0), **values))
    rank_reps(rows, ranked=ranked)
    return rows


def rank_reps(rows: list[RepMonthResult], *, ranked: bool = True) -> None:
    """Rank the month's reps in the company and in their team; a month not started yet (`ranked` False) has no
    ranks."""
    if not ranked:
        for row in rows:
            row.rank_in_company = row.rank_in_team = None
        return
    numbers = dict(Employee.objects.filter(pk__in={r.employee_id for r in rows}).values_list("pk", "employee_number"))

    def order(subset: list[RepMonthResult]) -> list[RepMonthResult]:
        ranked = [r for r in subset if r.attainment is not None]
        return sorted(ranked, key=lambda r: (-r.attainment, -r.total_deposits, numbers[r.employee_id]))

    for i, row in enumerate(order(rows), start=1):
        row.rank_in_company = i
    by_team: dict[int, list] = defaultdict(list)
    for row in rows:
        by_team[row.team_id].append(row)
    for members in by_team.values():
        for i, row in enumerate(order(members), start=1):
            row.rank_in_team = i


def _summed(rows: Iterable[RepMonthResult]) -> dict:
    rows = list(rows)
    return {**{m.code: sum((getattr(r, m.code) for r in rows), Decimal(0)) for m in metrics.ENTERED},
            "weeks_reported": sum(r.weeks_reported for r in rows), "weeks_missing": sum(r.weeks_missing for r in rows)}


def team_rows(month: date, reps: list[RepMonthResult], now, *, ranked: bool = True) -> list[TeamMonthResult]:
    targets = dict(TeamMonthTarget.objects.filter(plan_month__month=month).values_list("team_id", "deposit_target"))
    previous = _by_team(previous_month(month))
    year_ago = _by_team(month.replace(year=month.year - 1))
    by_team: dict[int, list] = defaultdict(list)
    for r in reps:
        by_team[r.team_id].append(r)
    rows = []
    for team in sorted(set(by_team) | set(targets)):
        members = by_team.get(team, [])
        summed = _summed(members)
        base = sum(r.customer_base or 0 for r in members)
        values = _row_values(summed, targets.get(team), base, previous.get(team), year_ago.get(team))
        rows.append(TeamMonthResult(month=month, team_id=team, computed_at=now, weeks_reported=summed["weeks_reported"],
                                    weeks_missing=summed["weeks_missing"], **values))
    if not ranked:
        return rows
    order = sorted((r for r in rows if r.attainment is not None), key=lambda r: (-r.attainment, -r.total_deposits))
    for i, row in enumerate(order, start=1):
        row.rank = i
    return rows


def _by_team(month: date) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(Decimal)
    for (_employee, team), total in _totals(month_sums(month, ("employee_id", "team_id"))).items():
        out[team] += total
    return out


def company_row(month: date, reps: list[RepMonthResult], inputs: MonthInputs, now) -> CompanyMonthResult:
    plan_month = PlanMonth.objects.filter(month=month).first()
    summed = _summed(reps)
    # A rep who moved has a row in each team, with the same base: the company counts their customers once.
    bases = {r.employee_id: r.customer_base or 0 for r in reps}
    values = _row_values(summed, plan_month.deposit_target if plan_month else None, sum(bases.values()),
                         sum(inputs.previous.values(), Decimal(0)) if inputs.previous else None,
                         sum(inputs.year_ago.values(), Decimal(0)) if inputs.year_ago else None)
    return CompanyMonthResult(month=month, computed_at=now, weeks_reported=summed["weeks_reported"],
                              weeks_missing=summed["weeks_missing"], **values)


def place(period: str, first_month: date, months: list[date]) -> None:
    """Replace the period's company ranking and flags from its started `months` (none: the period is not
    ranked yet), then recount every rep's consecutive flags."""
    if not months:
        PeriodPlacing.objects.filter(period=period, first_month=first_month).delete()
        _recount_streaks(period)
        return
    results = RepMonthResult.objects.filter(month__in=months).values("employee_id").annotate(
        deposits=Sum("total_deposits"), target=Sum("deposit_target"))
    people = {e.pk: e for e in Employee.objects.filter(pk__in=[r["employee_id"] for r in results])}
    last = month_span(max(months).year, max(months).month)[1]
    first = month_span(first_month.year, first_month.month)[0]
    candidates = [ranking.Candidate(
        r["employee_id"], people[r["employee_id"]].employee_number,
        attainment(r["deposits"], r["target"]), r["deposits"] or Decimal(0),
        people[r["employee_id"]].hire_date, people[r["employee_id"]].left_on) for r in results]
    result = ranking.rank(candidates, first, last)
    rule = EliminationRule.objects.first() or EliminationRule()
    flagged = set(ranking.bottom(result.placings, count=rule.bottom_count,
                                 percent=None if rule.bottom_count else rule.bottom_percent))
    by_rep = {c.rep: c for c in candidates}
    PeriodPlacing.objects.filter(period=period, first_month=first_month).delete()
    PeriodPlacing.objects.bulk_create(
        [PeriodPlacing(period=period, first_month=first_month, employee_id=p.rep, rank=p.rank,
                       attainment=_rate(p.attainment), total_deposits=p.total_deposits, flagged=p.rep in flagged,
                       on_probation=on_probation(people[p.rep].probation_end, last)) for p in result.placings]
        + [PeriodPlacing(period=period, first_month=first_month, employee_id=rep, excluded=why,
                         attainment=_rate(by_rep[rep].attainment), total_deposits=by_rep[rep].total_deposits,
                         on_probation=on_probation(people[rep].probation_end, last))
           for rep, why in result.excluded.items()])
    _recount_streaks(period)


def _recount_streaks(period: str) -> None:
    placings = list(PeriodPlacing.objects.filter(period=period).order_by("first_month"))
    starts = sorted({p.first_month for p in placings})
    flagged = [{p.employee_id for p in placings if p.first_month == s and p.flagged} for s in starts]
    changed = []
    for i, start in enumerate(starts):
        streaks = ranking.consecutive_flags(flagged[: i + 1])
        for p in placings:
            if p.first_month == start and p.consecutive != streaks.get(p.employee_id, 0):
                p.consecutive = streaks.get(p.employee_id, 0)
                changed.append(p)
    PeriodPlacing.objects.bulk_update(changed, ["consecutive"])
