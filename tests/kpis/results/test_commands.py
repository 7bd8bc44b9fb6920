"""The rollup commands: recompute_rollups (all, --month, --team, with a progress bar) and check_rollups (a plain
recomputation from the raw weekly figures) on the demo data, matching and after tampering."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from kpis.management.commands.recompute_rollups import Command
from kpis.models import WeeklyFigures
from kpis.results.models import CompanyMonthResult, PeriodPlacing, RepMonthResult, RollupMonth, TeamMonthResult
from tests import factories
from tests.kpis.results.test_rollups import enter, figures
from tests.snapshots import load_demo


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


# --- recompute_rollups ----------------------------------------------------------------------------------------


def test_recompute_rollups_shows_a_bar_per_month_and_leaves_the_rows_the_figures_give(org, plan):
    enter(org, org.rep_a, date(2017, 7, 31), figures(5000, opened=2, engaged=4))
    enter(org, org.mover, date(2017, 10, 2), figures(300))
    enter(org, org.rep_b, date(2017, 10, 30), figures(700))

    output = run("recompute_rollups")
    lines = output.splitlines()
    assert re.fullmatch(r"\[#{2}\.{28}\]  1/12  2017-02  \d+\.\d\d s", lines[0])
    assert re.fullmatch(r"\[#{30}\] 12/12  2018-01  \d+\.\d\d s", lines[11])
    assert re.fullmatch(r"Recomputed 12 months in \d+\.\d s\.", lines[12])
    assert not any(state.pending for state in RollupMonth.objects.all())
    # By hand: 31 July's week counts for August (Thursday 3 August), 2 October's for October, 30 October's for
    # November (Thursday 2 November); the mover is in team B since June. Every plan month gets a company row.
    months = [date(2017, m, 1) for m in range(2, 13)] + [date(2018, 1, 1)]
    assert dict(CompanyMonthResult.objects.values_list("month", "total_deposits")) == {
        **{m: 0 for m in months}, date(2017, 8, 1): 5000, date(2017, 10, 1): 300, date(2017, 11, 1): 700}
    assert {(r.employee_id, r.month, r.team_id): r.total_deposits
            for r in RepMonthResult.objects.filter(total_deposits__gt=0)} == {
        (org.rep_a.pk, date(2017, 8, 1), org.team_a.pk): 5000, (org.mover.pk, date(2017, 10, 1), org.team_b.pk): 300,
        (org.rep_b.pk, date(2017, 11, 1), org.team_b.pk): 700}
    august = RepMonthResult.objects.get(employee=org.rep_a, month=date(2017, 8, 1))
    assert (august.accounts_opened, august.engaged_customers, august.close_rate) == (2, 4, Decimal("0.500000"))
    assert {(r.team_id, r.month): r.total_deposits for r in TeamMonthResult.objects.filter(total_deposits__gt=0)} == {
        (org.team_a.pk, date(2017, 8, 1)): 5000, (org.team_b.pk, date(2017, 10, 1)): 300,
        (org.team_b.pk, date(2017, 11, 1)): 700}


def test_recompute_rollups_takes_chosen_months(org, plan):
    enter(org, org.rep_a, date(2017, 8, 7), figures(5000))
    output = run("recompute_rollups", "--month", "2017-10", "--month", "2017-08")
    assert [line.split()[2] for line in output.splitlines()[:2]] == ["2017-08", "2017-10"]
    assert sorted(CompanyMonthResult.objects.values_list("month", flat=True)) == [date(2017, 8, 1), date(2017, 10, 1)]


def test_recompute_rollups_for_a_team_takes_the_months_it_has_figures_or_targets_in(org, plan):
    newcomers = factories.TeamFactory(code="team-new", name="新星队")  # formed after the plan was split: no targets
    rep = factories.employee(team=newcomers, hired=date(2017, 9, 1))
    enter(org, rep, date(2017, 9, 11), figures(900))

    output = run("recompute_rollups", "--team", "team-new")
    assert "1/1  2017-09" in output and "Recomputed 1 months" in output
    assert list(CompanyMonthResult.objects.values_list("month", flat=True)) == [date(2017, 9, 1)]
    assert RepMonthResult.objects.filter(month=date(2017, 9, 1), team=org.team_a).exists()  # the whole month
    assert "12/12" in run("recompute_rollups", "--team", org.team_b.code)  # 猛虎队 has targets all year
    assert "Nothing to recompute." in run("recompute_rollups", "--team", "team-new", "--month", "2017-08")


@pytest.mark.parametrize(("args", "message"), [
    (["--team", "no-such-team"], "There is no team with the code “no-such-team”."),
    (["--month", "2017-13"], "“2017-13” is not a month like 2017-10"),
    (["--month", "October"], "“October” is not a month like 2017-10"),
])
def test_recompute_rollups_refuses_what_it_cannot_read(db, args, message, unchanged):
    with unchanged(), pytest.raises(CommandError, match=message):
        run("recompute_rollups", *args)


def test_the_help_says_a_team_narrows_whole_months():
    help_text = Command().create_parser("manage.py", "recompute_rollups").format_help()
    assert "--team does not recompute one team alone" in " ".join(help_text.split())


# --- check_rollups on the demo ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (organisation, plan, February–October figures) with its rollups, loaded once for the module
    inside a transaction rolled back at the end: loading takes a while and the tests here only read it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(rollups=True)
        assert WeeklyFigures.objects.exists(), "the demo has weekly figures"
        yield
        transaction.set_rollback(True)


def test_check_rollups_agrees_with_the_rollups_of_the_demo(demo, db):
    reps, teams = RepMonthResult.objects.count(), TeamMonthResult.objects.count()
    assert reps > 500 and CompanyMonthResult.objects.count() == 24  # the 2016 and 2017 plan years
    placings = PeriodPlacing.objects.count()
    assert run("check_rollups") == (f"rollups match: {reps} rep rows, {teams} team rows, 24 company rows, "
                                    f"{placings} placings\n")


def test_check_rollups_reports_a_tampered_row_and_fails(demo, db, unchanged):
    row = RepMonthResult.objects.filter(month=date(2017, 9, 1), total_deposits__gt=0).select_related(
        "employee", "team").first()
    RepMonthResult.objects.filter(pk=row.pk).update(total_deposits=F("total_deposits") + 1)
    out = io.StringIO()
    with unchanged(), pytest.raises(CommandError, match="1 differences between the rollups and the weekly figures"):
        call_command("check_rollups", stdout=out)
    assert out.getvalue() == (f"2017-09 rep {row.employee.name} ({row.employee.employee_number}) in {row.team.code}: "
                              f"total_deposits is {row.total_deposits + 1}, the weekly figures give "
                              f"{row.total_deposits}\n")


SEPTEMBER, AUGUST = date(2017, 9, 1), date(2017, 8, 1)


def tampered(model, column: str, value: object) -> object:
    """Return a value that differs from `value` by the least its column stores."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return "no_target" if value == "" else ""
    if isinstance(value, int):
        return value + 1
    step = Decimal(1).scaleb(-model._meta.get_field(column).decimal_places)
    return Decimal("0.123456") if value is None else value + step


# (model, column, which row): one stored value changed with .update(), as a bug or a stale run would leave it
TAMPERED = [
    (RepMonthResult, "customer_base", {"month": SEPTEMBER, "customer_base__gt": 0}),
    (RepMonthResult, "customer_growth_rate", {"month": SEPTEMBER, "customer_growth_rate__isnull": False}),
    (RepMonthResult, "performance_growth_rate", {"month": SEPTEMBER, "performance_growth_rate__isnull": False}),
    (RepMonthResult, "performance_growth_yoy", {"month": SEPTEMBER}),  # None: the demo has no 2016 figures
    (RepMonthResult, "close_rate", {"month": SEPTEMBER, "close_rate__isnull": False}),
    (RepMonthResult, "attainment", {"month": SEPTEMBER, "attainment__isnull": False}),
    (RepMonthResult, "rank_in_team", {"month": SEPTEMBER, "rank_in_team": 1}),
    (RepMonthResult, "rank_in_company", {"month": SEPTEMBER, "rank_in_company": 1}),
    (TeamMonthResult, "rank", {"month": SEPTEMBER, "rank": 1}),
    (TeamMonthResult, "customer_base", {"month": SEPTEMBER}),
    (TeamMonthResult, "customer_growth_rate", {"month": SEPTEMBER}),
    (TeamMonthResult, "performance_growth_rate", {"month": SEPTEMBER}),
    (TeamMonthResult, "close_rate", {"month": SEPTEMBER}),
    (CompanyMonthResult, "customer_base", {"month": date(2017, 12, 1)}),
    (CompanyMonthResult, "performance_growth_rate", {"month": SEPTEMBER}),
    (CompanyMonthResult, "performance_growth_yoy", {"month": SEPTEMBER}),
    (CompanyMonthResult, "customer_growth_rate", {"month": SEPTEMBER}),
    (PeriodPlacing, "rank", {"period": "month", "first_month": SEPTEMBER, "rank": 1}),
    (PeriodPlacing, "flagged", {"period": "month", "first_month": SEPTEMBER, "flagged": True}),
    (PeriodPlacing, "consecutive", {"period": "month", "first_month": SEPTEMBER, "flagged": True}),
    (PeriodPlacing, "excluded", {"period": "month", "first_month": SEPTEMBER, "rank__isnull": False}),
    (PeriodPlacing, "attainment", {"period": "month", "first_month": SEPTEMBER, "attainment__isnull": False}),
    (PeriodPlacing, "total_deposits", {"period": "month", "first_month": SEPTEMBER}),
    (PeriodPlacing, "on_probation", {"period": "month", "first_month": SEPTEMBER}),
    (PeriodPlacing, "rank", {"period": "phase", "first_month": AUGUST, "rank": 1}),
    (PeriodPlacing, "flagged", {"period": "phase", "first_month": AUGUST, "flagged": True}),
    (PeriodPlacing, "consecutive", {"period": "phase", "first_month": AUGUST, "flagged": True}),
]


@pytest.mark.parametrize(("model", "column", "which"), TAMPERED,
                         ids=[f"{model.__name__}.{column}.{'phase' if which.get('period') == 'phase' else 'month'}"
                              for model, column, which in TAMPERED])
def test_check_rollups_fails_on_any_one_tampered_column(demo, db, model, column, which, unchanged):
    row = model.objects.filter(**which).order_by("pk").first()
    assert row is not None, f"the demo has a {model.__name__} row with {which}"
    wrong = tampered(model, column, getattr(row, column))
    model.objects.filter(pk=row.pk).update(**{column: wrong})
    out = io.StringIO()
    failed = pytest.raises(CommandError, match=r"^1 differences between the rollups and the weekly figures\.$")
    with unchanged(), failed:
        call_command("check_rollups", stdout=out)
    assert f": {column} is {wrong}, the weekly figures give {getattr(row, column)}\n" in out.getvalue()
