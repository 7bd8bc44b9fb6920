"""Monthly rollups: when and for whom they are rebuilt (statements.py computes the rows in SQL), and the
elimination rule.

Each month (or, after a save, each changed team's part of it) is recomputed in one transaction, replacing
its rows, so a run is idempotent and an interrupted run leaves the previous rows intact. Saves and changes
mark months stale and queue one sweep after commit (sweep.py takes the months in order, one run per month at
a time); beat sweeps every 30 s and recomputes everything nightly.
"""

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from targets.calculations import month_of_week
from targets.models import PlanMonth
from teams import access, clock, inputs
from teams.errors import DomainError
from teams.models import User

from ..models import WeeklyFigures
from . import bands, placing_statements, statements
from .calculations import month_started
from .dependencies import months_invalidated
from .models import (
    EliminationRule,
    PeriodPlacing,
    RollupMonth,
)
from .sweep import stale_months

logger = logging.getLogger(__name__)

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


def recompute_month(month: date, *, place_phase: bool = True) -> None:
    """Replace the month's rollups and placings with ones computed from the weekly figures now stored.

    Without `place_phase` the phase's placing is left to a run of a later month of the phase that follows."""
    month = month.replace(day=1)
    with transaction.atomic():
        _serialise_recomputes()
        statements.prepare()
        now, as_of = timezone.now(), clock.today()
        ranked = month_started(month, as_of)
        statements.delete_rows(month)
        statements.rep_rows(month, now, ranked=ranked)
        statements.team_rows(month, now, ranked=ranked)
        statements.company_row(month, now)
        statements.team_week_rows(month)
        _place_month_and_phase(month, as_of, place_phase=place_phase)


def _place_month_and_phase(month: date, as_of: date, teams: set[int] | None = None, *,
                           place_phase: bool = True) -> None:
    """Replace the company rankings of the month and of its phase; only months begun by `as_of` count. With
    `teams`, only those teams' rows of the month changed.

    Without `place_phase`, a run of a later month of the phase follows and places it (see phase_placed_later)."""
    placing_statements.place(PeriodPlacing.Period.MONTH, month, [month] if month_started(month, as_of) else [], teams)
    plan_month = PlanMonth.objects.filter(month=month).select_related("phase").first()
    if plan_month is None or not place_phase:
        return
    phase_months = list(plan_month.phase.months.values_list("month", flat=True))
    placing_statements.place(PeriodPlacing.Period.PHASE, min(phase_months),
                             sorted(m for m in phase_months if month_started(m, as_of)), teams)


def phase_placed_later(month: date) -> bool:
    """Return whether a later month of the month's phase is stale whole, so that its run (after this month's: a
    sweep takes months in order) places the phase again, from this month's new rows too, for every team.

    The phase's placing sums every begun month of the phase: placed once, by the last month due, it is not
    recomputed for each of them (bench/README.md)."""
    later = PlanMonth.objects.filter(phase__months__month=month.replace(day=1), month__gt=month)
    return stale_months().filter(month__in=later.values("month"), stale_teams__isnull=True).exists()


def recompute_teams(month: date, teams: set[int], *, place_phase: bool = True) -> None:
    """Recompute a month after only these teams' weekly figures changed: rewrite their rep, team and week rows,
    re-rank everyone else in place, and replace the company row and the placings (they span all teams).

    Produces the same rows as recompute_month; other teams' rows keep their ids and computed_at. `place_phase`
    as for recompute_month.
    """
    month = month.replace(day=1)
    with transaction.atomic():
        _serialise_recomputes()
        statements.prepare()
        now, as_of = timezone.now(), clock.today()
        ranked = month_started(month, as_of)
        re_rank = ranked and bands.ranked_before(month)  # the old ranks, read before the rows are rewritten
        statements.delete_rows(month, teams=teams)
        statements.rep_rows(month, now, teams=teams, ranked=ranked, re_rank=re_rank)
        if not re_rank:
            bands.rank_all_reps(month, ranked=ranked)
        statements.team_rows(month, now, teams=teams, ranked=ranked)
        bands.rank_teams(month, ranked=ranked)
        statements.company_row(month, now)
        statements.team_week_rows(month, teams=teams)
        _place_month_and_phase(month, as_of, teams, place_phase=place_phase)


def _known_months(since: date | None = None) -> set[date]:
    """Return the months that have a plan or results (from `since` on, if given)."""
    plan, results = PlanMonth.objects.all(), RollupMonth.objects.all()
    if since is not None:
        plan, results = plan.filter(month__gte=since), results.filter(month__gte=since)
    return set(plan.values_list("month", flat=True)) | set(results.values_list("month", flat=True))


def months_stale(months: Iterable[date]) -> None:
    """Hook for teams/targets changes: the changed months, whole, and every month that reads them go stale, of
    the months with a plan or results (a membership that starts in 2016 makes no 2016 rollups)."""
    months = {m.replace(day=1) for m in months}
    if not months:
        return
    known = _known_months(min(months))
    stale = set(months_invalidated(months, known)) & known
    if stale:
        rollups_request(stale)


def weeks_stale(days: Iterable[date]) -> None:
    """Hook for membership changes: the months the weeks holding these days count in, and what reads them."""
    months_stale({month_of_week(day) for day in days})


def every_month_stale() -> None:
    """Mark every month with a plan or results stale: an opening customer base or the elimination rule is an
    input of each of them."""
    known = _known_months()
    if known:
        rollups_request(known)


def rollups_request(months: Iterable[date], teams: Iterable[int] | None = None) -> None:
    """Mark the changed months and every month that reads them (dependencies.py) stale, and queue one recompute
    after the current transaction commits.

    With `teams`, only those teams' weekly figures changed: the run can rewrite just their rows of the changed
    months. The later months that read them are recomputed whole: their growth and customer bases (company's
    and movers') span teams.
    """
    now, changed = timezone.now(), {m.replace(day=1) for m in months}
    if not changed:
        return
    months = set(months_invalidated(changed, _known_months(min(changed))))
    RollupMonth.objects.bulk_create([RollupMonth(month=m) for m in months], ignore_conflicts=True)
    _note_stale_teams(changed, None if teams is None else set(teams))
    RollupMonth.objects.filter(month__in=months - changed, stale_teams__isnull=False).update(stale_teams=None)
    # Always later than what the row holds, so the request differs from whatever a running recompute read and
    # stays pending after it (see _mark_computed), even when this transaction's clock reading is older.
    tick = timedelta(microseconds=1)
    RollupMonth.objects.filter(month__in=months).update(requested_at=Greatest(
        Value(now), Coalesce(F("requested_at") + tick, Value(now)), Coalesce(F("computed_at") + tick, Value(now))),
        stale_since=Coalesce(F("stale_since"), Value(now)))
    # Many saves in one transaction queue one run: the run takes every stale month anyway.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _send_recompute for _, callback, *_ in pending):
        # robust: the saved figures are committed whatever happens to the recompute (the sweep catches up)
        transaction.on_commit(_send_recompute, robust=True)


@transaction.atomic
def rollups_retry_now(months: Iterable[date]) -> None:
    """Queue a recompute of these months, and of those that read them, that may start at once (the admin's action:
    a failed month's back-off is skipped)."""
    months = {m.replace(day=1) for m in months}
    rollups_request(months)
    RollupMonth.objects.filter(month__in=months).update(retry_at=None)


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

    try:
        recompute_pending_rollups.delay()
    except Exception as error:  # the broker is away (kombu's errors vary by transport): say so in one line
        logger.warning("Rollups marked stale, but their recompute could not be queued (%s: %s); the stale months "
                       "keep their previous figures until the sweep recomputes them, once the broker answers.",
                       type(error).__name__, error)


def recompute_pending() -> list[date]:
    """Recompute the stale months, in month order, that no other run holds (sweep.py); return them."""
    from .sweep import sweep  # the sweep calls this module's recompute functions

    return sweep()


def _mark_computed(month: date, state: RollupMonth | None, started) -> None:
    """Record the month as computed at `started`, unless it was requested again since `state` was read.

    A save stamps its month inside its own transaction, so a run may start after the stamp and still read the
    figures without the save's (not yet committed) rows: only the request the run read counts as done.
    """
    if state is None:
        RollupMonth.objects.bulk_create([RollupMonth(month=month, computed_at=started)], ignore_conflicts=True)
    else:
        RollupMonth.objects.filter(pk=state.pk, requested_at=state.requested_at).update(computed_at=started,
                                                                                        stale_since=None)


def recompute_all(months: Iterable[date] | None = None) -> list[date]:
    """Recompute the given months (every month with figures or targets by default); return them."""
    if months is None:
        weeks = WeeklyFigures.objects.values_list("week", flat=True).distinct()
        months = sorted(set(PlanMonth.objects.values_list("month", flat=True))
                        | {month_of_week(w) for w in weeks})
    months = list(months)
    phases = [_phases_of(months).get(m.replace(day=1)) for m in months]
    done = []
    for n, month in enumerate(months):
        state = RollupMonth.objects.filter(month=month.replace(day=1)).first()
        started = timezone.now()
        # a later month of the same phase in this run places the phase (from this month's rows too)
        recompute_month(month, place_phase=phases[n] is None or phases[n] not in phases[n + 1:])
        _mark_computed(month.replace(day=1), state, started)
        done.append(month)
    return done


def _phases_of(months: Iterable[date]) -> dict[date, int]:
    """Return each planned month's phase id."""
    return dict(PlanMonth.objects.filter(month__in=[m.replace(day=1) for m in months])
                .values_list("month", "phase_id"))


@transaction.atomic
def elimination_rule_set(*, bottom_count: object, bottom_percent: object, warn_after: object, by: User) -> None:
    """Replace the bottom-elimination rule (bottom N reps, or else bottom X %) and queue new rankings."""
    if not access.may_edit_plan(access.principal_of(by)):
        raise DomainError(_("Only the sales director sets the bottom-elimination rule."))
    count = _bounded(inputs.count, bottom_count, "bottom_count", blank=None)
    warn = _bounded(inputs.count, warn_after, "warn_after", blank=0)
    percent = _bounded(inputs.decimal, bottom_percent, "bottom_percent", maximum=Decimal(100),
                       percent="plain") or Decimal(0)
    count = count or None  # "bottom 0 reps" is no count: the percentage decides (a count wins over it)
    if count is None and percent == 0:
        raise DomainError(_("Give a number of reps or a percentage above zero."), field="bottom_count")
    if warn < 1:
        raise DomainError(_("At least one period."), field="warn_after")
    rule = EliminationRule.objects.select_for_update().first() or EliminationRule()
    rule.bottom_count, rule.bottom_percent, rule.warn_after = count, percent.quantize(Decimal("0.01")), warn
    rule.changed_by, rule.changed_at = by, timezone.now()
    fields = ["bottom_count", "bottom_percent", "warn_after", "changed_by", "changed_at"]
    rule.save(update_fields=fields if rule.pk else None)
    every_month_stale()  # the flags and streaks of every month follow the rule


def _bounded(parse, value: object, name: str, **options) -> object:
    """Return the rule's value parsed within its column (a smallint: at most 32,767), or refuse naming the field."""
    try:
        return parse(value, EliminationRule._meta.get_field(name), **options)
    except inputs.InputError as error:
        raise DomainError(error.message, field=name) from None
