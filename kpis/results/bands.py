"""Re-ranking after a save in a few teams. A rep's rank moves only by the changed rows that crossed it (were
ahead before and are behind now, or the other way round), so the new ranks are counted from the few changed rows
against the stored ranks instead of ordering every rep of the company again (bench/README.md): rank_reps here for
the company ranks of rep rows (statements.rep_rows calls it), placing_statements._placings_band for the month and
phase placings. Each falls back to ordering everyone (rank_all_reps, and the placings' full statement) when the
stored ranks are not a ranking of the same rows: a month computed before it began (ranked_before), a period placed
from other months (PlacedPeriod).

Plain SQL that PostgreSQL and SQLite both run.
"""

from datetime import date

from django.db import connection

from .statements import REP_ORDER, REP_ORDER_KEYS, TEAM_ORDER, T, _cents, _of_teams, _rank, _run

# The rep order, the attainment as a double (att): it keeps the order and equality of six-decimal numbers and
# compares faster. The employee number is looked up only when attainment and total tie.
KEYS = [(f"(SELECT employee_number FROM {T['employee']} WHERE id = {{}}.employee_id)" if k == "employee_number" else
         "att" if k == "attainment" else k, d) for k, d in REP_ORDER_KEYS]
DOUBLE = "DOUBLE PRECISION"
DOUBLE_ATT = f"CAST(attainment AS {DOUBLE}) AS att"
M_KEY = "m.employee_id AS m_employee, m.team_id AS m_team"


def ahead(a: str, b: str, keys: list[tuple[str, bool]]) -> str:
    """SQL of 1 when `a`'s row comes before `b`'s in the order of `keys` ((column, descending) pairs, the last
    one unique), else 0. A key may be a template with {} for the row's alias (a lookup evaluated only on a tie)."""
    whens = []
    for key, descending in keys:
        left, right = (key.format(a), key.format(b)) if "{}" in key else (f"{a}.{key}", f"{b}.{key}")
        before, after = (">", "<") if descending else ("<", ">")
        whens += [f"WHEN {left} {before} {right} THEN 1", f"WHEN {left} {after} {right} THEN 0"]
    return f"(CASE {' '.join(whens)} ELSE 0 END)"


def between(old: str, new: str, unbounded: str, widen: str = "") -> str:
    """SQL of the columns low and high: the attainments from a changed row's old to its new one (widened by
    `widen`, when given, each way), the only ones whose rows it can cross; both NULL when `unbounded` (it enters or
    leaves the ranking)."""
    less, more = (f" - {widen}", f" + {widen}") if widen else ("", "")
    return (f"CASE WHEN {unbounded} THEN NULL WHEN {old} < {new} THEN {old}{less} ELSE {new}{less} END AS low, "
            f"CASE WHEN {unbounded} THEN NULL WHEN {old} > {new} THEN {old}{more} ELSE {new}{more} END AS high")


def ranked_before(month: date) -> bool:
    """Return whether the month's stored rep rows are ranked in the company: some rank is set, and every row with
    an attainment has one (a month computed before it began has none). Read before a team's rows are rewritten."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN EXISTS (SELECT 1 FROM {T['rep']} WHERE month = %s AND rank_in_company "
                       f"IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM {T['rep']} WHERE month = %s AND attainment IS "
                       "NOT NULL AND rank_in_company IS NULL) THEN 1 ELSE 0 END", [month, month])
        return bool(cursor.fetchone()[0])


def new_place(match: str, counted: str, changed_ahead: str) -> str:
    """SQL of the new place of the changed row m (of band_move, newly ranked): 1 + the unchanged rows ahead of it
    (as many as before, less those it crossed, in band_pair, which `match` joins to m; `counted` when it was not
    ranked before) + the changed rows ahead of it (`changed_ahead` compares band_move's c with m)."""
    return (f"1 + CASE WHEN m.old_rank IS NULL THEN ({counted}) ELSE m.old_rank - 1 "
            "- (SELECT COUNT(*) FROM band_move o WHERE o.old_rank < m.old_rank) "
            f"- COALESCE((SELECT SUM(p.step) FROM band_pair p WHERE {match}), 0) END "
            f"+ (SELECT COUNT(*) FROM band_move c WHERE c.new_in = 1 AND {changed_ahead} = 1)")


def crossings(x: str, ahead_of_x: str, m_key: str) -> str:
    """SQL of the (x, m) pairs of an unchanged row of `x` and a changed row of band_move where m crossed x, with
    step 1 (m is now ahead, was behind) or -1, and m's `m_key` columns; `ahead_of_x` compares m with x. A row moving
    within the ranking can cross only the rows between its old and new attainment: those are found by range (by an
    index on x.att, where there is one); one entering or leaving it is compared with every row."""
    new_ahead = f"CASE WHEN m.new_in = 0 THEN 0 ELSE {ahead_of_x} END"
    old_ahead = "CASE WHEN m.old_rank IS NOT NULL AND m.old_rank < x.rank THEN 1 ELSE 0 END"
    pairs = f"SELECT x.id, {m_key}, {new_ahead} - {old_ahead} AS step FROM band_move m JOIN {x} x ON "
    return (f"{pairs}x.att BETWEEN m.low AND m.high WHERE m.low IS NOT NULL AND {new_ahead} <> {old_ahead} "
            f"UNION ALL {pairs}1 = 1 WHERE m.low IS NULL AND {new_ahead} <> {old_ahead}")


def rank_reps(month: date, fresh: str, teams: set[int]) -> None:
    """Rank the `fresh` rows (the changed teams' new rows) in the company and move the other teams' stored company
    ranks by the changed rows that crossed them; the stored rows of `teams` still hold their old ranks."""
    in_teams, team_params = _of_teams(teams, "team_id IN {teams}")
    others, other_params = _of_teams(teams, "x.team_id NOT IN {teams}")
    # the changed rows: each old rank (NULL: unranked or gone) with its new keys (new_in 0: unranked now)
    _run("DROP TABLE IF EXISTS band_move")
    _run(f"""
CREATE TEMP TABLE band_move AS
SELECT k.employee_id, k.team_id, o.rank_in_company AS old_rank, CASE WHEN n.team_id IS NULL THEN 0 ELSE 1 END
  AS new_in, n.att, n.cents, {between('o.att', 'n.att', 'o.rank_in_company IS NULL OR n.team_id IS NULL')}
FROM (SELECT employee_id, team_id FROM {fresh} UNION
      SELECT employee_id, team_id FROM {T['rep']} WHERE month = %s{in_teams}) k
LEFT JOIN (SELECT employee_id, team_id, rank_in_company, {DOUBLE_ATT} FROM {T['rep']} WHERE month = %s{in_teams}) o
  ON o.employee_id = k.employee_id AND o.team_id = k.team_id
LEFT JOIN (SELECT employee_id, team_id, {DOUBLE_ATT}, {_cents('total_deposits')} AS cents FROM {fresh}
           WHERE attainment IS NOT NULL) n
  ON n.employee_id = k.employee_id AND n.team_id = k.team_id""", [month, *team_params, month, *team_params])
    # the other teams' ranked rows, and those the changed rows crossed
    _run("DROP TABLE IF EXISTS band_rx")
    _run(f"CREATE TEMP TABLE band_rx AS SELECT x.id, x.employee_id, x.rank_in_company AS rank, "
         f"CAST(x.attainment AS {DOUBLE}) AS att, {_cents('x.total_deposits')} AS cents, x.team_id FROM {T['rep']} x "
         f"WHERE x.month = %s AND x.rank_in_company IS NOT NULL{others}", [month, *other_params])
    _run("CREATE INDEX band_rx_att ON band_rx (att)")
    _run("DROP TABLE IF EXISTS band_pair")
    _run(f"CREATE TEMP TABLE band_pair AS {crossings('band_rx', ahead('m', 'x', KEYS), M_KEY)}")
    _run(f"""
UPDATE {T['rep']} SET rank_in_company = rank_in_company + moved.delta
FROM (SELECT id, SUM(step) AS delta FROM band_pair GROUP BY id) moved
WHERE {T['rep']}.id = moved.id AND moved.delta <> 0""")
    place = new_place("p.m_employee = m.employee_id AND p.m_team = m.team_id",
                      f"SELECT COUNT(*) FROM band_rx x WHERE {ahead('x', 'm', KEYS)} = 1", ahead("c", "m", KEYS))
    _run(f"""
UPDATE {fresh} SET rank_in_company = placed.place
FROM (SELECT m.employee_id, m.team_id, {place} AS place FROM band_move m WHERE m.new_in = 1) placed
WHERE {fresh}.employee_id = placed.employee_id AND {fresh}.team_id = placed.team_id""")
    for table in ("band_move", "band_rx", "band_pair"):
        _run(f"DROP TABLE {table}")


def rank_all_reps(month: date, *, ranked: bool = True) -> int:
    """Re-rank every rep row of the month in the company and in its team (none when not `ranked`), writing only
    the rows whose ranks move."""
    if not ranked:
        return _run(f"UPDATE {T['rep']} SET rank_in_team = NULL, rank_in_company = NULL WHERE month = %s "
                    "AND (rank_in_team IS NOT NULL OR rank_in_company IS NOT NULL)", [month])
    # The moved ranks are picked out before the join, so only their rows are looked up by id.
    return _run(f"""
UPDATE {T['rep']} SET rank_in_team = moved.in_team, rank_in_company = moved.in_company
FROM (SELECT * FROM (
        SELECT r.id, r.rank_in_team AS was_in_team, r.rank_in_company AS was_in_company,
          {_rank('r.team_id, ', REP_ORDER)} AS in_team, {_rank('', REP_ORDER)} AS in_company
        FROM {T['rep']} r JOIN {T['employee']} e ON e.id = r.employee_id WHERE r.month = %s) ranked
      WHERE in_team IS DISTINCT FROM was_in_team OR in_company IS DISTINCT FROM was_in_company) moved
WHERE {T['rep']}.id = moved.id""", [month])


def rank_teams(month: date, *, ranked: bool = True) -> int:
    if not ranked:
        return _run(f"UPDATE {T['team']} SET rank = NULL WHERE month = %s AND rank IS NOT NULL", [month])
    return _run(f"""
UPDATE {T['team']} SET rank = moved.place
FROM (SELECT * FROM (SELECT id, rank AS was, {_rank('', TEAM_ORDER)} AS place FROM {T['team']} WHERE month = %s)
      ranked WHERE place IS DISTINCT FROM was) moved
WHERE {T['team']}.id = moved.id""", [month])
