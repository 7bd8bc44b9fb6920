"""Check the stored rollups against a plain recomputation from the raw weekly figures.

A second opinion, deliberately independent of kpis/rollups.py: one loop over the figures rows in Python,
each week counted in the month holding its Thursday, then the stored rep, team and company rows compared
column by column (entered sums, total deposits, target, attainment, weeks reported).
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from kpis.metrics import ENTERED
from kpis.models import WeeklyFigures
from kpis.results.models import CompanyMonthResult, RepMonthResult, RollupMonth, TeamMonthResult
from targets.models import PlanMonth, RepMonthTarget, TeamMonthTarget
from teams.models import Employee, Team

CODES = [m.code for m in ENTERED]
COLUMNS = [*CODES, "total_deposits", "deposit_target", "attainment", "weeks_reported"]
SHOWN = 50  # mismatches printed; the count covers all


def _zero() -> dict:
    return {"weeks_reported": 0, **{code: Decimal(0) for code in CODES}}


def _expected(sums: dict, target: int | None) -> dict:
    total = sums["new_customer_deposits"] + sums["existing_customer_deposits"]
    attainment = (total / Decimal(target)).quantize(Decimal("0.000001")) if target else None
    return {**sums, "total_deposits": total, "deposit_target": target, "attainment": attainment}


class Command(BaseCommand):
    help = ("Recompute every month's rep, team and company figures from the raw weekly figures with a plain loop "
            "and compare them with the stored rollups; print each difference and fail if there is any.")

    def handle(self, *args, **options) -> None:
        reps, teams, company = defaultdict(_zero), defaultdict(_zero), defaultdict(_zero)
        for row in WeeklyFigures.objects.values("employee_id", "team_id", "week", *CODES).order_by().iterator():
            thursday = row["week"] + timedelta(days=3)
            month = date(thursday.year, thursday.month, 1)
            for sums in (reps[month, row["employee_id"], row["team_id"]], teams[month, row["team_id"]],
                         company[month]):
                sums["weeks_reported"] += 1
                for code in CODES:
                    sums[code] += row[code]
        rep_targets = {(m, e, t): target for m, e, t, target in RepMonthTarget.objects.values_list(
            "plan_month__month", "employee_id", "team_id", "deposit_target")}
        team_targets = {(m, t): target for m, t, target in TeamMonthTarget.objects.values_list(
            "plan_month__month", "team_id", "deposit_target")}
        company_targets = dict(PlanMonth.objects.values_list("month", "deposit_target"))

        self.names = {("employee_id", pk): f"{name} ({number})" for pk, name, number
                      in Employee.objects.values_list("pk", "name", "employee_number")}
        self.names |= {("team_id", pk): code for pk, code in Team.objects.values_list("pk", "code")}
        problems: list[str] = []
        rows = {
            "rep": self._compare(RepMonthResult.objects.values("month", "employee_id", "team_id", *COLUMNS),
                                 ("month", "employee_id", "team_id"), reps, rep_targets, problems),
            "team": self._compare(TeamMonthResult.objects.values("month", "team_id", *COLUMNS),
                                  ("month", "team_id"), teams, team_targets, problems),
            "company": self._compare(CompanyMonthResult.objects.values("month", *COLUMNS),
                                     ("month",), {(m,): s for m, s in company.items()},
                                     {(m,): t for m, t in company_targets.items()}, problems),
        }
        stale = [f"{s.month:%Y-%m}" for s in RollupMonth.objects.all() if s.pending]
        if stale:
            self.stdout.write(f"note: a recompute is pending for {', '.join(stale)}; differences there may be it.")
        if problems:
            for line in problems[:SHOWN]:
                self.stdout.write(line)
            if len(problems) > SHOWN:
                self.stdout.write(f"… and {len(problems) - SHOWN} more")
            raise CommandError(f"{len(problems)} differences between the rollups and the weekly figures.")
        self.stdout.write(self.style.SUCCESS(
            f"rollups match: {rows['rep']} rep rows, {rows['team']} team rows, {rows['company']} company rows"))

    def _compare(self, stored_rows, key_names: tuple[str, ...], sums: dict, targets: dict, problems: list[str]) -> int:
        """Compare every stored row with the plain sums; note rows the figures need but are not stored."""
        seen = set()
        count = 0
        for stored in stored_rows.order_by(*key_names).iterator():
            key = tuple(stored[k] for k in key_names)
            seen.add(key)
            count += 1
            expected = _expected(sums.get(key) or _zero(), targets.get(key))
            for column in COLUMNS:
                if stored[column] != expected[column]:
                    problems.append(f"{self._label(key_names, key)}: {column} is {stored[column]}, "
                                    f"the weekly figures give {expected[column]}")
        for key in sorted(set(sums) - seen, key=repr):
            problems.append(f"{self._label(key_names, key)}: no stored row, but there are weekly figures for it")
        return count


    def _label(self, key_names: tuple[str, ...], key: tuple) -> str:
        """Return e.g. "2017-08 rep 甲队员 (T00005) in team-a", "2017-08 team team-a" or "2017-08 company"."""
        names = dict(zip(key_names, key, strict=True))
        month = f"{names['month']:%Y-%m}"
        team = self.names.get(("team_id", names.get("team_id")))
        if "employee_id" in names:
            return f"{month} rep {self.names[('employee_id', names['employee_id'])]} in {team}"
        return f"{month} team {team}" if team else f"{month} company"
