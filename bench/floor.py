"""The floor the rollups are measured against: the same month sums, ranks and bottom flags written by hand as
plain PostgreSQL (INSERT … SELECT … GROUP BY into temporary tables, rank by window functions), run on the same
data in the same run. Then compared with the stored rows, so the floor is known to compute the same thing.

Per month: rep sums with attainment and ranks in company and team; team sums with rank; the company sums; each
rep's month placing flag (bottom 10 % by attainment, the default rule). The rest of what the rollups store
(growth, customer bases, weeks missing, team weeks, phases, streaks) is not in the floor.
"""

import time
from datetime import date

from django.db import connection, transaction

from kpis.metrics import ENTERED
from targets.calculations import weeks_of_month

CODES = [m.code for m in ENTERED]
TOTAL = "(new_customer_deposits + existing_customer_deposits)"

TABLES = f"""
CREATE TEMP TABLE floor_rep (month date, employee_id int, team_id int, employee_number text,
  {', '.join(f'{c} numeric' for c in CODES)}, total numeric, target bigint, attainment numeric,
  rank_in_company int, rank_in_team int) ON COMMIT DROP;
CREATE TEMP TABLE floor_team (month date, team_id int, total numeric, target bigint, attainment numeric, rank int)
  ON COMMIT DROP;
CREATE TEMP TABLE floor_company (month date, {', '.join(f'{c} numeric' for c in CODES)}, total numeric)
  ON COMMIT DROP;
CREATE TEMP TABLE floor_flag (month date, employee_id int, flagged boolean) ON COMMIT DROP;
"""



def _attainment(total: str, target: str) -> str:
    """total ÷ target to six decimals, a half to even as the rollups store it (PostgreSQL's ROUND takes halves
    away from zero; targets in thousands make exact halves common)."""
    y = f"({total} * 1000000 / NULLIF({target}, 0))"
    even = f"FLOOR({y}) - 2 * FLOOR(FLOOR({y}) / 2) = 0"
    return f"(CASE WHEN {y} - FLOOR({y}) = 0.5 AND {even} THEN FLOOR({y}) ELSE ROUND({y}) END / 1000000)"


REP = f"""
INSERT INTO floor_rep
SELECT %(month)s, s.employee_id, s.team_id, e.employee_number, {', '.join(f's.{c}' for c in CODES)}, s.total,
  t.deposit_target, {_attainment('s.total', 't.deposit_target')} AS attainment,
  CASE WHEN t.deposit_target > 0 THEN ROW_NUMBER() OVER (PARTITION BY t.deposit_target > 0
    ORDER BY {_attainment('s.total', 't.deposit_target')} DESC, s.total DESC, e.employee_number, s.team_id) END,
  CASE WHEN t.deposit_target > 0 THEN ROW_NUMBER() OVER (PARTITION BY s.team_id, t.deposit_target > 0
    ORDER BY {_attainment('s.total', 't.deposit_target')} DESC, s.total DESC, e.employee_number) END
FROM (SELECT employee_id, team_id, {', '.join(f'SUM({c}) AS {c}' for c in CODES)}, SUM({TOTAL}) AS total
      FROM kpis_weeklyfigures WHERE week = ANY(%(weeks)s) GROUP BY employee_id, team_id) s
JOIN teams_employee e ON e.id = s.employee_id
LEFT JOIN targets_repmonthtarget t ON t.employee_id = s.employee_id AND t.team_id = s.team_id
  AND t.plan_month_id = (SELECT id FROM targets_planmonth WHERE month = %(month)s)
"""

TEAM = f"""
INSERT INTO floor_team
SELECT %(month)s, s.team_id, s.total, t.deposit_target, {_attainment('s.total', 't.deposit_target')},
  ROW_NUMBER() OVER (ORDER BY {_attainment('s.total', 't.deposit_target')} DESC NULLS LAST, s.total DESC,
    s.team_id)
FROM (SELECT team_id, SUM(total) AS total FROM floor_rep WHERE month = %(month)s GROUP BY team_id) s
LEFT JOIN targets_teammonthtarget t ON t.team_id = s.team_id
  AND t.plan_month_id = (SELECT id FROM targets_planmonth WHERE month = %(month)s)
"""

COMPANY = f"""
INSERT INTO floor_company
SELECT %(month)s, {', '.join(f'SUM({c})' for c in CODES)}, SUM(total) FROM floor_rep WHERE month = %(month)s
"""

FLAG = """
INSERT INTO floor_flag
SELECT %(month)s, employee_id, place > n - (n * 10 + 99) / 100
FROM (SELECT employee_id, ROW_NUMBER() OVER (ORDER BY total / target DESC, total DESC, employee_number) AS place,
        COUNT(*) OVER () AS n
      FROM (SELECT employee_id, employee_number, SUM(total) AS total, SUM(target) AS target FROM floor_rep
            WHERE month = %(month)s GROUP BY employee_id, employee_number HAVING SUM(target) > 0) p) ranked
"""

# Rows where the floor and the stored rollups disagree.
COMPARE = """
SELECT
 (SELECT COUNT(*) FROM floor_rep f FULL JOIN (SELECT * FROM kpis_repmonthresult WHERE weeks_reported > 0) r
    ON r.month = f.month AND r.employee_id = f.employee_id AND r.team_id = f.team_id
  WHERE r.id IS NULL OR f.month IS NULL OR r.total_deposits <> f.total OR r.trading_volume <> f.trading_volume
    OR r.attainment IS DISTINCT FROM f.attainment OR r.rank_in_company IS DISTINCT FROM f.rank_in_company
    OR r.rank_in_team IS DISTINCT FROM f.rank_in_team),
 (SELECT COUNT(*) FROM floor_team f FULL JOIN kpis_teammonthresult r ON r.month = f.month AND r.team_id = f.team_id
  WHERE r.id IS NULL OR f.month IS NULL OR r.total_deposits <> f.total OR r.rank IS DISTINCT FROM f.rank),
 (SELECT COUNT(*) FROM floor_company f FULL JOIN kpis_companymonthresult r ON r.month = f.month
  WHERE r.id IS NULL OR f.month IS NULL OR r.total_deposits <> f.total),
 (SELECT COUNT(*) FROM floor_flag f
  FULL JOIN (SELECT * FROM kpis_periodplacing WHERE period = 'month' AND rank IS NOT NULL) p
    ON p.first_month = f.month AND p.employee_id = f.employee_id
  WHERE p.id IS NULL OR f.month IS NULL OR p.flagged <> f.flagged)
"""


def run(months: list[date]) -> tuple[float, dict[str, int]]:
    """Run the floor over the months; return its seconds and, per table, the rows differing from the stored."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TABLES)
        started = time.perf_counter()
        for month in months:
            params = {"month": month, "weeks": weeks_of_month(month.year, month.month)}
            for statement in (REP, TEAM, COMPANY, FLAG):
                cursor.execute(statement, params)
        seconds = time.perf_counter() - started
        cursor.execute(COMPARE)
        differing = dict(zip(("rep", "team", "company", "flag"), cursor.fetchone(), strict=True))
        transaction.set_rollback(True)
    return seconds, differing
