"""Weekly bulletin endpoints: a team's week (its manager writes the bulletin while the month is open, at the
version they read), the director's week across teams, the director's replies, the manager's annotations, and a
rep's line on their own week. Through rewards.selectors.bulletins and rewards.services.bulletins like the pages.

404 for a team or bulletin outside the user's scope, 403 when they may read it but not write, reply or annotate
(or a page their role never opens), 400 naming the field a service refuses (a closed month names "week"), 409
with the current version when someone saved meanwhile. A team's week and a rep's own week answer the ETag of
their bulletin or line (its version) once there is one, which a PUT may send as If-Match instead of `version`.
"""

from dataclasses import dataclass
from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpis.views.grid import monday_from_url
from teams import access
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.schema import STALE, if_match

from ..models import RepWeekLine
from ..selectors import bulletins as selectors
from ..serializers.bulletins import (
    BulletinInput,
    CommentInput,
    CommentSerializer,
    LineInput,
    OwnLineSerializer,
    TeamWeekSerializer,
    WeekBulletinsSerializer,
)
from ..services import bulletins as services
from .common import StaleVersionResponses

WEEK = OpenApiParameter("week", str, OpenApiParameter.PATH, description="The week's Monday, YYYY-MM-DD.")


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _tagged(data: object, versioned: object | None) -> Response:
    """Return the answer with the ETag of its bulletin or line, once there is one."""
    response = Response(data)
    return concurrency.tagged(response, concurrency.version_etag(versioned.version)) if versioned else response


class TeamWeekView(StaleVersionResponses, APIView):
    """GET: the team's bulletin of the week with its comments, its reps' lines and the week's figures (all of
    sales, the team's manager). PUT {"went_well", "hard", "help_needed", "version"}: the manager writes it."""

    week: date | None = None
    team_id: int | None = None

    def current_version(self) -> int | None:
        p = access.principal(self.request)
        bulletin = selectors.team_week(p, access.get_team(p, self.team_id), self.week).bulletin
        return bulletin.version if bulletin else None

    def _load(self, request: Request, team_pk: int, week: str):
        p = access.principal(request)
        _allow(access.may_read_bulletins(p))
        self.week, team = monday_from_url(week), access.get_team(p, team_pk)
        self.team_id = team.pk
        return p, team

    def _shown(self, p: access.Principal, team) -> Response:
        shown = selectors.team_week(p, team, self.week)
        return _tagged(TeamWeekSerializer(shown).data, shown.bulletin)

    @extend_schema(parameters=[WEEK], responses=TeamWeekSerializer,
                   description="Answers the bulletin's ETag (its version) once there is one.")
    def get(self, request: Request, team_pk: int, week: str) -> Response:
        p, team = self._load(request, team_pk, week)
        return self._shown(p, team)

    @extend_schema(parameters=[WEEK, if_match("bulletin")], request=BulletinInput,
                   responses={200: TeamWeekSerializer, 409: STALE})
    def put(self, request: Request, team_pk: int, week: str) -> Response:
        p, team = self._load(request, team_pk, week)
        _allow(access.may_write_bulletin(p, team))
        data = parsed(BulletinInput, concurrency.with_version(request, request.data))
        services.bulletin_save(team=team, week=self.week, by=request.user, **data)
        return self._shown(p, team)


class WeekView(APIView):
    """GET: every team's bulletin of the week, the teams without one first (all of sales)."""

    @extend_schema(parameters=[WEEK], responses=WeekBulletinsSerializer)
    def get(self, request: Request, week: str) -> Response:
        p = access.principal(request)
        _allow(access.may_read_all_bulletins(p))
        return Response(WeekBulletinsSerializer(selectors.week_bulletins(p, monday_from_url(week))).data)


class ReplyView(APIView):
    """POST {"text"}: the director's reply under the bulletin."""

    @extend_schema(request=CommentInput, responses={201: CommentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        found = selectors.bulletin_for(p, pk)
        _allow(access.may_reply_to_bulletins(p))
        reply = services.bulletin_reply(bulletin_id=found.pk, by=request.user, **parsed(CommentInput, request.data))
        return Response(CommentSerializer(reply).data, status=status.HTTP_201_CREATED)


class AnnotationView(APIView):
    """POST {"text"}: the team manager's annotation under the bulletin (the way to add to it once its month is
    closed)."""

    @extend_schema(request=CommentInput, responses={201: CommentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        found = selectors.bulletin_for(p, pk)
        _allow(access.may_annotate_bulletin(p, found.team_id))
        note = services.bulletin_annotate(bulletin_id=found.pk, by=request.user, **parsed(CommentInput, request.data))
        return Response(CommentSerializer(note).data, status=status.HTTP_201_CREATED)


@dataclass(frozen=True)
class OwnLine:
    week: date
    line: RepWeekLine | None


class OwnLineView(StaleVersionResponses, APIView):
    """GET: the rep's own line on the week (null: none yet). PUT {"text", "version"}: write or rewrite it while
    the week's month is open (a rep, their own weeks)."""

    week: date | None = None

    def current_version(self) -> int | None:
        line = selectors.own_line(access.principal(self.request), self.week)
        return line.version if line else None

    def _week(self, request: Request, week: str) -> access.Principal:
        p = access.principal(request)
        _allow(access.may_write_week_lines(p))
        self.week = monday_from_url(week)
        return p

    def _shown(self, p: access.Principal) -> Response:
        line = selectors.own_line(p, self.week)
        return _tagged(OwnLineSerializer(OwnLine(self.week, line)).data, line)

    @extend_schema(parameters=[WEEK], responses=OwnLineSerializer,
                   description="Answers the line's ETag (its version) once there is one.")
    def get(self, request: Request, week: str) -> Response:
        return self._shown(self._week(request, week))

    @extend_schema(parameters=[WEEK, if_match("line")], request=LineInput,
                   responses={200: OwnLineSerializer, 409: STALE})
    def put(self, request: Request, week: str) -> Response:
        p = self._week(request, week)
        data = parsed(LineInput, concurrency.with_version(request, request.data))
        services.rep_week_line_save(employee=p.employee_id, week=self.week, by=request.user, **data)
        return self._shown(p)
