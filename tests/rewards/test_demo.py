"""The demo's board and weekly bulletins as its users meet them (rewards/demo.py): most managers wrote each week's
bulletin of September and October and the director's card names the one or two who missed the last completed week,
the director answered a few, some reps wrote a line on their own week, September's were written before its close,
and a rep's header counts a handful of unread notices, not the whole board.

The demo is loaded once for the module (tests/conftest.py, demo_once) without AS_OF_DATE; the pages are read as
of its today, 27 October 2017.
"""

import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from kpis.models import MonthClose
from kpis.selectors import teams_for_week
from rewards.models import Bulletin, BulletinComment, Notice, NoticeRead, RepWeekLine
from rewards.selectors import board
from rewards.selectors.bulletins import teams_of_week
from teams import access
from teams.models import Role, Team, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2017, 10, 27)  # a Friday: the week of 23 October is not yet due, 16 October is the last completed
LAST_WEEK, THIS_WEEK = date(2017, 10, 16), date(2017, 10, 23)
# September and October's weeks with a working day (the National Day week, 2–8 October, has none)
WEEKS = [date(2017, 9, 4), date(2017, 9, 11), date(2017, 9, 18), date(2017, 9, 25), date(2017, 10, 9), LAST_WEEK,
         THIS_WEEK]
OCTOBER = datetime(2017, 10, 1, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def today(settings):
    settings.AS_OF_DATE = TODAY


def text_of(html: str, section_id: str) -> str:
    section = re.search(rf'<section [^>]*id="{section_id}".*?</section>', html, re.S).group(0)
    return re.sub(r"<[^>]+>|\s+", " ", section)


def test_the_directors_card_names_the_one_or_two_teams_without_last_weeks_bulletin(client, demo):
    missing = list(teams_of_week(LAST_WEEK).exclude(bulletins__week=LAST_WEEK))
    assert 1 <= len(missing) <= 2 and Team.objects.count() == 8
    client.force_login(User.objects.get(username="director"))
    card = text_of(client.get(reverse("dashboards:director")).content.decode(), "bulletins-card")
    assert "2017-10-16" in card
    assert {team.name for team in Team.objects.all() if team.name in card} == {team.name for team in missing}


def test_most_managers_wrote_every_week_of_september_and_october_as_their_teams_manager(demo):
    per_week = {week: Bulletin.objects.filter(week=week).count() for week in WEEKS}
    assert all(6 <= per_week[week] <= 7 for week in WEEKS[:-1]), per_week
    assert 1 <= per_week[THIS_WEEK] < 6  # written on Friday evening: the ones who have submitted the week so far
    assert Bulletin.objects.count() == sum(per_week.values())
    assert not Bulletin.objects.exclude(written_by=F("team__manager__user")).exists()
    texts = list(Bulletin.objects.values_list("went_well", "hard", "help_needed"))
    assert all(went_well.startswith("本周团队入金") and hard and help_needed for went_well, hard, help_needed in texts)
    assert len(set(texts)) == len(texts) and len({hard for _, hard, _ in texts}) > 20  # varied, not one template


def test_septembers_bulletins_were_written_on_each_weeks_last_working_day_before_its_close(demo):
    closed = MonthClose.objects.get(month=date(2017, 9, 1)).closed_at
    september = Bulletin.objects.filter(month=date(2017, 9, 1))
    assert september.count() >= 24 and all(b.written_at < closed for b in september)
    for bulletin in Bulletin.objects.all():
        written = timezone.localtime(bulletin.written_at, SHANGHAI)
        last_workday = date(2017, 9, 30) if bulletin.week == date(2017, 9, 25) else bulletin.week + timedelta(days=4)
        assert written.date() == last_workday and 18 <= written.hour < 21, (bulletin.week, written)


def test_the_director_answered_a_few_bulletins_on_the_next_working_day(client, demo):
    replies = list(BulletinComment.objects.select_related("bulletin", "by"))
    assert 5 <= len(replies) <= 8
    assert {(c.kind, c.by.username) for c in replies} == {(BulletinComment.CommentKind.REPLY, "director")}
    assert len({c.bulletin.week for c in replies}) >= 5 and any(c.bulletin.week == LAST_WEEK for c in replies)
    assert all(c.bulletin.written_at < c.at < c.bulletin.written_at + timedelta(days=10) for c in replies)
    reply = next(c for c in replies if c.bulletin.week == LAST_WEEK)
    client.force_login(User.objects.get(username="director"))
    page = client.get(reverse("rewards:bulletins_week", args=[LAST_WEEK.isoformat()])).content.decode()
    assert reply.text in page


def test_a_few_reps_wrote_a_line_on_their_own_week_which_their_manager_reads(client, demo):
    lines = list(RepWeekLine.objects.select_related("employee__user", "team__manager__user"))
    assert 3 <= len({line.employee_id for line in lines}) <= 5
    bulletins = {(b.team_id, b.week): b.written_at for b in Bulletin.objects.all()}
    for line in lines:
        assert line.team_id == teams_for_week([line.employee_id], line.week)[line.employee_id]
        assert line.written_at < bulletins.get((line.team_id, line.week), line.written_at + timedelta(seconds=1))
    line = next(line for line in lines if line.employee.user.username == "rep01" and line.week == THIS_WEEK)
    client.force_login(line.team.manager.user)
    page = client.get(reverse("rewards:bulletin_edit", args=[line.team_id, THIS_WEEK.isoformat()])).content.decode()
    assert line.text in text_of(page, "rep-lines")


def header_count(html: str) -> int:
    link = html[html.index('id="unread-notices"'):]
    link = link[:link.index("</a>")]
    found = re.search(r'class="count"[^>]*>(\d+)<', link)
    return int(found.group(1)) if found else 0


def test_a_rep_finds_a_handful_of_unread_notices_not_the_whole_board(client, demo):
    assert board.on_board(TODAY).count() > 100
    rep = User.objects.get(username="rep01")
    client.force_login(rep)
    assert 0 < header_count(client.get(reverse("dashboards:mine")).content.decode()) < 15
    unread = {user.username: board.unread_count(access.principal_of(user), TODAY)
              for user in User.objects.filter(is_active=True)}
    reps = [n for name, n in unread.items() if name.startswith("rep")]
    assert max(unread.values()) < 15 and sum(reps) > len(reps) / 2
    assert unread["director"] == unread["hr1"] == 0  # the board's writers have read it all


def test_everything_published_before_october_is_read_by_every_reader_after_it_and_their_first_day(demo):
    before = board.on_board(TODAY).filter(published_at__lt=OCTOBER)
    readers = User.objects.filter(is_active=True)
    assert NoticeRead.objects.filter(notice__in=before, user__in=readers).count() == before.count() * readers.count()
    reps = readers.filter(role=Role.REP).count()
    october = Notice.objects.filter(published_at__gte=OCTOBER)
    assert october.exists()
    assert all(0 < n.reads.filter(user__role=Role.REP).count() < reps for n in october)  # some reps read each
    late = NoticeRead.objects.filter(read_at__lt=F("notice__published_at")) | NoticeRead.objects.filter(
        read_at__lt=F("user__date_joined"))
    assert not late.exists()
    end = datetime.combine(TODAY, time(21), SHANGHAI)
    assert NoticeRead.objects.filter(read_at__gt=end).count() == 0


def test_loading_the_demo_again_writes_no_bulletin_reply_line_or_read(demo):
    def rows():
        return [sorted(model.objects.values_list("pk", flat=True))
                for model in (Bulletin, BulletinComment, RepWeekLine, NoticeRead, Notice)]

    before = rows()
    call_command("load_demo", stdout=io.StringIO())
    assert rows() == before
