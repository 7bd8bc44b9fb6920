"""Check every stored rollup column against a plain recomputation from the raw inputs.

A second opinion, deliberately independent of kpis/results/statements.py (no SQL aggregates, no metric registry, no
ranking code in common): one loop over the weekly figures in Python, each week counted in the month holding
its Thursday; the targets, opening customer bases, people, phases and the elimination rule read as plain rows.
Then every stored rep, team and company column is compared (entered sums, total deposits, target, attainment,
close rate, customer base and growth, growth on the month before (环比) and a year before (同比), weeks reported,
ranks), and every month and phase placing (rank, exclusion, attainment, deposits, flag, streak, probation).
A month whose first week has not begun by today is not ranked: no ranks, no placings; a phase counts its begun
months only. weeks_missing (it needs the memberships and the working calendar) is not compared.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from math import ceil

from django.core.management.base import BaseCommand, CommandError

from kpis.metrics import ENTERED
from kpis.models import CustomerBase, WeeklyFigures
from kpis.results.models import (
    CompanyMonthResult,
    EliminationRule,
    PeriodPlacing,
    RepMonthResult,
    RollupMonth,
    TeamMonthResult,
)
from targets.models import PlanMonth, RepMonthTarget, TeamMonthTarget
from teams import clock
from teams.models import Employee, Team

CODES = [m.code for m in ENTERED]
ROW_COLUMNS = [*CODES, "total_deposits", "deposit_target", "attainment", "close_rate", "customer_base",
               "customer_growth_rate", "performance_growth_rate", "performance_growth_yoy", "weeks_reported"]
REP_COLUMNS = [*ROW_COLUMNS, "rank_in_team", "rank_in_company"]
TEAM_COLUMNS = [*ROW_COLUMNS, "rank"]
PLACING_COLUMNS = ["rank", "excluded", "attainment", "total_deposits", "flagged", "consecutive", "on_probation"]
SIX_PLACES = Decimal("0.000001")
SHOWN = 50  # mismatches printed; the count covers all


def _zero() -> dict:
    return {"weeks_reported": 0, **{code: Decimal(0) for code in CODES}}


def _first_monday(month: date) -> date:
    """The Monday of the week holding the 4th: its Thursday is in the month, so it is the month's first week."""
    fourth = month.replace(day=4)
    return fourth - timedelta(days=fourth.weekday())


def _last_sunday(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return _first_monday(following) - timedelta(days=1)


def _before(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def _share(part, whole) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(SIX_PLACES) if whole else None


def _growth(now: Decimal, then: Decimal | None) -> Decimal | None:
    return ((now - then) / then).quantize(SIX_PLACES) if then else None


def _expected(sums: dict, target: int | None, base: int, previous: Decimal | None, year_ago: Decimal | None) -> dict:
    total = sums["new_customer_deposits"] + sums["existing_customer_deposits"]
    return {**sums, "total_deposits": total, "deposit_target": target, "attainment": _share(total, target),
            "close_rate": _share(sums["accounts_opened"], sums["engaged_customers"]), "customer_base": base,
            "customer_growth_rate": _share(sums["accounts_opened"], base),
            "performance_growth_rate": _growth(total, previous), "performance_growth_yoy": _growth(total, year_ago)}


def _ranks(rows: dict, order) -> dict:
    """Return 1, 2, … for the rows with an attainment, best first by `order`."""
    ranked = sorted((key for key, row in rows.items() if row["attainment"] is not None), key=order)
    return {key: i for i, key in enumerate(ranked, start=1)}


class Command(BaseCommand):
    help = ("Recompute every month's rep, team and company rollups and the month and phase placings from the raw "
            "weekly figures, targets and customer bases with plain loops, compare every stored column with them, "
            "print each difference and fail if there is any.")

    def handle(self, *args, **options) -> None:
        self.today = clock.today()
        self._read_inputs()
        self.names = {("employee_id", pk): f"{p.name} ({p.employee_number})" for pk, p in self.people.items()}
        self.names |= {("team_id", pk): code for pk, code in Team.objects.values_list("pk", "code")}
        problems: list[str] = []
        stored_reps = {(r["month"], r["employee_id"], r["team_id"]): r for r in RepMonthResult.objects.values(
            "month", "employee_id", "team_id", *REP_COLUMNS).order_by("month", "team_id", "employee_id")}
        stored_teams = {(r["month"], r["team_id"]): r for r in TeamMonthResult.objects.values(
            "month", "team_id", *TEAM_COLUMNS).order_by("month", "team_id")}
        stored_company = {(r["month"],): r for r in CompanyMonthResult.objects.values(
            "month", *ROW_COLUMNS).order_by("month")}
        reps = self._expected_reps(stored_reps)
        teams = self._expected_teams(stored_teams, reps)
        company = self._expected_company(stored_company, reps)
        self._compare(("month", "employee_id", "team_id"), stored_reps, reps, REP_COLUMNS, self.rep_sums, problems)
        self._compare(("month", "team_id"), stored_teams, teams, TEAM_COLUMNS, self.team_sums, problems)
        self._compare(("month",), stored_company, company, ROW_COLUMNS, self.company_sums, problems)
        placings = self._compare_placings(reps, problems)
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
            f"rollups match: {len(stored_reps)} rep rows, {len(stored_teams)} team rows, {len(stored_company)} "
            f"company rows, {placings} placings"))

    # --- the inputs, read as plain rows ----------------------------------------------------------------------

    def _read_inputs(self) -> None:
        self.rep_sums, self.team_sums, self.company_sums = defaultdict(_zero), defaultdict(_zero), defaultdict(_zero)
        self.rep_totals: dict[tuple, Decimal] = defaultdict(Decimal)  # (month, employee) over every team
        self.opened: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        for row in WeeklyFigures.objects.values("employee_id", "team_id", "week", *CODES).order_by().iterator():
            thursday = row["week"] + timedelta(days=3)
            month = date(thursday.year, thursday.month, 1)
            employee, team = row["employee_id"], row["team_id"]
            for sums in (self.rep_sums[month, employee, team], self.team_sums[month, team], self.company_sums[month,]):
                sums["weeks_reported"] += 1
                for code in CODES:
                    sums[code] += row[code]
            self.rep_totals[month, employee] += row["new_customer_deposits"] + row["existing_customer_deposits"]
            self.opened[employee][month] += row["accounts_opened"]
        self.rep_targets = {(m, e, t): target for m, e, t, target in RepMonthTarget.objects.values_list(
            "plan_month__month", "employee_id", "team_id", "deposit_target")}
        self.team_targets = {(m, t): target for m, t, target in TeamMonthTarget.objects.values_list(
            "plan_month__month", "team_id", "deposit_target")}
        self.company_targets = {(m,): t for m, t in PlanMonth.objects.values_list("month", "deposit_target")}
        self.phases: dict[int, list[date]] = defaultdict(list)
        for month, phase in PlanMonth.objects.values_list("month", "phase_id"):
            self.phases[phase].append(month)
        self.opening = dict(CustomerBase.objects.values_list("employee_id", "opening_base"))
        self.people = {e.pk: e for e in Employee.objects.only(
            "name", "employee_number", "hire_date", "left_on", "probation_end")}
        self.rule = EliminationRule.objects.first() or EliminationRule()

    def _started(self, month: date) -> bool:
        return _first_monday(month) <= self.today

    def _base(self, employee: int, month: date) -> int:
        """The opening base plus every account opened in the months before."""
        return self.opening.get(employee, 0) + sum(n for m, n in self.opened[employee].items() if m < month)

    # --- the rows ------------------------------------------------------------------------------------------------

    def _expected_reps(self, stored: dict) -> dict:
        rows = {}
        for month, employee, team in stored:
            rows[month, employee, team] = _expected(
                self.rep_sums.get((month, employee, team)) or _zero(), self.rep_targets.get((month, employee, team)),
                self._base(employee, month), self.rep_totals.get((_before(month), employee)),
                self.rep_totals.get((month.replace(year=month.year - 1), employee)))
        for month in {m for m, _e, _t in rows}:
            of_month = {k: r for k, r in rows.items() if k[0] == month}
            ranked = self._started(month)

            def order(key):
                return -rows[key]["attainment"], -rows[key]["total_deposits"], self.people[key[1]].employee_number

            in_company = _ranks(of_month, order) if ranked else {}
            in_team = {}
            for team in {t for _m, _e, t in of_month}:
                in_team |= _ranks({k: r for k, r in of_month.items() if k[2] == team}, order) if ranked else {}
            for key, row in of_month.items():
                row["rank_in_company"], row["rank_in_team"] = in_company.get(key), in_team.get(key)
        return rows

    def _total(self, month: date, team: int | None = None) -> Decimal:
        """Return the total deposits of the team in the month, or of the company without a team."""
        sums = self.team_sums.get((month, team)) if team is not None else self.company_sums.get((month,))
        return sums["new_customer_deposits"] + sums["existing_customer_deposits"] if sums else Decimal(0)

    def _expected_teams(self, stored: dict, reps: dict) -> dict:
        bases: dict[tuple, int] = defaultdict(int)
        for (month, _employee, team), row in reps.items():
            bases[month, team] += row["customer_base"]
        rows = {(month, team): _expected(
            self.team_sums.get((month, team)) or _zero(), self.team_targets.get((month, team)), bases[month, team],
            self._total(_before(month), team), self._total(month.replace(year=month.year - 1), team))
            for month, team in stored}
        for month in {m for m, _t in rows}:
            of_month = {k: r for k, r in rows.items() if k[0] == month}
            ranks = _ranks(of_month, lambda k: (-rows[k]["attainment"], -rows[k]["total_deposits"], k[1])) \
                if self._started(month) else {}
            for key, row in of_month.items():
                row["rank"] = ranks.get(key)
        return rows

    def _expected_company(self, stored: dict, reps: dict) -> dict:
        bases: dict[date, dict[int, int]] = defaultdict(dict)
        for (month, employee, _team), row in reps.items():
            bases[month][employee] = row["customer_base"]  # a rep who moved counts once
        return {(month,): _expected(
            self.company_sums.get((month,)) or _zero(), self.company_targets.get((month,)),
            sum(bases[month].values()), self._total(_before(month)),
            self._total(month.replace(year=month.year - 1))) for (month,) in stored}

    def _compare(self, key_names: tuple[str, ...], stored: dict, expected: dict, columns: list[str], sums: dict,
                 problems: list[str]) -> None:
        """Compare every stored row with the plain recount; note rows the figures need but are not stored, and
        rows the targets need."""
        for key, row in stored.items():
            for column in columns:
                if row[column] != expected[key][column]:
                    problems.append(f"{self._label(key_names, key)}: {column} is {row[column]}, "
                                    f"the weekly figures give {expected[key][column]}")
        for key in sorted(set(sums) - set(stored), key=repr):
            problems.append(f"{self._label(key_names, key)}: no stored row, but there are weekly figures for it")

    # --- placings ----------------------------------------------------------------------------------------------

    def _periods(self) -> list[tuple[str, date, list[date], date]]:
        """Return each ranked period: (period, first month, its begun months, the last day they cover)."""
        months = sorted({m for m in RollupMonth.objects.values_list("month", flat=True)} | {
            m for ms in self.phases.values() for m in ms})
        periods = [(PeriodPlacing.Period.MONTH, m, [m], _last_sunday(m)) for m in months if self._started(m)]
        for phase_months in self.phases.values():
            begun = sorted(m for m in phase_months if self._started(m))
            if begun:
                periods.append((PeriodPlacing.Period.PHASE, min(phase_months), begun, _last_sunday(begun[-1])))
        return periods

    def _placings(self, reps: dict) -> dict:
        placings = {}
        for period, first_month, months, last in self._periods():
            deposits: dict[int, Decimal] = defaultdict(Decimal)
            targets: dict[int, list[int]] = defaultdict(list)  # the rows without a target add nothing
            for (month, employee, _team), row in reps.items():
                if month in months:
                    deposits[employee] += row["total_deposits"]
                    targets[employee] += [] if row["deposit_target"] is None else [row["deposit_target"]]
            first = _first_monday(first_month)
            middle = first + timedelta(days=(last - first).days // 2)
            ranked = []
            for employee in deposits:
                person = self.people[employee]
                target = sum(targets[employee])
                share = deposits[employee] / Decimal(target) if target else None
                why = ("joined_late" if person.hire_date > middle else
                       "left_early" if person.left_on is not None and person.left_on < middle else
                       "no_target" if share is None else "")
                placings[period, first_month, employee] = {
                    "rank": None, "excluded": why, "attainment": None if share is None else share.quantize(SIX_PLACES),
                    "total_deposits": deposits[employee], "flagged": False, "consecutive": 0,
                    "on_probation": last <= person.probation_end}
                if not why:
                    ranked.append((-share, -deposits[employee], person.employee_number, employee))
            ranked.sort()
            count, percent = self.rule.bottom_count, self.rule.bottom_percent
            size = count if count is not None else ceil(len(ranked) * percent / 100) if ranked and percent else 0
            size = max(0, min(size, len(ranked)))
            for i, (*_order, employee) in enumerate(ranked, start=1):
                placings[period, first_month, employee] |= {"rank": i, "flagged": i > len(ranked) - size}
        for period in PeriodPlacing.Period.values:
            streak: dict[int, int] = {}
            for first_month in sorted({f for p, f, _e in placings if p == period}):
                of_period = {e: placing for (p, f, e), placing in placings.items() if (p, f) == (period, first_month)}
                streak = {e: streak.get(e, 0) + 1 for e, placing in of_period.items() if placing["flagged"]}
                for e, placing in of_period.items():
                    placing["consecutive"] = streak.get(e, 0)
        return placings

    def _compare_placings(self, reps: dict, problems: list[str]) -> int:
        expected = self._placings(reps)
        stored = {(p["period"], p["first_month"], p["employee_id"]): p for p in PeriodPlacing.objects.values(
            "period", "first_month", "employee_id", *PLACING_COLUMNS).order_by("period", "first_month", "rank")}
        for key, placing in stored.items():
            label = self._placing_label(key)
            if key not in expected:
                problems.append(f"{label}: stored, but the period is not ranked or the rep has no row in it")
                continue
            for column in PLACING_COLUMNS:
                if placing[column] != expected[key][column]:
                    problems.append(f"{label}: {column} is {placing[column]}, the weekly figures give "
                                    f"{expected[key][column]}")
        for key in sorted(set(expected) - set(stored), key=repr):
            problems.append(f"{self._placing_label(key)}: no stored placing, but the rep has results in the period")
        return len(stored)

    def _placing_label(self, key: tuple) -> str:
        period, first_month, employee = key
        return f"{first_month:%Y-%m} {period} placing of {self.names[('employee_id', employee)]}"

    def _label(self, key_names: tuple[str, ...], key: tuple) -> str:
        """Return e.g. "2017-08 rep 甲队员 (T00005) in team-a", "2017-08 team team-a" or "2017-08 company"."""
        names = dict(zip(key_names, key, strict=True))
        month = f"{names['month']:%Y-%m}"
        team = self.names.get(("team_id", names.get("team_id")))
        if "employee_id" in names:
            return f"{month} rep {self.names[('employee_id', names['employee_id'])]} in {team}"
        return f"{month} team {team}" if team else f"{month} company"
