"""Benchmark the rollups: a full recompute, and the incremental recompute after one save, for N reps × 40 weeks.

Usage (a scratch PostgreSQL database, created when missing and EMPTIED first; its name must contain "bench"):
    DJANGO_SETTINGS_MODULE=salesops.settings.test DATABASE_URL=postgres://postgres@localhost:5432/salesops_bench \
        .venv/bin/python bench/rollups.py --reps 2000

The organisation's managers, the calendar and the 2017 plan (approved, so split to every rep and week) go
through the services; the reps and their weekly figures are bulk-inserted, as a benchmark may. The recomputes
are timed and their queries counted; no Celery task runs (the benchmark calls the rollup functions itself).
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesops.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from kpis import services  # noqa: E402
from kpis.models import Channel, WeeklyFigures  # noqa: E402
from kpis.results import services as rollups  # noqa: E402
from kpis.results.models import (  # noqa: E402
    CompanyMonthResult,
    PeriodPlacing,
    RepMonthResult,
    TeamMonthResult,
    TeamWeekResult,
)
from targets import demo as plan_demo  # noqa: E402
from targets import services as target_services  # noqa: E402
from targets.calculations import month_of_week  # noqa: E402
from targets.working_calendar import services as calendar_services  # noqa: E402
from teams import services as team_services  # noqa: E402
from teams.models import Employee, Membership, Position, Role, SalaryGrade, Team, User  # noqa: E402

FIRST_WEEK = date(2017, 1, 30)  # the first week of February 2017 (its Thursday is 2 February)
HIRED = date(2016, 1, 4)
BATCH = 5000


def scratch_database() -> None:
    """Create the database when it is missing, refuse one that does not look like a scratch one, then empty it."""
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit(f"refusing to use {connection.vendor} database “{name}”: pass a PostgreSQL DATABASE_URL whose "
                 "database name contains “bench” (it is emptied)")
    try:
        connection.ensure_connection()
    except OperationalError:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def hire(role: str, number: str, name: str, position: Position, grade: SalaryGrade, team: Team | None = None):
    return team_services.employee_hire(username=number.lower(), password=None, role=role, employee_number=number,
                                       name=name, hire_date=HIRED, probation_end=HIRED, position=position,
                                       salary_grade=grade, team=team)


def organisation(reps: int, team_size: int) -> tuple[User, list[Team]]:
    """Return the director's log-in and the teams: managers through the services, reps bulk-inserted."""
    position, _ = Position.objects.get_or_create(code="rep", defaults={"name": "销售代表", "level": 10})
    grade, _ = SalaryGrade.objects.get_or_create(code="G1", defaults={"name": "一级", "level": 1, "monthly_base": 4000})
    director = hire(Role.DIRECTOR, "D0001", "销售总监", position, grade)
    hire(Role.GENERAL_MANAGER, "G0001", "总经理", position, grade)
    teams = Team.objects.bulk_create([Team(code=f"team-{i:04d}", name=f"第{i}队")
                                      for i in range(1, -(-reps // team_size) + 1)])
    for i, team in enumerate(teams, start=1):
        team_services.team_assign_manager(team=team, manager=hire(Role.MANAGER, f"M{i:05d}", f"经理{i}", position,
                                                                   grade))
    users = User.objects.bulk_create([User(username=f"rep{n:06d}", role=Role.REP) for n in range(reps)],
                                     batch_size=BATCH)
    people = Employee.objects.bulk_create(
        [Employee(user=u, employee_number=f"R{n:06d}", name=f"销售{n}", hire_date=HIRED, probation_end=HIRED)
         for n, u in enumerate(users)], batch_size=BATCH)
    Membership.objects.bulk_create([Membership(employee=e, team=teams[n // team_size], starts_on=HIRED)
                                    for n, e in enumerate(people)], batch_size=BATCH)
    return director.user, teams


def plan(director: User) -> None:
    general_manager = User.objects.get(role=Role.GENERAL_MANAGER)
    draft = target_services.plan_create(name=plan_demo.PLAN_2017, first_month=date(2017, 2, 1),
                                        phases=plan_demo.PHASES_2017, month_targets=plan_demo.TARGETS_2017,
                                        by=director)
    target_services.plan_approve(plan=draft, version=draft.version, by=general_manager)


def figures(weeks: int, director: User) -> int:
    """Bulk-insert every rep's figures for the weeks (each in the team the rep is in); return the rows."""
    rng, now = random.Random(2017), timezone.now()
    members = list(Membership.objects.values_list("employee_id", "team_id"))
    mondays = [FIRST_WEEK + timedelta(weeks=n) for n in range(weeks)]
    rows = []
    for monday in mondays:
        for employee_id, team_id in members:
            new = Decimal(rng.randrange(0, 40_000_00)) / 100
            rows.append(WeeklyFigures(
                employee_id=employee_id, team_id=team_id, week=monday, entered_by=director, entered_at=now,
                new_customers=rng.randrange(0, 12), engaged_customers=rng.randrange(0, 8),
                accounts_opened=rng.randrange(0, 5), new_customer_deposits=new,
                existing_customer_deposits=Decimal(rng.randrange(0, 60_000_00)) / 100,
                trading_volume=Decimal(rng.randrange(0, 900_000_00)) / 100))
    WeeklyFigures.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def rollup_rows() -> str:
    return (f"{RepMonthResult.objects.count():,} rep / {TeamMonthResult.objects.count():,} team / "
            f"{CompanyMonthResult.objects.count():,} company month rows, {TeamWeekResult.objects.count():,} team-week "
            f"rows, {PeriodPlacing.objects.count():,} placings")


def timed(work) -> tuple[object, float, int]:
    """Return what `work()` returned, the seconds it took and the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=2000, help="how many reps (default 2000)")
    parser.add_argument("--weeks", type=int, default=40, help="weeks of figures per rep from February 2017 (40)")
    parser.add_argument("--team-size", type=int, default=8, help="reps per team (8)")
    options = parser.parse_args()

    rollups._send_recompute = lambda: None  # no task: the benchmark runs the recomputes itself
    started = time.perf_counter()
    scratch_database()
    calendar_services.calendar_sync_statutory()
    director, teams = organisation(options.reps, options.team_size)
    plan(director)
    written = figures(options.weeks, director)
    print(f"setup: {options.reps:,} reps in {len(teams):,} teams × {options.weeks} weeks = {written:,} weekly "
          f"figures rows, the 2017 plan split to every rep and week ({time.perf_counter() - started:.1f} s)")

    months, seconds, queries = timed(rollups.recompute_all)
    print(f"full recompute_all: {len(months)} months in {seconds:.2f} s, {queries:,} queries "
          f"({seconds / len(months):.2f} s a month)")
    print(f"  rows: {rollup_rows()}")

    rep = Employee.objects.filter(user__role=Role.REP).order_by("employee_number").first()
    week = FIRST_WEEK + timedelta(weeks=options.weeks // 2)
    saved = WeeklyFigures.objects.get(employee=rep, week=week)
    change = services.RepWeekInput(rep.pk, {"accounts_opened": saved.accounts_opened + 1}, version=saved.version)
    _summary, save_seconds, save_queries = timed(lambda: services.weekly_figures_save(
        week=week, rows=[change], by=director, channel=Channel.SYSTEM))
    month = month_of_week(week)
    before = set(RepMonthResult.objects.filter(month=month).values_list("pk", flat=True))
    done, seconds, queries = timed(rollups.recompute_pending)
    # The saved month is rewritten for the saving rep's team; every later month reads it (growth, customer base,
    # streaks: kpis/results/dependencies.py) and is recomputed whole.
    assert done[0] == month and all(later > month for later in done[1:]), done
    rewritten = RepMonthResult.objects.filter(month=month).exclude(pk__in=before).count()
    print(f"one rep-week saved through the service: {save_seconds:.3f} s, {save_queries} queries")
    print(f"incremental recompute_pending after it: {len(done)} months ({month:%Y-%m} for the team, then "
          f"{len(done) - 1} later months whole) in {seconds:.2f} s, {queries:,} queries, rewriting {rewritten:,} of "
          f"{month:%Y-%m}'s {RepMonthResult.objects.filter(month=month).count():,} rep rows (the saving rep's team) "
          f"and re-ranking the rest in place; {TeamMonthResult.objects.filter(month=month).count():,} team rows")


if __name__ == "__main__":
    main()
