"""Weekly bulletins' services by role: the team's manager writes and rewrites, nobody else does; a closed month's
bulletin is annotated, not rewritten; the director replies; a stale version, a day that is not a plan week's Monday
and an empty bulletin are refused with nothing changed; a rep's line counts in the team of their week."""

import re
from datetime import date

import pytest

from kpis import services as figure_services
from rewards.models import Bulletin, BulletinComment, RepWeekLine
from rewards.selectors import bulletins as selectors
from rewards.services.bulletins import bulletin_annotate, bulletin_reply, bulletin_save, rep_week_line_save
from teams import access
from teams.errors import DomainError
from teams.models import StateEvent

TODAY = date(2017, 10, 27)     # a Friday
OCT_16 = date(2017, 10, 16)    # the last completed week
SEP_4 = date(2017, 9, 4)       # a September week
MAY_29 = date(2017, 5, 29)     # Thursday 1 June: the mover's week counts in team B


@pytest.fixture(autouse=True)
def today(settings, draft_plan):
    settings.AS_OF_DATE = TODAY


def write(org, week=OCT_16, who=None, team=None, version=None, **texts):
    texts = texts or {"went_well": "签了三单", "hard": "新客户少", "help_needed": "需要培训"}
    return bulletin_save(team=team or org.team_a, week=week, version=version, by=(who or org.manager_a).user,
                         **texts)


def refused(field: str, call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value


def test_the_manager_writes_their_teams_bulletin_for_the_week(org):
    bulletin = write(org)
    assert (bulletin.team, bulletin.week, bulletin.month, bulletin.version) == (org.team_a, OCT_16,
                                                                                date(2017, 10, 1), 1)
    assert bulletin.written_by == org.manager_a.user
    assert StateEvent.objects.filter(subject_id=bulletin.pk, action="write").count() == 1


def test_a_rewrite_bumps_the_version_and_the_same_text_changes_nothing(org, unchanged):
    first = write(org)
    second = write(org, version=1, went_well="签了五单", hard="", help_needed="")
    assert (second.pk, second.version, second.went_well, second.hard) == (first.pk, 2, "签了五单", "")
    with unchanged():
        assert write(org, version=2, went_well="签了五单").version == 2


@pytest.mark.parametrize("who", ["manager_b", "rep_a", "director", "hr", "general_manager"])
def test_nobody_but_the_teams_manager_writes_its_bulletin(org, unchanged, who):
    with unchanged():
        refused("team", write, org, who=org.by_role(who))


def test_a_manager_is_refused_another_teams_bulletin(org, unchanged):
    with unchanged():
        error = refused("team", write, org, team=org.team_b)
    assert "team you manage" in error.message


def test_a_stale_version_is_refused_naming_who_saved_and_when(org, unchanged):
    write(org)
    write(org, version=1, went_well="第二稿")  # the other window
    with unchanged():
        error = refused("version", write, org, version=1, went_well="第一稿的改动")
    assert org.manager_a.name in error.message and re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", error.message)
    assert Bulletin.objects.get().went_well == "第二稿"


def test_a_new_bulletin_written_meanwhile_in_another_window_is_stale(org, unchanged):
    write(org)
    with unchanged():
        refused("version", write, org, version=None, went_well="另一个窗口")


@pytest.mark.parametrize(("week", "says"), [
    (date(2017, 10, 17), "Monday"),        # a Tuesday
    ("2017-10-16", "Monday"),              # not a date
    (date(2017, 10, 30), "not begun"),     # next week
    (date(2017, 1, 9), "no plan month"),   # before the 2017 plan year
])
def test_a_day_that_is_not_a_plan_weeks_monday_is_refused(org, unchanged, week, says):
    with unchanged():
        assert says in refused("week", write, org, week=week).message


@pytest.mark.parametrize("texts", [{"went_well": "", "hard": "", "help_needed": ""},
                                   {"went_well": "  ", "hard": "\n", "help_needed": "\t"}])
def test_an_empty_bulletin_is_refused(org, unchanged, texts):
    with unchanged():
        refused("went_well", write, org, **texts)


def test_a_bulletin_too_long_is_refused_on_its_part(org, unchanged):
    with unchanged():
        refused("hard", write, org, went_well="好", hard="难" * 3001)


def test_a_closed_months_bulletin_is_annotated_not_rewritten(org, unchanged):
    bulletin = write(org, week=SEP_4)
    figure_services.month_close(month=date(2017, 9, 1), by=org.director.user)
    with unchanged():
        error = refused("week", write, org, week=SEP_4, version=1, went_well="改写")
    assert "annotation" in error.message
    with unchanged():
        refused("week", write, org, week=date(2017, 9, 11), went_well="新写")  # nor written afresh
    note = bulletin_annotate(bulletin_id=bulletin.pk, text="补充：九月底回款到账", by=org.manager_a.user)
    assert (note.kind, note.by) == (BulletinComment.CommentKind.ANNOTATION, org.manager_a.user)
    assert Bulletin.objects.get().went_well == "签了三单"


@pytest.mark.parametrize(("who", "field"), [("manager_b", "bulletin_id"), ("director", "bulletin_id"),
                                            ("rep_a", "bulletin_id"), ("hr", "bulletin_id")])
def test_only_the_teams_manager_annotates(org, unchanged, who, field):
    bulletin = write(org)
    with unchanged():
        refused(field, bulletin_annotate, bulletin_id=bulletin.pk, text="批注", by=org.by_role(who).user)


def test_the_director_replies_and_nobody_else(org, unchanged):
    bulletin = write(org)
    reply = bulletin_reply(bulletin_id=bulletin.pk, text="下周安排培训", by=org.director.user)
    assert (reply.kind, reply.bulletin) == (BulletinComment.CommentKind.REPLY, bulletin)
    for who in ("general_manager", "hr", "manager_a", "rep_a"):
        with unchanged():
            refused("bulletin_id", bulletin_reply, bulletin_id=bulletin.pk, text="回复", by=org.by_role(who).user)


@pytest.mark.parametrize(("bulletin_id", "text", "field"), [
    (None, "回复", "bulletin_id"), (2**31, "回复", "bulletin_id"), ("x", "回复", "bulletin_id"),
    ("own", " ", "text"), ("own", "字" * 3001, "text")])
def test_a_reply_to_nothing_or_of_nothing_is_refused(org, unchanged, bulletin_id, text, field):
    bulletin = write(org)
    with unchanged():
        refused(field, bulletin_reply, bulletin_id=bulletin.pk if bulletin_id == "own" else bulletin_id, text=text,
                by=org.director.user)


# --- a rep's line on their own week -----------------------------------------------------------------------------

def test_a_reps_line_counts_in_the_team_of_their_week(org):
    assert rep_week_line_save(employee=org.rep_a, week=OCT_16, text="客户拜访多", by=org.rep_a.user).team == org.team_a
    moved = rep_week_line_save(employee=org.mover, week=MAY_29, text="刚调到猛虎队", by=org.mover.user)
    assert moved.team == org.team_b  # the week of Thursday 1 June is team B's


def test_a_reps_line_is_seen_by_their_manager_not_by_another(org):
    line = rep_week_line_save(employee=org.rep_a, week=OCT_16, text="客户拜访多", by=org.rep_a.user)
    manager_a, manager_b = access.principal_of(org.manager_a.user), access.principal_of(org.manager_b.user)
    assert selectors.team_week(manager_a, org.team_a, OCT_16).lines == [line]
    assert not access.scope_week_lines(manager_b, RepWeekLine.objects.all()).exists()
    assert access.scope_week_lines(access.principal_of(org.rep_b.user), RepWeekLine.objects.all()).count() == 0
    assert access.scope_week_lines(access.principal_of(org.rep_a.user), RepWeekLine.objects.all()).get() == line


@pytest.mark.parametrize("who", ["rep_b", "manager_a", "director"])
def test_nobody_writes_a_reps_line_but_the_rep(org, unchanged, who):
    with unchanged():
        refused("employee", rep_week_line_save, employee=org.rep_a, week=OCT_16, text="代写", by=org.by_role(who).user)


def test_a_reps_line_is_refused_stale_empty_out_of_team_and_once_closed(org, unchanged):
    line = rep_week_line_save(employee=org.rep_a, week=OCT_16, text="第一稿", by=org.rep_a.user)
    assert rep_week_line_save(employee=org.rep_a, week=OCT_16, text="第二稿", version=1, by=org.rep_a.user).version == 2
    with unchanged():
        assert org.rep_a.name in refused("version", rep_week_line_save, employee=org.rep_a, week=OCT_16,
                                         text="旧窗口", version=1, by=org.rep_a.user).message
        refused("text", rep_week_line_save, employee=org.rep_a, week=OCT_16, text=" ", version=2, by=org.rep_a.user)
        refused("week", rep_week_line_save, employee=org.leaver, week=date(2017, 5, 1), text="离职后",
                by=org.leaver.user)
    figure_services.month_close(month=date(2017, 10, 1), by=org.director.user)
    with unchanged():
        refused("week", rep_week_line_save, employee=org.rep_a, week=OCT_16, text="关账后", version=2,
                by=org.rep_a.user)
    line.refresh_from_db()
    assert line.text == "第二稿"
