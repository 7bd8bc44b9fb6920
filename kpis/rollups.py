"""Monthly rollups: weekly figures summed in the database per rep, team and company, derived metrics from
the registry, targets, ranks and bottom-elimination placings. Each month is recomputed in one transaction,
replacing its rows, so a run is idempotent and an interrupted run leaves the previous month intact.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from targets import selectors as target_selectors
from targets.calculations import month_span, week_month, weeks_of_month
from targets.models import PlanMonth, RepMonthTarget, RepWeekTarget, TeamMonthTarget
from teams.models import Employee

from . import metrics, ranking
from .calculations import expected_weeks
from .models import (
    CompanyMonthResult,
    CustomerBase,
    EliminationRule,
    PeriodPlacing,
    RepMonthResult,
    RollupMonth,
    TeamMonthResult,
    TeamWeekResult,
    WeeklyFigures,
)

DERIVED_COLUMNS = ("total_deposits", "customer_growth_rate", "performance_growth_rate", "performance_growth_yoy",
                   "attainment", "close_rate")
PRECISION = Decimal("0.000001")


def _month_sums(month: date, group: tuple[str, ...], teams: set[int] | None = None) -> dict[tuple, dict]:
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


def _customer_bases(month: date) -> dict[int, int]:
    """Return each rep's customer base at the month's start: opening base + accounts opened before it."""
    first = weeks_of_month(month.year, month.month)[0]
    opened = dict(WeeklyFigures.objects.filter(week__lt=first).values("employee_id")
                  .annotate(n=Sum("accounts_opened")).values_list("employee_id", "n"))
    bases = dict(CustomerBase.objects.values_list("employee_id", "opening_base"))
    return {e: bases.get(e, 0) + (opened.get(e) or 0) for e in set(bases) | set(opened)}


def _by_employee(sums: dict[tuple, dict]) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(Decimal)
    for (employee, _team), total in _totals(sums).items():
        out[employee] += total
    return out


def _previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


ROLLUP_LOCK = 0x5A1E5  # the advisory lock key of rollup runs


def _serialise_recomputes() -> None:
    """Make concurrent recomputes take turns until the end of the transaction.

    A month's run replaces its rows and its phase's placings and recounts streaks over every period;
    two runs at once would collide on the unique keys. Runs are short, so one at a time is enough.
    SQLite (the embedded default) already runs one writing transaction at a time.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])


def recompute_month(month: date) -> None:
    """Replace the month's rollups and placings with ones computed from the weekly figures now stored."""
    month = month.replace(day=1)
    with transaction.atomic():
        _serialise_recomputes()
        group = ("employee_id", "team_id")
        inputs = MonthInputs(
            month, _month_sums(month, group),
            _by_employee(_month_sums(_previous_month(month), group)),
            _by_employee(_month_sums(month.replace(year=month.year - 1), group)),
            _customer_bases(month),
            {(t.employee_id, t.team_id): t.deposit_target
             for t in RepMonthTarget.objects.filter(plan_month__month=month)},
        )
        now = timezone.now()
        rep_rows = _rep_rows(inputs, now)
        team_rows = _team_rows(month, rep_rows, now)
        company = _company_row(month, rep_rows, inputs, now)
        week_rows = _team_week_rows(month)
        TeamWeekResult.objects.filter(month=month).delete()
        TeamWeekResult.objects.bulk_create(week_rows)
        RepMonthResult.objects.filter(month=month).delete()
        TeamMonthResult.objects.filter(month=month).delete()
        CompanyMonthResult.objects.filter(month=month).delete()
        RepMonthResult.objects.bulk_create(rep_rows)
        TeamMonthResult.objects.bulk_create(team_rows)
        CompanyMonthResult.objects.bulk_create([company])
        _place_month_and_phase(month)


def _place_month_and_phase(month: date) -> None:
    """Replace the company rankings of the month and of its phase."""
    _place(PeriodPlacing.Period.MONTH, month, [month])
    plan_month = PlanMonth.objects.filter(month=month).select_related("phase").first()
    if plan_month is not None:
        phase_months = list(plan_month.phase.months.values_list("month", flat=True))
        _place(PeriodPlacing.Period.PHASE, min(phase_months), phase_months)


def recompute_teams(month: date, teams: set[int]) -> None:
    """Recompute a month after only these teams' weekly figures changed: rewrite their rep, team and week rows,
    re-rank everyone else in place, and replace the company row and the placings (they span all teams).

    Produces the same rows as recompute_month; other teams' rows keep their ids and computed_at.
    """
    month = month.replace(day=1)
    with transaction.atomic():
        _serialise_recomputes()
        group = ("employee_id", "team_id")
        inputs = MonthInputs(
            month, _month_sums(month, group, teams),
            _by_employee(_month_sums(_previous_month(month), group)),
            _by_employee(_month_sums(month.replace(year=month.year - 1), group)),
            _customer_bases(month),
            {(t.employee_id, t.team_id): t.deposit_target
             for t in RepMonthTarget.objects.filter(plan_month__month=month, team__in=teams)},
        )
        now = timezone.now()
        fresh = _rep_rows(inputs, now, teams)
        kept = list(RepMonthResult.objects.filter(month=month).exclude(team__in=teams))
        before = {r.pk: r.rank_in_company for r in kept}
        _rank_reps(kept + fresh)
        RepMonthResult.objects.bulk_update([r for r in kept if r.rank_in_company != before[r.pk]],
                                           ["rank_in_company"])
        RepMonthResult.objects.filter(month=month, team__in=teams).delete()
        RepMonthResult.objects.bulk_create(fresh)
        kept_teams = {r.team_id: r for r in TeamMonthResult.objects.filter(month=month).exclude(team__in=teams)}
        all_teams = _team_rows(month, kept + fresh, now)
        TeamMonthResult.objects.filter(month=month, team__in=teams).delete()
        TeamMonthResult.objects.bulk_create([r for r in all_teams if r.team_id not in kept_teams])
        moved = []
        for row in all_teams:
            old = kept_teams.get(row.team_id)
            if old is not None and old.rank != row.rank:
                old.rank = row.rank
                moved.append(old)
        TeamMonthResult.objects.bulk_update(moved, ["rank"])
        CompanyMonthResult.objects.filter(month=month).delete()
        CompanyMonthResult.objects.bulk_create([_company_row(month, kept + fresh, inputs, now)])
        TeamWeekResult.objects.filter(month=month, team__in=teams).delete()
        TeamWeekResult.objects.bulk_create(_team_week_rows(month, teams))
        _place_month_and_phase(month)


def _team_week_rows(month: date, teams: set[int] | None = None) -> list[TeamWeekResult]:
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


def _rep_rows(inputs: MonthInputs, now, teams: set[int] | None = None) -> list[RepMonthResult]:
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
    _rank_reps(rows)
    return rows


def _rank_reps(rows: list[RepMonthResult]) -> None:
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


def _team_rows(month: date, reps: list[RepMonthResult], now) -> list[TeamMonthResult]:
    targets = dict(TeamMonthTarget.objects.filter(plan_month__month=month).values_list("team_id", "deposit_target"))
    previous = _by_team(_previous_month(month))
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
    ranked = sorted((r for r in rows if r.attainment is not None), key=lambda r: (-r.attainment, -r.total_deposits))
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    return rows


def _by_team(month: date) -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(Decimal)
    for (_employee, team), total in _totals(_month_sums(month, ("employee_id", "team_id"))).items():
        out[team] += total
    return out


def _company_row(month: date, reps: list[RepMonthResult], inputs: MonthInputs, now) -> CompanyMonthResult:
    plan_month = PlanMonth.objects.filter(month=month).first()
    summed = _summed(reps)
    values = _row_values(summed, plan_month.deposit_target if plan_month else None,
                         sum(r.customer_base or 0 for r in reps),
                         sum(inputs.previous.values(), Decimal(0)) if inputs.previous else None,
                         sum(inputs.year_ago.values(), Decimal(0)) if inputs.year_ago else None)
    return CompanyMonthResult(month=month, computed_at=now, weeks_reported=summed["weeks_reported"],
                              weeks_missing=summed["weeks_missing"], **values)


def _place(period: str, first_month: date, months: list[date]) -> None:
    """Replace the period's company ranking and flags, then recount every rep's consecutive flags."""
    results = RepMonthResult.objects.filter(month__in=months).values("employee_id").annotate(
        deposits=Sum("total_deposits"), target=Sum("deposit_target"))
    people = {e.pk: e for e in Employee.objects.filter(pk__in=[r["employee_id"] for r in results])}
    last = month_span(max(months).year, max(months).month)[1]
    first = month_span(first_month.year, first_month.month)[0]
    candidates = [ranking.Candidate(
        r["employee_id"], people[r["employee_id"]].employee_number,
        (r["deposits"] / r["target"]) if r["target"] else None, r["deposits"] or Decimal(0),
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
                       on_probation=people[p.rep].probation_end >= last) for p in result.placings]
        + [PeriodPlacing(period=period, first_month=first_month, employee_id=rep, excluded=why,
                         attainment=_rate(by_rep[rep].attainment), total_deposits=by_rep[rep].total_deposits,
                         on_probation=people[rep].probation_end >= last) for rep, why in result.excluded.items()])
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


def months_stale(months: Iterable[date]) -> None:
    """Hook for teams/targets changes: from the first changed month on, every plan month or month with
    results goes stale (later months compare with earlier ones, so they may change too)."""
    first = min(months, default=None)
    if first is None:
        return
    known = set(PlanMonth.objects.filter(month__gte=first).values_list("month", flat=True))
    known |= set(RollupMonth.objects.filter(month__gte=first).values_list("month", flat=True))
    if known:
        rollups_request(known)


def rollups_request(months: Iterable[date], teams: Iterable[int] | None = None) -> None:
    """Mark the months stale and queue one recompute after the current transaction commits.

    With `teams`, only those teams' weekly figures changed: the run can rewrite just their rows.
    """
    now, months = timezone.now(), {m.replace(day=1) for m in months}
    RollupMonth.objects.bulk_create([RollupMonth(month=m) for m in months], ignore_conflicts=True)
    _note_stale_teams(months, None if teams is None else set(teams))
    # Always later than what the row holds, so the request differs from whatever a running recompute read and
    # stays pending after it (see _mark_computed), even when this transaction's clock reading is older.
    tick = timedelta(microseconds=1)
    RollupMonth.objects.filter(month__in=months).update(requested_at=Greatest(
        Value(now), Coalesce(F("requested_at") + tick, Value(now)), Coalesce(F("computed_at") + tick, Value(now))))
    # Many saves in one transaction queue one run: the run takes every stale month anyway.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _send_recompute for _, callback, *_ in pending):
        # robust: the saved figures are committed whatever happens to the recompute (it is retried nightly)
        transaction.on_commit(_send_recompute, robust=True)


def _note_stale_teams(months: set[date], teams: set[int] | None) -> None:
    """Widen each month's pending scope: the union of the teams asked for, or the whole month (None)."""
    for state in RollupMonth.objects.select_for_update().filter(month__in=months):
        if teams is None or state.computed_at is None:
            scope = None  # a month never computed has no rows of other teams to keep
        elif not state.pending:
            scope = sorted(teams)
        elif state.stale_teams is None:
            scope = None  # the whole month is already due
        else:
            scope = sorted(teams | set(state.stale_teams))
        if scope != state.stale_teams:
            state.stale_teams = scope
            state.save(update_fields=["stale_teams"])


def _send_recompute() -> None:
    from .tasks import recompute_pending_rollups  # the tasks module imports this one

    recompute_pending_rollups.delay()


def recompute_pending() -> list[date]:
    """Recompute every stale month; a month changed again during its run stays stale for the next run."""
    done = []
    stale = RollupMonth.objects.filter(requested_at__isnull=False).filter(
        Q(computed_at__isnull=True) | Q(requested_at__gt=F("computed_at")))
    for state in stale:
        started = timezone.now()
        if state.stale_teams:
            recompute_teams(state.month, set(state.stale_teams))
        else:
            recompute_month(state.month)
        _mark_computed(state.month, state, started)
        done.append(state.month)
    return done


def _mark_computed(month: date, state: RollupMonth | None, started) -> None:
    """Record the month as computed at `started`, unless it was requested again since `state` was read.

    A save stamps its month inside its own transaction, so a run may start after the stamp and still read the
    figures without the save's (not yet committed) rows: only the request the run read counts as done.
    """
    if state is None:
        RollupMonth.objects.bulk_create([RollupMonth(month=month, computed_at=started)], ignore_conflicts=True)
    else:
        RollupMonth.objects.filter(pk=state.pk, requested_at=state.requested_at).update(computed_at=started)


def recompute_all(months: Iterable[date] | None = None) -> list[date]:
    """Recompute the given months (every month with figures or targets by default); return them."""
    if months is None:
        weeks = WeeklyFigures.objects.values_list("week", flat=True).distinct()
        months = sorted(set(PlanMonth.objects.values_list("month", flat=True))
                        | {date(*week_month(w), 1) for w in weeks})
    done = []
    for month in months:
        state = RollupMonth.objects.filter(month=month.replace(day=1)).first()
        started = timezone.now()
        recompute_month(month)
        _mark_computed(month.replace(day=1), state, started)
        done.append(month)
    return done
