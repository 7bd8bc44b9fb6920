"""A period's company ranking in the database (PeriodPlacing, a month's or a phase's): ranks and bottom flags by
window functions over the rep rows statements.py wrote, exclusions (joined late, left early, no target), and
streaks continued from the period before's placing rather than recounted."""

from datetime import date

from django.db import connection

from kpis import metrics
from kpis.formulas import rate_order
from targets.calculations import month_span

from .models import EliminationRule
from .statements import T, _in, _of_teams, _run


def _bottom_size(rule: EliminationRule) -> str:
    """SQL of how many of the `n` ranked reps the rule flags: bottom N, or else the bottom X % rounded up."""
    if rule.bottom_count is not None:
        return f"CASE WHEN {int(rule.bottom_count)} < n THEN {int(rule.bottom_count)} ELSE n END"
    hundredths = int(rule.bottom_percent * 100)
    return f"((n * {hundredths} + 9999) / 10000)"


def place(period: str, first_month: date, months: list[date], teams: set[int] | None = None) -> int:
    """Replace the period's company ranking and flags from its begun `months` (none: the period is not ranked);
    a streak continues the rep's placing in the period before (the latest earlier one with placings).

    Rows that stay the same are not written: after one team's save most placings keep their values. With
    `teams`, only those teams' rows changed, so only their reps' placings can have gone."""
    if months:
        in_months, month_params = _in(months)
        only, only_params = _of_teams(
            teams, f"employee_id IN (SELECT employee_id FROM {T['membership']} WHERE team_id IN {{teams}})")
        _run(f"DELETE FROM {T['placing']} WHERE period = %s AND first_month = %s{only} AND NOT EXISTS ("
             f"SELECT 1 FROM {T['rep']} r WHERE r.month IN {in_months} "
             f"AND r.employee_id = {T['placing']}.employee_id)", [period, first_month, *only_params, *month_params])
    else:
        _run(f"DELETE FROM {T['placing']} WHERE period = %s AND first_month = %s", [period, first_month])
    placed = _placings(period, first_month, months) if months else 0
    _carry_streaks(period, first_month)
    return placed


def _carry_streaks(period: str, changed: date) -> None:
    """Carry the streaks on to the later periods already placed, as far as they change: a run of an earlier
    month may come after a later month's."""
    following = changed
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN(first_month) FROM {T['placing']} WHERE period = %s AND first_month > %s",
                           [period, following])
            following = cursor.fetchone()[0]
        if following is None:
            return
        moved = _run(f"""
UPDATE {T['placing']} SET consecutive = carried.streak
FROM (SELECT p.id, CASE WHEN p.flagged THEN COALESCE(({_streak_before('p')}), 0) + 1 ELSE 0 END AS streak
      FROM {T['placing']} p WHERE p.period = %s AND p.first_month = %s) carried
WHERE {T['placing']}.id = carried.id AND {T['placing']}.consecutive <> carried.streak""",
                     [period, _period_before(period, following), period, following])
        if not moved:
            return  # the later streaks read this period's, which did not move


def _placings(period: str, first_month: date, months: list[date]) -> int:
    first, last = month_span(first_month.year, first_month.month)[0], month_span(max(months).year,
                                                                                  max(months).month)[1]
    middle = first + (last - first) / 2
    rule = EliminationRule.objects.first() or EliminationRule()
    in_months, month_params = _in(months)
    formula = metrics.BY_CODE["attainment"].formula
    summed = {"total_deposits": "SUM(total_deposits)", "target": "SUM(deposit_target)"}.get
    # the operands in whole units once a row (see statements._derived)
    wholes = ", ".join(f"{t.whole(summed)} AS whole_{t.name}" for t in formula.operands)
    attainment = formula.sql(str, lambda t: f"r.whole_{t.name}")
    sql = f"""
WITH r AS MATERIALIZED (
  SELECT employee_id, SUM(total_deposits) AS deposits, SUM(deposit_target) AS target, {wholes} FROM {T['rep']}
  WHERE month IN {in_months} GROUP BY employee_id),
c AS (
  SELECT r.employee_id, r.deposits, e.employee_number, e.probation_end, {attainment} AS attainment,
    r.whole_total_deposits AS cents, {rate_order('r.whole_total_deposits', 'r.target')} AS exact,
    CASE WHEN e.hire_date > %s THEN 'joined_late' WHEN e.left_on IS NOT NULL AND e.left_on < %s THEN 'left_early'
      WHEN r.target IS NULL OR r.target = 0 THEN 'no_target' ELSE '' END AS excluded
  FROM r JOIN {T['employee']} e ON e.id = r.employee_id),
o AS (
  SELECT c.*, CASE WHEN excluded = '' THEN ROW_NUMBER() OVER (PARTITION BY excluded = ''
      ORDER BY exact DESC, cents DESC, employee_number) END AS place,
    SUM(CASE WHEN excluded = '' THEN 1 ELSE 0 END) OVER () AS n FROM c),
f AS (SELECT o.*, CASE WHEN place IS NOT NULL AND place > n - {_bottom_size(rule)} THEN 1 ELSE 0 END AS flag FROM o),
g AS MATERIALIZED (
  SELECT f.*, f.flag = 1 AS flagged, CASE WHEN f.flag = 1 THEN COALESCE(({_streak_before('f')}), 0) + 1 ELSE 0 END
    AS streak, f.probation_end IS NOT NULL AND %s <= f.probation_end AS on_probation FROM f)
INSERT INTO {T['placing']} (period, first_month, employee_id, rank, excluded, attainment, total_deposits, flagged,
  consecutive, on_probation)
SELECT %s, %s, g.employee_id, g.place, g.excluded, g.attainment, g.deposits, g.flagged, g.streak, g.on_probation
FROM g LEFT JOIN {T['placing']} s ON s.period = %s AND s.first_month = %s AND s.employee_id = g.employee_id
WHERE s.id IS NULL OR s.rank IS DISTINCT FROM g.place OR s.excluded <> g.excluded
  OR s.attainment IS DISTINCT FROM g.attainment OR s.total_deposits <> g.deposits OR s.flagged <> g.flagged
  OR s.on_probation <> g.on_probation OR s.consecutive <> g.streak
ON CONFLICT (period, first_month, employee_id) DO UPDATE SET rank = excluded.rank, excluded = excluded.excluded,
  attainment = excluded.attainment, total_deposits = excluded.total_deposits, flagged = excluded.flagged,
  consecutive = excluded.consecutive, on_probation = excluded.on_probation
WHERE {T['placing']}.rank IS DISTINCT FROM excluded.rank OR {T['placing']}.excluded <> excluded.excluded
  OR {T['placing']}.attainment IS DISTINCT FROM excluded.attainment
  OR {T['placing']}.total_deposits <> excluded.total_deposits OR {T['placing']}.flagged <> excluded.flagged
  OR {T['placing']}.consecutive <> excluded.consecutive OR {T['placing']}.on_probation <> excluded.on_probation"""
    before = _period_before(period, first_month)
    return _run(sql, [*month_params, middle, middle, period, before, last, period, first_month, period,
                      first_month])


def _period_before(period: str, first_month: date) -> date | None:
    """Return the first month of the latest earlier period with placings: a streak continues from it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(first_month) FROM {T['placing']} WHERE period = %s AND first_month < %s",
                       [period, first_month])
        return cursor.fetchone()[0]


def _streak_before(alias: str) -> str:
    """SQL of the streak of `alias`'s rep in the period before (parameters: period, its first month), NULL when
    they were not flagged there; a lookup by the unique index, whatever the planner thinks of the row counts."""
    return (f"SELECT b.consecutive FROM {T['placing']} b WHERE b.period = %s AND b.first_month = %s "
            f"AND b.employee_id = {alias}.employee_id AND b.flagged")
