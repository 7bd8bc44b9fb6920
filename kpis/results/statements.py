"""A month's rollups computed in the database: one INSERT … SELECT … GROUP BY per level (rep, team, company,
team-week, placing), ranks and bottom flags by window functions, the derived metrics rendered from the registry's
formulas (kpis/formulas.py). Plain SQL that PostgreSQL and the embedded SQLite both run. The placings are in
placing_statements.py.

What a month reads of earlier months (the previous month's totals for 环比, a year before's for 同比, the customer
base at its start, the previous period's streak) comes from those months' stored rows when they are current,
and from the weekly figures otherwise: see `_current`. services.py decides when and for whom these run.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection
from django.db.models import F, Q

from kpis import metrics
from kpis.models import CustomerBase, WeeklyFigures
from targets import selectors as target_selectors
from targets.calculations import weeks_of_month
from targets.models import PlanMonth, RepMonthTarget, RepWeekTarget, TeamMonthTarget
from teams.models import Employee, Membership

from .models import (
    CompanyMonthResult,
    PeriodPlacing,
    PlacedPeriod,
    RepMonthResult,
    RollupMonth,
    TeamMonthResult,
    TeamWeekResult,
)

ENTERED = [m.code for m in metrics.ENTERED]
DERIVED = ("customer_growth_rate", "performance_growth_rate", "performance_growth_yoy", "attainment", "close_rate")
T = {name: model._meta.db_table for name, model in {
    "figures": WeeklyFigures, "base": CustomerBase, "employee": Employee, "membership": Membership,
    "plan_month": PlanMonth, "rep_target": RepMonthTarget, "team_target": TeamMonthTarget,
    "week_target": RepWeekTarget, "rep": RepMonthResult, "team": TeamMonthResult, "company": CompanyMonthResult,
    "team_week": TeamWeekResult, "placing": PeriodPlacing, "placed": PlacedPeriod}.items()}


def prepare() -> None:
    """Set up the transaction for the statements (bench/README.md has the measurements).

    PostgreSQL's JIT would spend seconds compiling their long expressions for a few thousand rows. The commit
    need not wait for its WAL flush: the rows are derived, and the month is marked computed afterwards by a
    separate, synchronous commit, which flushes this one first (WAL is written in order). A crash before that
    loses at most a recompute whose month is still stale, so the next run redoes it.
    """
    if connection.vendor == "postgresql":
        _run("SET LOCAL jit = off")
        _run("SET LOCAL synchronous_commit = off")


def _run(sql: str, params: Iterable = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def _in(values: Iterable) -> tuple[str, list]:
    values = list(values)
    return "(" + ", ".join(["%s"] * len(values)) + ")", values


def _of_teams(teams: set[int] | None, condition: str) -> tuple[str, list]:
    """Return " AND <condition with the teams' ids>" and its parameters, or nothing for every team; the
    condition holds {teams} where the list goes, e.g. "f.team_id IN {teams}"."""
    if teams is None:
        return "", []
    ids, params = _in(teams)
    return " AND " + condition.format(teams=ids), params


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _year_before(month: date) -> date:
    return month.replace(year=month.year - 1)


def _derived(source: str) -> str:
    """Return the CTEs `whole` and `derived` over `source`'s rows (the entered sums and the context columns
    target, customer_base, previous_total, year_ago_total): `derived` adds `total_deposits` and the stored
    derived metrics, from the registry's formulas. The rates' operands in whole units are computed once a row
    in `whole` (PostgreSQL's numeric rounding of each, repeated inside every rate, was most of a month's time)."""
    total = metrics.BY_CODE["total_deposits"].formula.sql(str)
    columns = {"total_deposits": total}.get

    def column(name: str) -> str:
        return columns(name) or name

    formulas = [metrics.BY_CODE[code].formula for code in DERIVED]
    operands = {t.name: t for f in formulas if f.rate for t in f.operands}
    wholes = ", ".join(f"{t.whole(column)} AS whole_{name}" for name, t in operands.items())
    items = [f"{total} AS total_deposits"] + [
        f"{f.sql(column, lambda t: f'whole_{t.name}') if f.rate else f.sql(column)} AS {code}"
        for code, f in zip(DERIVED, formulas, strict=True)]
    return (f"whole AS MATERIALIZED (SELECT {source}.*, {wholes} FROM {source}), "
            f"derived AS (SELECT whole.*, {', '.join(items)} FROM whole)")


def _cents(column: str) -> str:
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def _current(month: date) -> bool:
    """Return True when the month's stored rows are current: computed, and not requested since. A later month
    then reads its totals and customer bases from them instead of from the weekly figures."""
    return RollupMonth.objects.filter(month=month, computed_at__isnull=False).filter(
        Q(requested_at__isnull=True) | Q(requested_at__lte=F("computed_at"))).exists()


# --- what a month reads of other months --------------------------------------------------------------------------

def _rep_totals(month: date, people: tuple[str, list] = ("", [])) -> tuple[str, list]:
    """SQL of (employee_id, total) for the month (of the reps `people` selects, if given): from its rep rows when
    current, else from the figures."""
    only, only_params = people
    if _current(month):
        return (f"SELECT employee_id, SUM(total_deposits) AS total FROM {T['rep']} WHERE month = %s{only} "
                "GROUP BY employee_id", [month, *only_params])
    weeks, params = _in(weeks_of_month(month.year, month.month))
    return (f"SELECT employee_id, SUM(new_customer_deposits + existing_customer_deposits) AS total "
            f"FROM {T['figures']} WHERE week IN {weeks}{only} GROUP BY employee_id", [*params, *only_params])


def _team_totals(month: date) -> tuple[str, list]:
    if _current(month):
        return f"SELECT team_id, total_deposits AS total FROM {T['team']} WHERE month = %s", [month]
    weeks, params = _in(weeks_of_month(month.year, month.month))
    return (f"SELECT team_id, SUM(new_customer_deposits + existing_customer_deposits) AS total "
            f"FROM {T['figures']} WHERE week IN {weeks} GROUP BY team_id", params)


def _company_total(month: date) -> tuple[str, list]:
    if _current(month):
        return f"SELECT total_deposits FROM {T['company']} WHERE month = %s", [month]
    weeks, params = _in(weeks_of_month(month.year, month.month))
    return (f"SELECT SUM(new_customer_deposits + existing_customer_deposits) FROM {T['figures']} "
            f"WHERE week IN {weeks}", params)


def _bases(month: date, people: tuple[str, list] = ("", [])) -> tuple[str, list]:
    """SQL of (employee_id, base) for the reps with a row in the previous month, when it is current: its base
    plus the accounts opened in it. Reps without such a row are counted from the figures (see rep_rows)."""
    before, (only, only_params) = previous_month(month), people
    if not _current(before):
        return f"SELECT employee_id, 0 AS base FROM {T['rep']} WHERE 1 = 0", []
    return (f"SELECT employee_id, MAX(customer_base) + SUM(accounts_opened) AS base FROM {T['rep']} "
            f"WHERE month = %s{only} GROUP BY employee_id", [before, *only_params])


# --- the month's weeks -------------------------------------------------------------------------------------------

def _weeks(month: date) -> tuple[str, list]:
    """SQL of the month's weeks (monday, thursday, sunday, working: 1 when it has working days)."""
    calendar = target_selectors.working_calendar()
    rows, params = [], []
    for monday in weeks_of_month(month.year, month.month):
        sunday = monday + timedelta(days=6)
        rows.append("(%s, %s, %s, %s)")
        params += [monday, monday + timedelta(days=3), sunday, 1 if calendar.working_days(monday, sunday) else 0]
    return "wk(monday, thursday, sunday, working) AS (VALUES " + ", ".join(rows) + ")", params


# --- rep rows ----------------------------------------------------------------------------------------------------

def _rank(partition: str, order: str) -> str:
    """A rank among the rows with an attainment (1 = best), NULL for the others."""
    return (f"CASE WHEN attainment IS NULL THEN NULL ELSE ROW_NUMBER() OVER (PARTITION BY {partition}"
            f"attainment IS NULL ORDER BY {order}) END")


# A rep who moved has a row in each team, equal but for the team: the lower team id goes first. (column,
# descending) pairs, "cents" being the total deposits' (bands.py compares rows by these).
REP_ORDER_KEYS = [("attainment", True), ("cents", True), ("employee_number", False), ("team_id", False)]
REP_ORDER = ", ".join(f"{_cents('total_deposits') if c == 'cents' else c}{' DESC' if d else ''}"
                      for c, d in REP_ORDER_KEYS)
TEAM_ORDER = f"attainment DESC, {_cents('total_deposits')} DESC, team_id"
COLUMNS = [*ENTERED, "deposit_target", "total_deposits", *DERIVED, "customer_base", "weeks_reported",
           "weeks_missing"]


def rep_rows(month: date, now, *, teams: set[int] | None = None, ranked: bool = True,
             re_rank: bool = False) -> int:
    """Insert the month's rep rows (of `teams` only, if given) and return how many. Ranked in the company and
    team when `ranked` and whole-month; with `teams` and `re_rank` (the stored rows are ranked: see
    bands.ranked_before), ranked too, the other teams' company ranks moved by the band; else the ranks are left
    for bands.rank_all_reps."""
    week_table, week_params = _weeks(month)
    members = f"employee_id IN (SELECT employee_id FROM {T['membership']} WHERE team_id IN {{teams}})"
    only, only_params = _of_teams(teams, "f.team_id IN {teams}")
    only_targets, target_params = _of_teams(teams, "t.team_id IN {teams}")
    # A rep's due weeks need every membership of theirs, whichever team the week falls to.
    only_people, people_params = _of_teams(teams, "m." + members)
    only_due, due_params = _of_teams(teams, "team_id IN {teams}")
    first = weeks_of_month(month.year, month.month)[0]
    # what the teams' reps read of other months, for them only
    people = _of_teams(teams, members)
    prev_sql, prev_params = _rep_totals(previous_month(month), people)
    ago_sql, ago_params = _rep_totals(_year_before(month), people)
    base_sql, base_params = _bases(month, people)
    sums = ", ".join(f"SUM(f.{c}) AS {c}" for c in ENTERED)
    values = ", ".join(f"COALESCE(fig.{c}, 0) AS {c}" for c in ENTERED)
    whole_month = ranked and teams is None
    band = ranked and teams is not None and re_rank
    # the changed teams' rows are all there: their ranks in the team are a window over them
    ranks = (f"{_rank('team_id, ', REP_ORDER)}, {_rank('', REP_ORDER) if whole_month else 'NULL'}"
             if whole_month or band else "NULL, NULL")
    sql = f"""
WITH {week_table},
fig AS (
  SELECT f.employee_id, f.team_id, COUNT(*) AS weeks_reported, SUM(wk.working) AS reported_due, {sums}
  FROM {T['figures']} f JOIN wk ON f.week = wk.monday WHERE 1 = 1{only} GROUP BY f.employee_id, f.team_id),
tgt AS (
  SELECT t.employee_id, t.team_id, t.deposit_target FROM {T['rep_target']} t
  JOIN {T['plan_month']} p ON p.id = t.plan_month_id WHERE p.month = %s{only_targets}),
span AS (
  SELECT m.employee_id, m.team_id, ROW_NUMBER() OVER (PARTITION BY m.employee_id, wk.monday ORDER BY
    CASE WHEN m.starts_on <= wk.thursday AND (m.ends_on IS NULL OR m.ends_on >= wk.thursday) THEN 0 ELSE 1 END,
    CASE WHEN m.ends_on IS NOT NULL AND m.ends_on < wk.sunday THEN m.ends_on ELSE wk.sunday END DESC,
    m.starts_on, m.id) AS pick
  FROM {T['membership']} m JOIN wk ON wk.working = 1 AND m.starts_on <= wk.sunday
    AND (m.ends_on IS NULL OR m.ends_on >= wk.monday){only_people}),
due AS (SELECT employee_id, team_id, COUNT(*) AS n FROM span WHERE pick = 1 GROUP BY employee_id, team_id),
keyed AS (
  SELECT employee_id, team_id FROM fig UNION SELECT employee_id, team_id FROM tgt
  UNION SELECT employee_id, team_id FROM due WHERE 1 = 1{only_due}),
prev AS ({prev_sql}), ago AS ({ago_sql}), known AS ({base_sql}),
num AS MATERIALIZED (
  SELECT k.employee_id, k.team_id, e.employee_number, {values}, tgt.deposit_target AS target,
    COALESCE(known.base, COALESCE(cb.opening_base, 0) + COALESCE((
      SELECT SUM(o.accounts_opened) FROM {T['figures']} o WHERE o.employee_id = k.employee_id AND o.week < %s), 0))
      AS customer_base,
    prev.total AS previous_total, ago.total AS year_ago_total, COALESCE(fig.weeks_reported, 0) AS weeks_reported,
    CASE WHEN COALESCE(due.n, 0) > COALESCE(fig.reported_due, 0)
      THEN COALESCE(due.n, 0) - COALESCE(fig.reported_due, 0) ELSE 0 END AS weeks_missing
  FROM keyed k JOIN {T['employee']} e ON e.id = k.employee_id
  LEFT JOIN fig ON fig.employee_id = k.employee_id AND fig.team_id = k.team_id
  LEFT JOIN tgt ON tgt.employee_id = k.employee_id AND tgt.team_id = k.team_id
  LEFT JOIN due ON due.employee_id = k.employee_id AND due.team_id = k.team_id
  LEFT JOIN prev ON prev.employee_id = k.employee_id LEFT JOIN ago ON ago.employee_id = k.employee_id
  LEFT JOIN known ON known.employee_id = k.employee_id LEFT JOIN {T['base']} cb ON cb.employee_id = k.employee_id),
{_derived('num')}
INSERT INTO {{into}} (month, computed_at, employee_id, team_id, {', '.join(COLUMNS)}, rank_in_team,
  rank_in_company)
SELECT %s, %s, employee_id, team_id, {', '.join('target' if c == 'deposit_target' else c for c in COLUMNS)},
  {ranks}
FROM derived"""
    params = [*week_params, *only_params, month, *target_params, *people_params, *due_params,
              *prev_params, *ago_params, *base_params, first, month, now]
    if teams is None and not _stored(T["rep"], month):
        # a first build: nothing stored to compare with, so the rows go straight in
        return _run(sql.replace("{into}", T["rep"]), params)
    _run("DROP TABLE IF EXISTS fresh_rep")
    _run(f"CREATE TEMP TABLE fresh_rep AS SELECT * FROM {T['rep']} WHERE 1 = 0")
    computed = _run(sql.replace("{into}", "fresh_rep"), params)
    if band:
        from . import bands  # it reads this module's keys

        bands.rank_reps(month, "fresh_rep", teams)
    _write_changed("fresh_rep", month, teams)
    _run("DROP TABLE fresh_rep")
    return computed


def _stored(table: str, month: date) -> bool:
    """Return whether the table holds rows of the month."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE month = %s LIMIT 1", [month])
        return cursor.fetchone() is not None


REP_VALUES = [*COLUMNS, "rank_in_team", "rank_in_company"]


def _write_changed(fresh: str, month: date, teams: set[int] | None) -> None:
    """Make the month's stored rep rows (of `teams`, if given) those of the `fresh` table, writing only the
    rows that differ: a month recomputed because an earlier one changed mostly computes what it holds."""
    table = T["rep"]
    only, only_params = _of_teams(teams, "team_id IN {teams}")
    _run(f"DELETE FROM {table} WHERE month = %s{only} AND NOT EXISTS (SELECT 1 FROM {fresh} x "
         f"WHERE x.employee_id = {table}.employee_id AND x.team_id = {table}.team_id)", [month, *only_params])
    columns = ", ".join(["month", "computed_at", "employee_id", "team_id", *REP_VALUES])
    _run(f"""
INSERT INTO {table} ({columns}) SELECT {columns} FROM {fresh} WHERE 1 = 1
ON CONFLICT (month, employee_id, team_id) DO UPDATE SET
  {', '.join(f'{c} = excluded.{c}' for c in ['computed_at', *REP_VALUES])}
WHERE {' OR '.join(f'{table}.{c} IS DISTINCT FROM excluded.{c}' for c in REP_VALUES)}""")


# --- team and company rows (summed from the rep rows) ------------------------------------------------------------

def _summed(group: str) -> str:
    return ", ".join([f"SUM({c}) AS {c}" for c in ENTERED]
                     + ["SUM(weeks_reported) AS weeks_reported", "SUM(weeks_missing) AS weeks_missing"]
                     + (["SUM(customer_base) AS customer_base"] if group else []))


def team_rows(month: date, now, *, teams: set[int] | None = None, ranked: bool = True) -> int:
    """Insert the month's team rows (of `teams` only, if given) from its rep rows; ranked only when whole."""
    only, only_params = _of_teams(teams, "team_id IN {teams}")
    only_targets, target_params = _of_teams(teams, "t.team_id IN {teams}")
    prev_sql, prev_params = _team_totals(previous_month(month))
    ago_sql, ago_params = _team_totals(_year_before(month))
    values = ", ".join(f"COALESCE(s.{c}, 0) AS {c}" for c in [*ENTERED, "weeks_reported", "weeks_missing"])
    rank = _rank("", TEAM_ORDER) if ranked and teams is None else "NULL"
    sql = f"""
WITH s AS (SELECT team_id, {_summed('team_id')} FROM {T['rep']} WHERE month = %s{only} GROUP BY team_id),
tgt AS (SELECT t.team_id, t.deposit_target FROM {T['team_target']} t JOIN {T['plan_month']} p
        ON p.id = t.plan_month_id WHERE p.month = %s{only_targets}),
keyed AS (SELECT team_id FROM s UNION SELECT team_id FROM tgt),
prev AS ({prev_sql}), ago AS ({ago_sql}),
num AS MATERIALIZED (
  SELECT k.team_id, {values}, tgt.deposit_target AS target, COALESCE(s.customer_base, 0) AS customer_base,
    prev.total AS previous_total, ago.total AS year_ago_total
  FROM keyed k LEFT JOIN s ON s.team_id = k.team_id LEFT JOIN tgt ON tgt.team_id = k.team_id
  LEFT JOIN prev ON prev.team_id = k.team_id LEFT JOIN ago ON ago.team_id = k.team_id),
{_derived('num')}
INSERT INTO {T['team']} (month, computed_at, team_id, {', '.join(COLUMNS)}, rank)
SELECT %s, %s, team_id, {', '.join('target' if c == 'deposit_target' else c for c in COLUMNS)}, {rank}
FROM derived"""
    params = [month, *only_params, month, *target_params,
              *prev_params, *ago_params, month, now]
    return _run(sql, params)


def company_row(month: date, now) -> int:
    """Insert the month's company row from its rep rows (a rep who moved counts their customers once)."""
    prev_sql, prev_params = _company_total(previous_month(month))
    ago_sql, ago_params = _company_total(_year_before(month))
    values = ", ".join(f"COALESCE(s.{c}, 0) AS {c}" for c in [*ENTERED, "weeks_reported", "weeks_missing"])
    sql = f"""
WITH s AS (SELECT {_summed('')} FROM {T['rep']} WHERE month = %s),
bases AS (SELECT MAX(customer_base) AS base FROM {T['rep']} WHERE month = %s GROUP BY employee_id),
num AS MATERIALIZED (
  SELECT {values}, (SELECT deposit_target FROM {T['plan_month']} WHERE month = %s) AS target,
    COALESCE((SELECT SUM(base) FROM bases), 0) AS customer_base,
    ({prev_sql}) AS previous_total, ({ago_sql}) AS year_ago_total
  FROM s),
{_derived('num')}
INSERT INTO {T['company']} (month, computed_at, {', '.join(COLUMNS)})
SELECT %s, %s, {', '.join('target' if c == 'deposit_target' else c for c in COLUMNS)} FROM derived"""
    return _run(sql, [month, month, month, *prev_params, *ago_params, month, now])


def team_week_rows(month: date, *, teams: set[int] | None = None) -> int:
    """Insert each team's (or `teams`') week totals and week targets for the month's weeks."""
    weeks, week_params = _in(weeks_of_month(month.year, month.month))
    only, only_params = _of_teams(teams, "team_id IN {teams}")
    only_targets, target_params = _of_teams(teams, "t.team_id IN {teams}")
    sql = f"""
WITH fw AS (
  SELECT team_id, week, SUM(new_customer_deposits) + SUM(existing_customer_deposits) AS deposits,
    SUM(accounts_opened) AS opened, COUNT(*) AS reps
  FROM {T['figures']} WHERE week IN {weeks}{only} GROUP BY team_id, week),
tw AS (
  SELECT t.team_id, t.week, SUM(t.deposit_target) AS target FROM {T['week_target']} t
  JOIN {T['plan_month']} p ON p.id = t.plan_month_id WHERE p.month = %s{only_targets} GROUP BY t.team_id, t.week),
keyed AS (SELECT team_id, week FROM fw UNION SELECT team_id, week FROM tw)
INSERT INTO {T['team_week']} (team_id, week, month, total_deposits, accounts_opened, reps_reported, deposit_target)
SELECT k.team_id, k.week, %s, COALESCE(fw.deposits, 0), COALESCE(fw.opened, 0), COALESCE(fw.reps, 0), tw.target
FROM keyed k LEFT JOIN fw ON fw.team_id = k.team_id AND fw.week = k.week
LEFT JOIN tw ON tw.team_id = k.team_id AND tw.week = k.week"""
    return _run(sql, [*week_params, *only_params, month, *target_params, month])


def delete_rows(month: date, *, teams: set[int] | None = None) -> None:
    """Delete the month's team and team-week rows (of `teams` only, if given) and its company row."""
    only, only_params = _of_teams(teams, "team_id IN {teams}")
    for table in ("team", "team_week"):  # rep_rows replaces the rep rows, writing only what changes
        _run(f"DELETE FROM {T[table]} WHERE month = %s{only}", [month, *only_params])
    _run(f"DELETE FROM {T['company']} WHERE month = %s", [month])
