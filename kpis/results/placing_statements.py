"""A period's company ranking in the database (PeriodPlacing, a month's or a phase's): ranks and bottom flags by
window functions over the rep rows statements.py wrote, exclusions (joined late, left early, no target), and
streaks continued from the period before's placing rather than recounted."""

from datetime import date

from django.db import connection

from kpis import metrics
from kpis.formulas import rate_order
from targets.calculations import month_span

from . import bands
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
    `teams`, only those teams' rows changed, so only their reps' placings can have gone, and when the stored
    placings sum the same months, only the ranks the teams' reps crossed move (bands.py)."""
    if months and teams is not None and _placed_through(period, first_month) == max(months):
        placed = _placings_band(period, first_month, months, teams)
    elif months:
        _delete_gone(period, first_month, months, teams)
        placed = _placings(period, first_month, months)
    else:
        _run(f"DELETE FROM {T['placing']} WHERE period = %s AND first_month = %s", [period, first_month])
        placed = 0
    _note_placed(period, first_month, months)
    _carry_streaks(period, first_month)
    return placed


def _placed_through(period: str, first_month: date) -> date | None:
    return _scalar(f"SELECT through FROM {T['placed']} WHERE period = %s AND first_month = %s", [period, first_month])


def _note_placed(period: str, first_month: date, months: list[date]) -> None:
    if not months:
        _run(f"DELETE FROM {T['placed']} WHERE period = %s AND first_month = %s", [period, first_month])
        return
    _run(f"INSERT INTO {T['placed']} (period, first_month, through) VALUES (%s, %s, %s) "
         f"ON CONFLICT (period, first_month) DO UPDATE SET through = excluded.through "
         f"WHERE {T['placed']}.through <> excluded.through", [period, first_month, max(months)])


def _members(teams: set[int] | None) -> tuple[str, list]:
    return _of_teams(teams, f"employee_id IN (SELECT employee_id FROM {T['membership']} WHERE team_id IN {{teams}})")


def _delete_gone(period: str, first_month: date, months: list[date], teams: set[int] | None) -> None:
    """Delete the placings (of the teams' reps, if given) of reps without a row in the months."""
    in_months, month_params = _in(months)
    only, only_params = _members(teams)
    _run(f"DELETE FROM {T['placing']} WHERE period = %s AND first_month = %s{only} AND NOT EXISTS ("
         f"SELECT 1 FROM {T['rep']} r WHERE r.month IN {in_months} "
         f"AND r.employee_id = {T['placing']}.employee_id)", [period, first_month, *only_params, *month_params])


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


class _Period:
    """What a period's placing statements read: its begun months, its middle (the exclusions' date), its last day
    (probation's), the rule, and the period before (the streaks')."""

    def __init__(self, period: str, first_month: date, months: list[date]) -> None:
        first = month_span(first_month.year, first_month.month)[0]
        self.last = month_span(max(months).year, max(months).month)[1]
        self.middle = first + (self.last - first) / 2
        self.period, self.first_month, self.months = period, first_month, months
        self.rule = EliminationRule.objects.first() or EliminationRule()
        self.before = _period_before(period, first_month)

    def candidates(self, only: tuple[str, list] = ("", [])) -> tuple[str, list]:
        """SQL of the CTEs r and c: each rep's sums over the months (of the reps `only` selects, a condition on
        employee_id, if given), attainment, exact order and exclusion; and their parameters."""
        in_months, month_params = _in(self.months)
        formula = metrics.BY_CODE["attainment"].formula
        summed = {"total_deposits": "SUM(total_deposits)", "target": "SUM(deposit_target)"}.get
        # the operands in whole units once a row (see statements._derived)
        wholes = ", ".join(f"{t.whole(summed)} AS whole_{t.name}" for t in formula.operands)
        attainment = formula.sql(str, lambda t: f"r.whole_{t.name}")
        return f"""
r AS MATERIALIZED (
  SELECT employee_id, SUM(total_deposits) AS deposits, SUM(deposit_target) AS target, {wholes} FROM {T['rep']}
  WHERE month IN {in_months}{only[0]} GROUP BY employee_id),
c AS (
  SELECT r.employee_id, r.deposits, e.employee_number, e.probation_end, {attainment} AS attainment,
    r.whole_total_deposits AS cents, {rate_order('r.whole_total_deposits', 'r.target')} AS exact,
    CASE WHEN e.hire_date > %s THEN 'joined_late' WHEN e.left_on IS NOT NULL AND e.left_on < %s THEN 'left_early'
      WHEN r.target IS NULL OR r.target = 0 THEN 'no_target' ELSE '' END AS excluded
  FROM r JOIN {T['employee']} e ON e.id = r.employee_id)""", [*month_params, *only[1], self.middle, self.middle]

    def write(self, placed: str, *, first: bool = False) -> tuple[str, list]:
        """SQL (after the CTE `placed`: c's columns with place and n, the ranked count) of the CTEs that flag and
        carry the streak, and of the upsert of the rows that differ from the stored ones (`first`: none is
        stored, the rows go straight in); and its parameters."""
        bottom = _bottom_size(self.rule)
        p = T["placing"]
        written = f"""
f AS (SELECT o.*, CASE WHEN place IS NOT NULL AND place > n - {bottom} THEN 1 ELSE 0 END AS flag FROM {placed} o),
g AS MATERIALIZED (
  SELECT f.*, f.flag = 1 AS flagged, CASE WHEN f.flag = 1 THEN COALESCE(({_streak_before('f')}), 0) + 1 ELSE 0 END
    AS streak, f.probation_end IS NOT NULL AND %s <= f.probation_end AS on_probation FROM f)
INSERT INTO {p} (period, first_month, employee_id, rank, excluded, attainment, total_deposits, flagged,
  consecutive, on_probation)
SELECT %s, %s, g.employee_id, g.place, g.excluded, g.attainment, g.deposits, g.flagged, g.streak, g.on_probation
FROM g"""
        params = [self.period, self.before, self.last, self.period, self.first_month]
        if first:
            return written, params
        return written + f"""
LEFT JOIN {p} s ON s.period = %s AND s.first_month = %s AND s.employee_id = g.employee_id
WHERE s.id IS NULL OR s.rank IS DISTINCT FROM g.place OR s.excluded <> g.excluded
  OR s.attainment IS DISTINCT FROM g.attainment OR s.total_deposits <> g.deposits OR s.flagged <> g.flagged
  OR s.on_probation <> g.on_probation OR s.consecutive <> g.streak
ON CONFLICT (period, first_month, employee_id) DO UPDATE SET rank = excluded.rank, excluded = excluded.excluded,
  attainment = excluded.attainment, total_deposits = excluded.total_deposits, flagged = excluded.flagged,
  consecutive = excluded.consecutive, on_probation = excluded.on_probation
WHERE {p}.rank IS DISTINCT FROM excluded.rank OR {p}.excluded <> excluded.excluded
  OR {p}.attainment IS DISTINCT FROM excluded.attainment
  OR {p}.total_deposits <> excluded.total_deposits OR {p}.flagged <> excluded.flagged
  OR {p}.consecutive <> excluded.consecutive OR {p}.on_probation <> excluded.on_probation""", [
            *params, self.period, self.first_month]


def _placings(period: str, first_month: date, months: list[date]) -> int:
    """Place every rep of the period afresh; return the rows written."""
    of = _Period(period, first_month, months)
    candidates, params = of.candidates()
    first = _scalar(f"SELECT 1 FROM {T['placing']} WHERE period = %s AND first_month = %s LIMIT 1",
                    [period, first_month]) is None
    write, write_params = of.write("o", first=first)
    return _run(f"""
WITH {candidates},
o AS (
  SELECT c.*, CASE WHEN excluded = '' THEN ROW_NUMBER() OVER (PARTITION BY excluded = ''
      ORDER BY exact DESC, cents DESC, employee_number) END AS place,
    SUM(CASE WHEN excluded = '' THEN 1 ELSE 0 END) OVER () AS n FROM c),
{write}""", [*params, *write_params])


# The placings' order. A stored placing keeps only the rounded attainment: a rep whose attainment is within a unit
# of the sixth decimal of a changed rep's has their exact order computed (exact not NULL); the others differ from it
# by more than the rounding, so their attainments order them. Attainments are compared as doubles (att), which
# keep the order and equality of six-decimal numbers and compare faster.
PLACE_KEYS = [("exact", True), ("cents", True), ("employee_number", False)]
NEAR = "0.0000011"
DOUBLE = bands.DOUBLE


def _ahead(a: str, b: str) -> str:
    return (f"(CASE WHEN {a}.exact IS NULL OR {b}.exact IS NULL THEN (CASE WHEN {a}.att > {b}.att THEN 1 ELSE 0 END)"
            f" ELSE {bands.ahead(a, b, PLACE_KEYS)} END)")


def _placings_band(period: str, first_month: date, months: list[date], teams: set[int]) -> int:
    """Place the teams' reps afresh and move the stored ranks of the others by the changed reps that crossed
    them (bands.py), flags and streaks following; return the changed reps' rows written."""
    of, p, key = _Period(period, first_month, months), T["placing"], [period, first_month]
    only, only_params = _members(teams)
    candidates, params = of.candidates((only, only_params))
    _run("DROP TABLE IF EXISTS band_c")
    _run(f"CREATE TEMP TABLE band_c AS WITH {candidates} SELECT c.*, CAST(attainment AS {DOUBLE}) AS att FROM c",
         params)
    # The changed reps: each old rank (NULL: unranked or gone) with its new keys (new_in 0: unranked now). Their
    # stored placings are looked up by the unique index, whatever the planner thinks of the row counts.
    members, member_params = _in(teams)
    stored = f"FROM {p} o WHERE o.period = %s AND o.first_month = %s AND o.employee_id = k.employee_id"
    _run("DROP TABLE IF EXISTS band_move")
    _run(f"""
CREATE TEMP TABLE band_move AS
SELECT q.*, {bands.between('q.old_att', 'q.att', 'q.old_rank IS NULL OR q.new_in = 0', NEAR)}
FROM (SELECT k.employee_id, (SELECT o.rank {stored}) AS old_rank,
        (SELECT CAST(o.attainment AS {DOUBLE}) {stored}) AS old_att,
        CASE WHEN n.employee_id IS NULL THEN 0 ELSE 1 END AS new_in, n.att, n.exact, n.cents, n.employee_number
      FROM (SELECT employee_id FROM band_c UNION
            SELECT employee_id FROM {T['membership']} WHERE team_id IN {members}) k
      LEFT JOIN (SELECT * FROM band_c WHERE excluded = '') n ON n.employee_id = k.employee_id) q""",
         [*key, *key, *member_params])
    # the others' ranked placings; the exact order of those near a changed rep
    _run("DROP TABLE IF EXISTS band_x")
    _run(f"""
CREATE TEMP TABLE band_x AS
SELECT id, employee_id, rank, CAST(attainment AS {DOUBLE}) AS att, flagged, CAST(NULL AS {DOUBLE}) AS exact,
  CAST(NULL AS BIGINT) AS cents, CAST(NULL AS VARCHAR(20)) AS employee_number
FROM {p} WHERE period = %s AND first_month = %s AND rank IS NOT NULL
  AND employee_id NOT IN (SELECT employee_id FROM band_move)""", key)
    _run("CREATE INDEX band_x_att ON band_x (att)")  # the crossings are looked up by range (bands.crossings)
    near = ("SELECT x.employee_id FROM band_x x WHERE EXISTS (SELECT 1 FROM band_move m WHERE m.new_in = 1 "
            f"AND x.att BETWEEN m.att - {NEAR} AND m.att + {NEAR})")
    if _scalar(f"SELECT COUNT(*) FROM ({near}) near"):
        candidates, near_params = of.candidates((f" AND employee_id IN ({near})", []))
        _run(f"""
WITH {candidates}
UPDATE band_x SET exact = c.exact, cents = c.cents, employee_number = c.employee_number
FROM c WHERE band_x.employee_id = c.employee_id""", near_params)
    n = _scalar("SELECT (SELECT COUNT(*) FROM band_x) + (SELECT COUNT(*) FROM band_move WHERE new_in = 1)")
    _run("DROP TABLE IF EXISTS band_pair")
    _run(f"CREATE TEMP TABLE band_pair AS {bands.crossings('band_x', _ahead('m', 'x'), 'm.employee_id AS m_employee')}")
    # the others' new places and flags, where either moved; a table: the planner then looks each up by its id
    _run("DROP TABLE IF EXISTS band_moved")
    _run(f"""
CREATE TEMP TABLE band_moved AS
WITH o AS (SELECT x.id, x.employee_id, x.flagged, x.rank AS was, x.rank + COALESCE(d.delta, 0) AS place, %s AS n
           FROM band_x x LEFT JOIN (SELECT id, SUM(step) AS delta FROM band_pair GROUP BY id) d ON d.id = x.id),
f AS (SELECT o.*, CASE WHEN place > n - {_bottom_size(of.rule)} THEN 1 ELSE 0 END AS flag FROM o)
SELECT id, employee_id, place, flag FROM f WHERE place <> was OR flagged <> (flag = 1)""", [n])
    _run(f"""
UPDATE {p} SET rank = moved.place, flagged = moved.flag = 1,
  consecutive = CASE WHEN moved.flag = 1 THEN COALESCE(({_streak_before('moved')}), 0) + 1 ELSE 0 END
FROM band_moved moved WHERE {p}.id = moved.id""", [period, of.before])
    # the changed reps' places
    counted = f"SELECT COUNT(*) FROM band_x x WHERE {_ahead('x', 'm')} = 1"
    place = bands.new_place("p.m_employee = m.employee_id", counted, _ahead("c", "m"))
    write, write_params = of.write("placed")
    placed = _run(f"""
WITH placed AS MATERIALIZED (
  SELECT b.*, CASE WHEN b.excluded = '' THEN {place} END AS place, %s AS n
  FROM band_c b LEFT JOIN band_move m ON m.employee_id = b.employee_id),
{write}""", [n, *write_params])
    # the changed reps without a row in the months any more
    _run(f"DELETE FROM {p} WHERE id IN (SELECT (SELECT o.id {stored}) FROM band_move k WHERE NOT EXISTS ("
         "SELECT 1 FROM band_c b WHERE b.employee_id = k.employee_id))", key)
    for table in ("band_c", "band_move", "band_x", "band_pair", "band_moved"):
        _run(f"DROP TABLE {table}")
    return placed


def _scalar(sql: str, params: list | None = None) -> object:
    """Return the first column of the statement's first row, None without a row."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
        return None if row is None else row[0]


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
