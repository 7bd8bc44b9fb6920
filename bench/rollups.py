"""Benchmark the rollups (`make bench`): N reps in teams of 8 with Y plan years of weekly figures, a full
recompute against a hand-written statement set (the floor), and single-team-week saves followed by their
recompute. Prints a table and writes bench/results.json; bench/README.md explains each figure.

    make bench                                  # 10,000 reps × 3 plan years (BENCH_REPS, BENCH_YEARS)
    make bench BENCH_REPS=48 BENCH_YEARS=1      # the demo's size

The database (BENCH_DATABASE_URL, default postgres://postgres@localhost:5432/salesops_bench) is created when
missing and EMPTIED first: its name must contain "bench". Reps, plans and figures are bulk-inserted (COPY);
the saves go through the real save service. No Celery task runs: the benchmark calls the recompute itself.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings.test")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL",
                                            "postgres://postgres@localhost:5432/salesops_bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import floor  # noqa: E402
from kpis import services  # noqa: E402
from kpis.metrics import ENTERED  # noqa: E402
from kpis.models import Channel, WeeklyFigures  # noqa: E402
from kpis.results import services as rollups  # noqa: E402
from kpis.results.models import RepMonthResult  # noqa: E402
from targets.calculations import month_of_week, weeks_of_month  # noqa: E402
from targets.models import (  # noqa: E402
    Phase,
    PlanMonth,
    PlanYear,
    RepMonthTarget,
    RepWeekTarget,
    TeamMonthTarget,
)
from targets.working_calendar import services as calendar_services  # noqa: E402
from teams.models import Employee, Membership, Role, Team, User  # noqa: E402

FIRST_MONTH = date(2017, 2, 1)
HIRED = date(2016, 1, 4)
TEAM_SIZE = 8
RESULTS = Path(__file__).resolve().parent / "results.json"


def scratch_database() -> None:
    """Refuse a database whose name does not say bench, then create it afresh and migrate it (a scratch
    database left by another branch's migrations would not migrate)."""
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit(f"refusing to use {connection.vendor} database “{name}”: BENCH_DATABASE_URL must be PostgreSQL "
                 "and its database name must contain “bench” (it is emptied)")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def copy(model, columns: list[str], rows) -> int:
    """COPY the rows (tuples of plain values, None for NULL) into the model's table; return how many."""
    buffer, count = io.StringIO(), 0
    for row in rows:
        buffer.write("\t".join(r"\N" if v is None else str(v) for v in row) + "\n")
        count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


@contextmanager
def without_indexes(*models):
    """Drop the tables' secondary indexes and unique constraints for a bulk load and build them again after it:
    one sort per index instead of an insert per row (the primary keys stay)."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)", [tables])
        constraints = cursor.fetchall()
        cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
                       "AND i.indexname NOT LIKE '%%_pkey' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                       "WHERE c.conname = i.indexname)", [tables])
        indexes = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)


def organisation(reps: int) -> tuple[User, list[int], list[tuple[int, int]]]:
    """Return the director, the team ids and each rep's (employee id, team id): all bulk-inserted."""
    teams = -(-reps // TEAM_SIZE)
    director = User.objects.create(username="director", role=Role.DIRECTOR, is_staff=True)
    Employee.objects.create(user=director, employee_number="D0001", name="销售总监", hire_date=HIRED,
                            probation_end=HIRED)
    User.objects.create(username="gm", role=Role.GENERAL_MANAGER)
    users = User.objects.bulk_create([User(username=f"m{i:05d}", role=Role.MANAGER) for i in range(teams)]
                                     + [User(username=f"rep{n:06d}", role=Role.REP) for n in range(reps)])
    people = Employee.objects.bulk_create(
        [Employee(user=u, employee_number=f"{'M' if i < teams else 'R'}{i:06d}", name=u.username, hire_date=HIRED,
                  probation_end=HIRED) for i, u in enumerate(users)])
    managers, staff = people[:teams], people[teams:]
    team_ids = [t.pk for t in Team.objects.bulk_create(
        [Team(code=f"team-{i:05d}", name=f"第{i + 1}队", manager=m) for i, m in enumerate(managers)])]
    members = [(e.pk, team_ids[n // TEAM_SIZE]) for n, e in enumerate(staff)]
    copy(Membership, ["employee_id", "team_id", "starts_on"], ((e, t, HIRED) for e, t in members))
    return director, team_ids, members


def months_of(years: int) -> list[date]:
    months, month = [], FIRST_MONTH
    for _ in range(12 * years):
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def plans(years: int, team_ids: list[int], members: list[tuple[int, int]], director: User, rng) -> int:
    """Insert approved plan years with quarterly phases and every team, rep and week target; return the rows."""
    rep_targets = {e: rng.randrange(120, 200) * 1000 for e, _t in members}  # a rep's month target
    by_team: dict[int, int] = {}
    for e, t in members:
        by_team[t] = by_team.get(t, 0) + rep_targets[e]
    months = months_of(years)
    rows = 0
    for year in range(years):
        plan = PlanYear.objects.create(name=f"{FIRST_MONTH.year + year}年计划", first_month=months[12 * year],
                                       status=PlanYear.Status.APPROVED, approved_by=director,
                                       approved_at=timezone.now())
        phases = Phase.objects.bulk_create([Phase(plan=plan, number=n + 1, name=f"第{n + 1}阶段") for n in range(4)])
        plan_months = PlanMonth.objects.bulk_create(
            [PlanMonth(plan=plan, phase=phases[i // 3], month=m, deposit_target=sum(by_team.values()))
             for i, m in enumerate(months[12 * year:12 * year + 12])])
        rows += copy(TeamMonthTarget, ["plan_month_id", "team_id", "deposit_target"],
                     ((pm.pk, t, by_team[t]) for pm in plan_months for t in team_ids))
        rows += copy(RepMonthTarget, ["plan_month_id", "team_id", "employee_id", "deposit_target"],
                     ((pm.pk, t, e, rep_targets[e]) for pm in plan_months for e, t in members))
        for pm in plan_months:
            weeks = weeks_of_month(pm.month.year, pm.month.month)
            rows += copy(RepWeekTarget, ["plan_month_id", "team_id", "employee_id", "week", "deposit_target"],
                         ((pm.pk, t, e, w, rep_targets[e] // len(weeks)) for e, t in members for w in weeks))
    return rows


def figures(years: int, members: list[tuple[int, int]], director: User, rng) -> tuple[int, list[date]]:
    """COPY every rep's figures for every week of the plan years (each in the rep's team); return the rows and
    the weeks."""
    months = months_of(years)
    weeks = [w for m in months for w in weeks_of_month(m.year, m.month)]
    now, codes = timezone.now().isoformat(), [m.code for m in ENTERED]
    shape = {"new_customers": 12, "engaged_customers": 8, "accounts_opened": 5}
    cents = {"new_customer_deposits": 40_000_00, "existing_customer_deposits": 60_000_00,
             "trading_volume": 900_000_00}
    draw = rng.randrange

    def rows():
        for w in weeks:
            for e, t in members:
                yield (e, t, w, "submitted", 1, director.pk, now,
                       *[draw(shape[c]) if c in shape else f"{draw(cents[c]) / 100:.2f}" for c in codes])

    count = copy(WeeklyFigures, ["employee_id", "team_id", "week", "state", "version", "entered_by_id",
                                 "entered_at", *codes], rows())
    return count, weeks


def timed(work) -> tuple[object, float, int]:
    """Return what `work()` returned, the seconds it took and the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


def save_team_week(team: int, week: date, director: User, rng) -> tuple[float, int, list[date]]:
    """Save one team's week through the save service (every rep's row changed) and recompute what it made stale;
    return the milliseconds both took, the recompute's queries and the months it recomputed."""
    saved = list(WeeklyFigures.objects.filter(team_id=team, week=week))
    rows = [services.RepWeekInput(f.employee_id, {
        "accounts_opened": f.accounts_opened + 1,
        "new_customer_deposits": f.new_customer_deposits + rng.randrange(1, 5000)}, version=f.version) for f in saved]
    started = time.perf_counter()
    services.weekly_figures_save(week=week, rows=rows, by=director, channel=Channel.SYSTEM)
    done, _seconds, queries = timed(rollups.recompute_pending)
    return (time.perf_counter() - started) * 1000, queries, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS") or 10_000))
    parser.add_argument("--years", type=int, default=int(os.environ.get("BENCH_YEARS") or 3))
    parser.add_argument("--saves", type=int, default=5, help="single-team-week saves in the as-of month (5)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--check", action="store_true", help="run check_rollups at the end (small sizes)")
    options = parser.parse_args()
    rng = random.Random(2017)
    rollups._send_recompute = lambda: None  # no task: the benchmark runs the recompute itself

    started = time.perf_counter()
    scratch_database()
    migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    steps = {}
    with transaction.atomic():
        # A bulk load: the foreign keys are the ones the ids were just read from, so skip the per-row trigger
        # checks at commit (they took longer than the load). Needs a superuser, as the tests' postgres is.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        calendar_services.calendar_sync_statutory()
        steps["calendar"] = time.perf_counter()
        director, team_ids, members = organisation(options.reps)
        steps["organisation"] = time.perf_counter()
        with without_indexes(WeeklyFigures, RepWeekTarget, RepMonthTarget):
            target_rows = plans(options.years, team_ids, members, director, rng)
            steps["plans"] = time.perf_counter()
            weekly_rows, weeks = figures(options.years, members, director, rng)
            steps["figures"] = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a load this size
        steps["indexes"] = time.perf_counter()
    setup_s = time.perf_counter() - started
    setup_steps = {k: round(v - started, 2) for k, v in steps.items()}
    # "Today" is the Friday of the last week with figures: every month has begun, the last is the as-of month.
    settings.AS_OF_DATE = weeks[-1] + timedelta(days=4)
    as_of_month = month_of_week(weeks[-1])

    months, full_s, full_queries = timed(rollups.recompute_all)
    floor_s, mismatches = floor.run(months)

    saves, queries = [], []
    for n in range(options.saves):
        ms, q, done = save_team_week(team_ids[(n * 7919) % len(team_ids)], weeks[-1], director, rng)
        assert done == [as_of_month], done
        saves.append(ms)
        queries.append(q)
    early_ms, early_queries, early_done = save_team_week(team_ids[0], weeks[0], director, rng)
    checked = None
    if options.check:
        out = io.StringIO()
        call_command("check_rollups", stdout=out)
        checked = out.getvalue().splitlines()[0]

    results = {
        "reps": options.reps, "teams": len(team_ids), "plan_years": options.years, "weekly_rows": weekly_rows,
        "target_rows": target_rows, "months": len(months), "migrate_s": round(migrate_s, 2),
        "setup_s": round(setup_s, 2), "setup_done_at_s": setup_steps, "rollup_full_s": round(full_s, 3),
        "rollup_floor_s": round(floor_s, 3),
        "rollup_full_ratio": round(full_s / floor_s, 2), "floor_mismatches": mismatches,
        "rollup_queries_full": full_queries, "rep_rows": RepMonthResult.objects.count(),
        "incremental_month": f"{as_of_month:%Y-%m}", "rollup_incremental_ms": round(statistics.median(saves), 1),
        "rollup_incremental_ms_each": [round(s, 1) for s in saves],
        "rollup_queries_incremental": int(statistics.median(queries)),
        "early_month": f"{month_of_week(weeks[0]):%Y-%m}", "early_months_recomputed": len(early_done),
        "rollup_early_save_ms": round(early_ms, 1), "rollup_queries_early_save": early_queries,
        "check_rollups": checked, "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(), "postgresql": connection.pg_version,
    }
    options.results.write_text(json.dumps(results, indent=2) + "\n")
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
