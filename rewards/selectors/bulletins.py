"""Reads of the weekly work bulletins, scoped through teams.access: a week's bulletins of every team for the
director (the teams that have not written one first), one team's bulletin of a week with its reps' lines and the
week's figures, a rep's own line, and the director's dashboard card (teams without a bulletin for the last
completed week). Each read is a fixed number of queries, whatever the number of teams, comments and lines."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from kpis.models import WeeklyFigures
from kpis.selectors import week_is_locked
from targets.calculations import month_of_week, week_monday
from targets.models import RepWeekTarget
from teams import access
from teams.access import Principal
from teams.models import Membership, Team, membership_during

from ..models import Bulletin, BulletinComment, RepWeekLine


def last_completed_week(today: date) -> date:
    """Return the Monday of the last week that has ended by `today` (bulletins are written on a week's last day)."""
    return week_monday(today) - timedelta(weeks=1)


def teams_of_week(week: date) -> QuerySet[Team]:
    """Return the teams expected to write the week's bulletin: those with a member during the week, and any that
    wrote one (a team disbanded since still shows the weeks it worked), by name."""
    members = Membership.objects.filter(membership_during(week, week + timedelta(days=6)), team=OuterRef("pk"))
    wrote = Bulletin.objects.filter(team=OuterRef("pk"), week=week)
    return Team.objects.filter(Q(Exists(members)) | Q(Exists(wrote))).order_by("name")


def _with_comments(rows: QuerySet[Bulletin]) -> QuerySet[Bulletin]:
    comments = BulletinComment.objects.select_related("by__employee").order_by("at", "pk")
    return rows.select_related("team", "written_by__employee").prefetch_related(Prefetch("comments", comments))


@dataclass(frozen=True)
class TeamBulletin:
    """One team's row of a week: its bulletin, or None when it has not written one."""

    team: Team
    bulletin: Bulletin | None

    @property
    def missing(self) -> bool:
        return self.bulletin is None


@dataclass(frozen=True)
class WeekBulletins:
    week: date
    month: date
    locked: bool
    rows: list[TeamBulletin]

    @property
    def sunday(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def missing(self) -> list[Team]:
        return [row.team for row in self.rows if row.missing]


def week_bulletins(p: Principal, week: date) -> WeekBulletins:
    """Return every team's bulletin of the week for all of sales, the teams without one first, then by name
    (four queries: the teams, the bulletins, their comments, the month's close)."""
    if not access.may_read_all_bulletins(p):
        raise Http404
    teams = list(teams_of_week(week).select_related("manager"))
    found = {b.team_id: b for b in _with_comments(access.scope_bulletins(p, Bulletin.objects.filter(week=week)))}
    rows = sorted((TeamBulletin(t, found.get(t.pk)) for t in teams), key=lambda row: not row.missing)
    return WeekBulletins(week, month_of_week(week), week_is_locked(week), rows)


@dataclass(frozen=True)
class WeekFigures:
    """The team's week as entered so far: total deposits, accounts opened, how many reps have figures, target."""

    total_deposits: Decimal
    accounts_opened: int
    reps_reported: int
    target: int | None


@dataclass(frozen=True)
class TeamWeek:
    team: Team
    week: date
    month: date
    locked: bool
    bulletin: Bulletin | None
    lines: list[RepWeekLine]
    figures: WeekFigures

    @property
    def sunday(self) -> date:
        return self.week + timedelta(days=6)


def week_figures(team: Team, week: date) -> WeekFigures:
    """Return the team's entered figures of the week, summed (two queries: the figures, the week's targets)."""
    entered = WeeklyFigures.objects.filter(team=team, week=week).aggregate(
        deposits=Sum(F("new_customer_deposits") + F("existing_customer_deposits")),
        accounts=Sum("accounts_opened"), reps=Count("pk"))
    target = RepWeekTarget.objects.filter(team=team, week=week).aggregate(total=Sum("deposit_target"))["total"]
    return WeekFigures(entered["deposits"] or Decimal(0), entered["accounts"] or 0, entered["reps"], target)


def team_week(p: Principal, team: Team, week: date) -> TeamWeek:
    """Return the team's bulletin of the week with its comments, its reps' lines and the week's figures (a team
    loaded by access.get_team; 404 for a principal who may not read its bulletins): six queries."""
    if not access.may_read_bulletin(p, team):
        raise Http404
    bulletin = _with_comments(access.scope_bulletins(p, Bulletin.objects.filter(team=team, week=week))).first()
    lines = list(access.scope_week_lines(p, RepWeekLine.objects.filter(team=team, week=week))
                 .select_related("employee").order_by("employee__employee_number"))
    return TeamWeek(team, week, month_of_week(week), week_is_locked(week), bulletin, lines, week_figures(team, week))


def own_line(p: Principal, week: date) -> RepWeekLine | None:
    """Return the principal's own line on the week, if they wrote one."""
    if p.employee_id is None:
        return None
    return RepWeekLine.objects.filter(employee_id=p.employee_id, week=week).select_related("team").first()


@dataclass(frozen=True)
class MissingCard:
    week: date
    teams: list[Team]

    @property
    def sunday(self) -> date:
        return self.week + timedelta(days=6)


def missing_card(p: Principal, today: date) -> MissingCard | None:
    """Return the director's dashboard card: the teams without a bulletin for the last completed week (one query);
    None for a principal who does not read every team's bulletins."""
    if not access.may_read_all_bulletins(p):
        return None
    week = last_completed_week(today)
    wrote = Bulletin.objects.filter(team=OuterRef("pk"), week=week)
    return MissingCard(week, list(teams_of_week(week).exclude(Exists(wrote))))


def bulletin_for(p: Principal, pk: int) -> Bulletin:
    """Return the bulletin with its team, or 404 when it is not one the principal may read."""
    found = (access.scope_bulletins(p, Bulletin.objects.select_related("team")).filter(pk=pk).first()
             if 0 < pk < 2**31 else None)
    if found is None:
        raise Http404
    return found
