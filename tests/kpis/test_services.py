"""Weekly figures services: the state machine, scope, all-or-nothing saves, stale versions and the audit trail."""

from datetime import date
from decimal import Decimal

import pytest

from kpis import selectors, services
from kpis.models import Channel, FigureChange, FiguresState, MonthClose, WeeklyFigures
from kpis.services import FiguresRefused, RepWeekInput, StaleFigures
from teams import services as team_services
from teams.errors import DomainError
from teams.models import StateEvent
from teams.selectors import events_for

AUGUST_WEEK = date(2017, 8, 7)  # Monday; its Thursday (10 Aug) puts it in August
FIGURES = {"new_customers": "6", "engaged_customers": "10", "accounts_opened": "4",
           "new_customer_deposits": "300000", "existing_customer_deposits": "1,200.50", "trading_volume": "0"}


def row(employee, version: int | None = None, **values: object) -> RepWeekInput:
    return RepWeekInput(employee_id=employee.pk, values=values or FIGURES, version=version)


def save(by, *rows: RepWeekInput, week: date = AUGUST_WEEK, channel: str = Channel.GRID, team=None):
    return services.weekly_figures_save(week=week, rows=list(rows), by=by.user, channel=channel, team=team)


def figures_of(employee, week: date = AUGUST_WEEK) -> WeeklyFigures:
    return WeeklyFigures.objects.get(employee=employee, week=week)


def refusals(error: FiguresRefused) -> list[tuple[str, str]]:
    return [(cell.field, cell.message) for cell in error.errors]


# --- a first save -------------------------------------------------------------------------


def test_a_first_save_creates_a_draft_for_the_reps_team_with_who_and_when(org):
    summary = save(org.manager_a, row(org.rep_a))
    figures = figures_of(org.rep_a)
    assert summary.created == [org.rep_a.pk]
    assert (figures.team, figures.state, figures.version) == (org.team_a, FiguresState.DRAFT, 1)
    assert figures.entered_by == org.manager_a.user and figures.entered_at is not None
    assert figures.accounts_opened == 4 and figures.existing_customer_deposits == Decimal("1200.50")


# --- the state machine: draft → submitted → locked → (reopened with a reason) submitted ----


def test_figures_move_from_draft_to_submitted_to_locked_and_back_to_submitted(org, unchanged):
    save(org.manager_a, row(org.rep_a))
    assert services.weekly_figures_submit(team=org.team_a, week=AUGUST_WEEK, by=org.manager_a.user) == 1
    assert figures_of(org.rep_a).state == FiguresState.SUBMITTED

    assert services.month_close(month=date(2017, 8, 1), by=org.director.user) == 1
    assert figures_of(org.rep_a).state == FiguresState.LOCKED and selectors.week_is_locked(AUGUST_WEEK)

    with unchanged(), pytest.raises(DomainError) as refused:
        services.month_reopen(month=date(2017, 8, 1), by=org.director.user, reason="  ")
    assert refused.value.field == "reason"
    assert figures_of(org.rep_a).state == FiguresState.LOCKED

    assert services.month_reopen(month=date(2017, 8, 1), by=org.director.user, reason="甲队员补录漏报") == 1
    assert figures_of(org.rep_a).state == FiguresState.SUBMITTED
    assert MonthClose.objects.get(month=date(2017, 8, 1)).reopen_reason == "甲队员补录漏报"
    states = FigureChange.objects.filter(field="state").order_by("pk")
    assert [(c.old_value, c.new_value) for c in states] == [("draft", "submitted"), ("submitted", "locked"),
                                                            ("locked", "submitted")]
    assert states.last().reason == "甲队员补录漏报"


def test_a_locked_week_refuses_saves_and_submits_until_reopened(org, unchanged):
    save(org.manager_a, row(org.rep_a))
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    with unchanged(), pytest.raises(DomainError) as refused:
        save(org.director, row(org.rep_a, version=1, accounts_opened="9"))
    assert refused.value.field == "week"
    with unchanged(), pytest.raises(DomainError):
        services.weekly_figures_submit(team=org.team_a, week=AUGUST_WEEK, by=org.manager_a.user)
    assert figures_of(org.rep_a).accounts_opened == 4

    services.month_reopen(month=date(2017, 8, 1), by=org.director.user, reason="更正")
    save(org.director, row(org.rep_a, version=1, accounts_opened="9"))
    assert figures_of(org.rep_a).accounts_opened == 9


def test_closing_a_month_locks_the_weeks_whose_thursday_falls_in_it(org):
    for week in [date(2017, 7, 24), date(2017, 7, 31), date(2017, 8, 28), date(2017, 9, 4)]:
        save(org.manager_a, row(org.rep_a), week=week)
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    locked = set(WeeklyFigures.objects.filter(state=FiguresState.LOCKED).values_list("week", flat=True))
    assert locked == {date(2017, 7, 31), date(2017, 8, 28)}


@pytest.mark.parametrize("role", ["general_manager", "hr", "manager_a", "rep_a"])
def test_only_the_director_closes_and_reopens_a_month(org, role, unchanged):
    with unchanged(), pytest.raises(DomainError):
        services.month_close(month=date(2017, 8, 1), by=org.by_role(role).user)
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    with unchanged(), pytest.raises(DomainError):
        services.month_reopen(month=date(2017, 8, 1), by=org.by_role(role).user, reason="想改")
    assert MonthClose.objects.get().closed


def test_reopening_a_month_that_is_not_closed_is_refused(org, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        services.month_reopen(month=date(2017, 8, 1), by=org.director.user, reason="无")
    assert refused.value.field == "month"


# --- each close and reopen is one state event: who, when, from, to, why --------------------------


def moves() -> list[tuple]:
    return list(StateEvent.objects.order_by("pk").values_list("subject_type", "action", "from_state", "to_state",
                                                             "by", "reason"))


def test_closing_and_reopening_write_one_event_each_with_who_from_to_and_why(org):
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    services.month_reopen(month=date(2017, 8, 1), by=org.director.user, reason=" 甲队员补录漏报 ")
    director = org.director.user.pk
    assert moves() == [("kpis.monthclose", "close", "open", "closed", director, ""),
                       ("kpis.monthclose", "reopen", "closed", "open", director, "甲队员补录漏报")]
    services.month_close(month=date(2017, 9, 1), by=org.director.user)
    august = MonthClose.objects.get(month=date(2017, 8, 1))
    assert [(e.action, e.by) for e in events_for(august)] == [("close", org.director.user),
                                                              ("reopen", org.director.user)]


def test_closing_a_closed_month_changes_nothing_and_writes_no_second_event(org, unchanged):
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    with unchanged():
        assert services.month_close(month=date(2017, 8, 1), by=org.director.user) == 0
    assert StateEvent.objects.count() == 1


@pytest.mark.parametrize(("who", "closed", "reason", "field", "message"), [
    ("manager_a", False, "", None, "Only the sales director closes a month."),
    ("general_manager", False, "", None, "Only the sales director closes a month."),
    ("manager_a", True, "想改", None, "Only the sales director reopens a month."),
    ("director", True, "  ", "reason", "Say why the month is reopened."),
    ("director", False, "无", "month", "“Reopen” is not possible: the month is open."),
])
def test_a_refused_move_says_why_and_writes_nothing(org, who, closed, reason, field, message, unchanged):
    if closed:
        services.month_close(month=date(2017, 8, 1), by=org.director.user)
    before = moves()
    with unchanged(), pytest.raises(DomainError) as refused:
        if closed or reason:
            services.month_reopen(month=date(2017, 8, 1), by=org.by_role(who).user, reason=reason)
        else:
            services.month_close(month=date(2017, 8, 1), by=org.by_role(who).user)
    assert (refused.value.message, refused.value.field) == (message, field)
    assert moves() == before
    assert MonthClose.objects.filter(closed=True).count() == (1 if closed else 0)
    assert MonthClose.objects.count() == (1 if closed else 0)


def test_submitting_moves_only_the_teams_drafts(org, unchanged):
    save(org.manager_a, row(org.rep_a))
    save(org.manager_b, row(org.rep_b))
    with unchanged(), pytest.raises(DomainError):
        services.weekly_figures_submit(team=org.team_a, week=AUGUST_WEEK, by=org.manager_b.user)
    assert services.weekly_figures_submit(team=org.team_a, week=AUGUST_WEEK, by=org.manager_a.user) == 1
    assert figures_of(org.rep_a).state == FiguresState.SUBMITTED
    with unchanged():  # nothing left to submit
        assert services.weekly_figures_submit(team=org.team_a, week=AUGUST_WEEK, by=org.manager_a.user) == 0
    assert figures_of(org.rep_b).state == FiguresState.DRAFT


# --- scope --------------------------------------------------------------------------------


def test_a_manager_cannot_save_for_another_teams_rep(org, unchanged):
    with unchanged(), pytest.raises(FiguresRefused) as refused:
        save(org.manager_b, row(org.rep_a))
    assert refusals(refused.value) == [("employee", "Not one of your team's reps that week.")]
    assert not WeeklyFigures.objects.exists()


@pytest.mark.parametrize("role", ["general_manager", "hr", "rep_a"])
def test_roles_that_only_look_cannot_save(org, role, unchanged):
    with unchanged(), pytest.raises(FiguresRefused):
        save(org.by_role(role), row(org.rep_a))
    assert not WeeklyFigures.objects.exists()


def test_a_former_member_is_saved_only_for_the_weeks_in_the_team(org, unchanged):
    save(org.manager_a, row(org.mover), week=date(2017, 5, 22), team=org.team_a)
    with unchanged(), pytest.raises(FiguresRefused) as refused:
        save(org.manager_a, row(org.mover), week=date(2017, 6, 5))
    assert refusals(refused.value) == [("employee", "Not one of your team's reps that week.")]
    with unchanged(), pytest.raises(FiguresRefused) as refused:
        save(org.manager_a, row(org.mover), week=date(2017, 6, 5), team=org.team_a)
    assert refusals(refused.value) == [("employee", "Not one of your team's reps that week.")]
    assert list(WeeklyFigures.objects.values_list("week", flat=True)) == [date(2017, 5, 22)]


def test_a_leaver_has_no_team_after_leaving(org, unchanged):
    save(org.manager_a, row(org.leaver), week=date(2017, 3, 27))
    with unchanged(), pytest.raises(FiguresRefused) as refused:
        save(org.director, row(org.leaver), week=date(2017, 4, 10))
    assert refusals(refused.value) == [("employee", "Not one of your team's reps that week.")]


@pytest.mark.parametrize(("moves_on", "team_of_week", "refused_manager"), [
    (date(2017, 8, 9), "team_b", "manager_a"),   # moved by the Thursday: the week is the new team's
    (date(2017, 8, 11), "team_a", "manager_b"),  # moved after it: still the old team's
])
def test_figures_belong_to_the_team_holding_the_weeks_thursday(org, moves_on, team_of_week, refused_manager, unchanged):
    team_services.membership_start(employee=org.rep_a, team=org.team_b, starts_on=moves_on)
    assert selectors.teams_for_week([org.rep_a.pk], AUGUST_WEEK) == {org.rep_a.pk: org.by_role(team_of_week).pk}
    with unchanged(), pytest.raises(FiguresRefused):
        save(org.by_role(refused_manager), row(org.rep_a))
    owner = org.manager_b if team_of_week == "team_b" else org.manager_a
    save(owner, row(org.rep_a))
    assert figures_of(org.rep_a).team == org.by_role(team_of_week)
    # The week after the move is the new team's in both cases.
    save(org.manager_b, row(org.rep_a), week=date(2017, 8, 14))
    assert figures_of(org.rep_a, date(2017, 8, 14)).team == org.team_b


# --- refusals write nothing ---------------------------------------------------------------


def test_an_unknown_rep_is_refused(org, unchanged):
    ghost = RepWeekInput(employee_id=987654, values=FIGURES)
    with unchanged(), pytest.raises(FiguresRefused) as refused:
        save(org.director, row(org.rep_a), ghost)
    assert refusals(refused.value) == [("employee", "Not one of your team's reps that week.")]
    assert not WeeklyFigures.objects.exists()


def test_the_same_rep_twice_in_one_save_is_refused(org, unchanged):
    with unchanged(), pytest.raises(FiguresRefused) as refused:
        save(org.manager_a, row(org.rep_a), row(org.rep_a, accounts_opened="5"))
    assert refusals(refused.value) == [("employee", "甲队员 appears twice for this week.")]
    assert not WeeklyFigures.objects.exists()


def test_one_bad_cell_refuses_every_row_and_names_each_cell(org, unchanged):
    good = row(org.rep_a)
    bad = RepWeekInput(employee_id=org.mover.pk, row=7, values={
        "accounts_opened": "two", "new_customer_deposits": "-5", "client_visits": "3"})
    with unchanged(), pytest.raises(FiguresRefused) as refused:
        save(org.director, good, bad, week=date(2017, 5, 8))
    assert sorted(refusals(refused.value)) == [
        ("accounts_opened", "“two” is not a number."),
        ("client_visits", "There is no entered metric called “client_visits”."),
        ("new_customer_deposits", "Figures cannot be negative."),
    ]
    assert {cell.row for cell in refused.value.errors} == {7}
    assert not WeeklyFigures.objects.exists() and not FigureChange.objects.exists()


def test_a_week_is_given_by_its_monday(org, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        save(org.manager_a, row(org.rep_a), week=date(2017, 8, 8))
    assert refused.value.field == "week"


# --- concurrency: a later save over an older version is refused -----------------------------


def test_a_save_from_an_older_version_is_refused_naming_what_changed(org, unchanged):
    save(org.manager_a, row(org.rep_a))
    save(org.director, row(org.rep_a, version=1, **{**FIGURES, "accounts_opened": "5"}))
    changes_before = FigureChange.objects.count()
    with unchanged(), pytest.raises(StaleFigures) as refused:
        save(org.manager_a, row(org.rep_a, version=1, **{**FIGURES, "accounts_opened": "3", "trading_volume": "9"}))
    [conflict] = refused.value.conflicts
    assert (conflict.employee, conflict.saved_by) == ("甲队员", org.director.name)
    assert conflict.differences == [("Accounts opened", "5", "3"), ("Trading volume", "0.00", "9.00")]
    figures = figures_of(org.rep_a)
    assert (figures.accounts_opened, figures.version, figures.entered_by) == (5, 2, org.director.user)
    assert FigureChange.objects.count() == changes_before


def test_a_first_save_over_a_row_someone_else_created_is_refused(org, unchanged):
    save(org.director, row(org.rep_a))
    with unchanged(), pytest.raises(StaleFigures):
        save(org.manager_a, row(org.rep_a, version=None, accounts_opened="1"))
    assert figures_of(org.rep_a).accounts_opened == 4


def test_a_stale_row_refuses_the_whole_save(org, unchanged):
    save(org.manager_a, row(org.rep_a))
    save(org.manager_a, row(org.rep_a, version=1, accounts_opened="8"))
    with unchanged(), pytest.raises(StaleFigures):
        save(org.director, row(org.mover, accounts_opened="2"), row(org.rep_a, version=1, accounts_opened="1"),
             week=AUGUST_WEEK)
    assert not WeeklyFigures.objects.filter(employee=org.mover).exists()


# --- the audit trail ----------------------------------------------------------------------


def test_an_unchanged_save_writes_no_change_and_keeps_the_version(org, unchanged):
    save(org.manager_a, row(org.rep_a))
    before = FigureChange.objects.count()
    with unchanged():
        summary = save(org.manager_a, row(org.rep_a, version=1, existing_customer_deposits="1200.5"))
    assert summary.unchanged == [org.rep_a.pk]
    assert FigureChange.objects.count() == before and figures_of(org.rep_a).version == 1


@pytest.mark.parametrize("channel", [Channel.GRID, Channel.API, Channel.ADMIN, Channel.IMPORT])
def test_every_change_is_recorded_with_who_old_new_and_channel(org, channel):
    save(org.manager_a, row(org.rep_a), channel=channel)
    created = FigureChange.objects.filter(field="accounts_opened").get()
    assert (created.old_value, created.new_value, created.channel) == ("", "4", channel)
    assert created.changed_by == org.manager_a.user

    save(org.director, row(org.rep_a, version=1, accounts_opened="7", new_customer_deposits="300000.00"),
         channel=channel)
    changed = FigureChange.objects.filter(figures__employee=org.rep_a).exclude(old_value="")
    assert [(c.field, c.old_value, c.new_value, c.channel, c.changed_by) for c in changed] == [
        ("accounts_opened", "4", "7", channel, org.director.user)]
    assert figures_of(org.rep_a).version == 2


def test_the_backfill_turns_old_closes_and_reopens_into_events_once(org):
    """Rows written before events existed: a close from its columns, a reopen from the figures it unlocked."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("kpis.migrations.0005_backfill_month_close_events").backfill
    save(org.manager_a, row(org.rep_a))
    services.month_close(month=date(2017, 7, 1), by=org.director.user)
    services.month_close(month=date(2017, 8, 1), by=org.director.user)
    services.month_reopen(month=date(2017, 8, 1), by=org.director.user, reason="补录")
    reopened_at = StateEvent.objects.get(action="reopen").at
    StateEvent.objects.all().delete()  # as before the events existed
    backfill(apps, None)
    backfill(apps, None)  # a second run adds nothing
    director = org.director.user.pk
    assert moves() == [("kpis.monthclose", "close", "open", "closed", director, ""),
                       ("kpis.monthclose", "close", "open", "closed", director, ""),
                       ("kpis.monthclose", "reopen", "closed", "open", director, "补录")]
    assert abs(StateEvent.objects.get(action="reopen").at - reopened_at).total_seconds() < 1
