"""Reads for the dashboards, from the rollups only and in a fixed number of queries whatever the data size.

A period is a month, a phase or (by default) the plan year to date. Growth compares a period with the
period of the same length just before it (环比) and with the same months a year earlier (同比).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from kpis import metrics
from kpis.calculations import attainment
from kpis.results.calculations import Pace, pace
from kpis.results.models import CompanyMonthResult, PeriodPlacing, RepMonthResult, TeamMonthResult, TeamWeekResult
from kpis.results.selectors import Freshness, freshness, rep_months  # noqa: F401 (the pages read them from here)
from targets import selectors as target_selectors
from targets.calculations import month_of_week
from targets.models import Phase, PlanMonth, PlanYear
from teams import access
from teams.access import Principal
from teams.models import Team


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows, as the URL keeps it: plan, and optionally a phase, a month and a team."""

    plan: PlanYear
    phase: Phase | None = None
    month: PlanMonth | None = None
    team: Team | None = None


@dataclass
class Period:
    months: list[date]
    label_kind: str  # "month", "phase" or "year"


@dataclass
class MonthBar:
    month: date
    target: int
    actual: Decimal
    cumulative_target: int
    cumulative_actual: Decimal | None  # None after the as-of month: the line stops there


@dataclass
class Tile:
    metric: metrics.Metric
    value: Decimal | None
    previous: Decimal | None
    year_ago: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return _change(self.value, self.previous)

    @property
    def change_yoy(self) -> Decimal | None:
        return _change(self.value, self.year_ago)


def _change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or before is None or before == 0:
        return None
    return (now - before) / abs(before)


@dataclass
class TeamLine:
    team: Team
    target: int
    actual: Decimal
    accounts_opened: Decimal
    trend: list[Decimal]

    @property
    def attainment(self) -> Decimal | None:
        return attainment(self.actual, self.target)


@dataclass
class PhaseBar:
    phase: Phase
    target: int
    actual: Decimal
    started: bool = True

    @property
    def attainment(self) -> Decimal | None:
        return attainment(self.actual, self.target)


@dataclass
class Dashboard:
    filters: Filters
    as_of: date
    as_of_month: date
    period: Period
    year_target: int
    actual_to_date: Decimal
    year_pace: Pace
    phases: list[PhaseBar]
    months: list[MonthBar]
    tiles: list[Tile]
    teams: list[TeamLine]
    reps: list[RepMonthResult] = field(default_factory=list)
    bottom: list[PeriodPlacing] = field(default_factory=list)
    ranking_month: date | None = None
    paces: list[tuple[str, Pace]] = field(default_factory=list)  # the as-of month, its phase and the year
    excluded: list[PeriodPlacing] = field(default_factory=list)
    freshness: Freshness | None = None

    @property
    def attainment_to_date(self) -> Decimal | None:
        return attainment(self.actual_to_date, self.year_target)

    @property
    def has_figures(self) -> bool:
        return any(m.actual for m in self.months)


def _period(filters: Filters, months: list[PlanMonth], as_of_month: date) -> Period:
    if filters.month is not None:
        return Period([filters.month.month], "month")
    if filters.phase is not None:
        return Period([m.month for m in months if m.phase_id == filters.phase.pk], "phase")
    to_date = [m.month for m in months if m.month <= as_of_month] or [months[0].month]
    return Period(to_date, "year")


def _shift(months: list[date], by: int) -> list[date]:
    def move(m: date) -> date:
        index = m.year * 12 + m.month - 1 + by
        return date(index // 12, index % 12 + 1, 1)
    return [move(m) for m in months]


def _results(filters: Filters, months: set[date]) -> QuerySet:
    """Return the month results of the whole company, or of the filtered team."""
    if filters.team is not None:
        return TeamMonthResult.objects.filter(team=filters.team, month__in=months)
    return CompanyMonthResult.objects.filter(month__in=months)


def _tiles(rows: dict[date, object], period: list[date]) -> list[Tile]:
    def figures(months: list[date]) -> metrics.PeriodFigures | None:
        chosen = [rows[m] for m in months if m in rows]
        if not chosen:
            return None
        values = {m.code: sum((getattr(r, m.code) for r in chosen), Decimal(0)) for m in metrics.ENTERED}
        targets = [r.deposit_target for r in chosen if r.deposit_target is not None]
        first = min(chosen, key=lambda r: r.month)
        return metrics.PeriodFigures(values, sum(targets) if targets else None, first.customer_base)

    def total(p: metrics.PeriodFigures | None) -> Decimal | None:
        return None if p is None else p.values["new_customer_deposits"] + p.values["existing_customer_deposits"]

    def with_context(now: metrics.PeriodFigures | None, before, year_ago) -> dict:
        if now is None:
            return {}
        full = metrics.PeriodFigures(now.values, now.target, now.customer_base, total(before), total(year_ago))
        return {**full.values, **metrics.derive(full)}

    length = len(period)
    now, before, year_ago = figures(period), figures(_shift(period, -length)), figures(_shift(period, -12))
    values = with_context(now, before, year_ago)
    previous = with_context(before, figures(_shift(period, -2 * length)), None)
    last_year = with_context(year_ago, None, None)
    return [Tile(m, values.get(m.code), previous.get(m.code), last_year.get(m.code)) for m in metrics.REGISTRY]


def director(p: Principal, filters: Filters, as_of: date) -> Dashboard:
    """Return the plan against actuals for the company (or one team) at `as_of`, read from the rollups.

    Queries: plan months, phases, month results (this year, a year before and the comparison periods),
    team month results, team week results, calendar, placings, rollup states, visible teams: nine, whatever
    the number of reps or weeks.
    """
    plan = filters.plan
    months = list(plan.months.order_by("month"))
    phases = list(plan.phases.order_by("number"))
    as_of_month = month_of_week(as_of)
    period = _period(filters, months, as_of_month)
    wanted = {m.month for m in months} | set(_shift([m.month for m in months], -12))
    wanted |= set(_shift(period.months, -len(period.months))) | set(_shift(period.months, -2 * len(period.months)))
    rows = {r.month: r for r in _results(filters, wanted)}
    team_rows = list(access.scope_rows(p, TeamMonthResult.objects.filter(month__in=[m.month for m in months]),
                                       employee_field=None).select_related("team"))
    weeks = TeamWeekResult.objects.filter(month__in=[m.month for m in months])
    if filters.team is not None:
        weeks = weeks.filter(team=filters.team)
    weekly_targets: dict[date, int] = defaultdict(int)
    actuals: dict[date, Decimal] = defaultdict(Decimal)
    for w in weeks:
        weekly_targets[w.week] += w.deposit_target or 0
        if w.reps_reported:
            actuals[w.week] += w.total_deposits
    calendar = target_selectors.working_calendar()
    year_pace = pace(weekly_targets=weekly_targets, actuals=actuals, as_of=as_of, calendar=calendar)
    as_of_phase = next((m.phase_id for m in months if m.month == month_of_week(as_of)), None)
    phase_months = {m.month for m in months if m.phase_id == as_of_phase}

    def pace_of(keep) -> Pace:
        weeks = {w: t for w, t in weekly_targets.items() if keep(month_of_week(w))}
        return pace(weekly_targets=weeks, actuals={w: a for w, a in actuals.items() if w in weeks}, as_of=as_of,
                    calendar=calendar)

    period_paces = [("month", pace_of(lambda m: m == month_of_week(as_of))),
                    ("phase", pace_of(lambda m: m in phase_months)), ("year", year_pace)]
    targets = {m.month: m.deposit_target for m in months}
    if filters.team is not None:
        targets = {r.month: r.deposit_target or 0 for r in team_rows if r.team_id == filters.team.pk}
    bars, cum_target, cum_actual = [], 0, Decimal(0)
    for m in months:
        actual = rows[m.month].total_deposits if m.month in rows else Decimal(0)
        cum_target += targets.get(m.month, 0)
        cum_actual += actual
        bars.append(MonthBar(m.month, targets.get(m.month, 0), actual, cum_target,
                             cum_actual if m.month <= as_of_month else None))
    reported = [m for m, r in rows.items() if r.weeks_reported and m <= as_of_month and m in targets]
    latest = max(reported, default=as_of_month)  # the year's ranking shows the latest month with figures
    phase_bars = []
    for p in phases:
        own = [b for b, pm in zip(bars, months, strict=True) if pm.phase_id == p.pk]
        phase_bars.append(PhaseBar(p, sum(b.target for b in own), sum((b.actual for b in own), Decimal(0)),
                                   started=own[0].month <= as_of_month if own else False))
    return Dashboard(
        filters, as_of, as_of_month, period, sum(targets.values()),
        sum((b.actual for b in bars if b.month <= as_of_month), Decimal(0)), year_pace, phase_bars, bars,
        _tiles(rows, period.months), _leaderboard(team_rows, period.months, as_of_month),
        bottom=_placings(period, latest, flagged=True), excluded=_placings(period, latest, flagged=False),
        freshness=freshness([m.month for m in months]),
        ranking_month=latest if period.label_kind == "year" else None, paces=period_paces,
    )


def _leaderboard(team_rows: list[TeamMonthResult], period: list[date], as_of_month: date) -> list[TeamLine]:
    by_team: dict[int, list[TeamMonthResult]] = defaultdict(list)
    for r in team_rows:
        by_team[r.team_id].append(r)
    lines = []
    for rows in by_team.values():
        chosen = [r for r in rows if r.month in period]
        trend = [r.total_deposits for r in sorted(rows, key=lambda r: r.month)
                 if r.month <= as_of_month and r.weeks_reported]
        lines.append(TeamLine(rows[0].team, sum(r.deposit_target or 0 for r in chosen),
                              sum((r.total_deposits for r in chosen), Decimal(0)),
                              sum((r.accounts_opened for r in chosen), Decimal(0)), trend))
    return sorted(lines, key=lambda t: (t.attainment is None, -(t.attainment or 0), -t.actual))


def _placings(period: Period, latest: date, *, flagged: bool) -> list[PeriodPlacing]:
    """Return the bottom-flagged reps (or those left out of the ranking) of the period's month or phase;
    for the year, of the latest month with figures."""
    if period.label_kind == "year":
        kind, first = PeriodPlacing.Period.MONTH, latest
    else:
        kind, first = PeriodPlacing.Period(period.label_kind), min(period.months)
    rows = PeriodPlacing.objects.filter(period=kind, first_month=first).select_related("employee")
    rows = rows.filter(flagged=True) if flagged else rows.exclude(excluded="")
    return list(rows.order_by("rank", "employee__employee_number"))


def team_reps(p: Principal, team: Team, period: list[date]) -> list[dict]:
    """Return each rep's results in the team over the period the principal may see, best first (one query)."""
    rows = access.scope_rows(p, RepMonthResult.objects.filter(team=team, month__in=period)).select_related("employee")
    by_rep: dict[int, dict] = {}
    for r in rows:
        line = by_rep.setdefault(r.employee_id, {"employee": r.employee, "target": 0, "actual": Decimal(0),
                                                 "accounts_opened": Decimal(0), "weeks_missing": 0, "rank": None})
        line["target"] += r.deposit_target or 0
        line["actual"] += r.total_deposits
        line["accounts_opened"] += r.accounts_opened
        line["weeks_missing"] += r.weeks_missing
        if len(period) == 1:
            line["rank"] = r.rank_in_team
    lines = list(by_rep.values())
    for line in lines:
        line["attainment"] = attainment(line["actual"], line["target"])
    return sorted(lines, key=lambda x: (x["attainment"] is None, -(x["attainment"] or 0), -x["actual"]))


def entered_metrics() -> tuple[metrics.Metric, ...]:
    """Return the entered metrics as the registry holds them now (tests may add one)."""
    return metrics.ENTERED
