"""Notice board endpoints: the board for the user (pinned first, then newest, each read or unread, with the unread
count), one notice, marking one or all read; the director's and HR's announcements and their acts on a notice
(pin, unpin, withdraw) at the version they read. Through rewards.selectors.board and rewards.services.notices.

404 for a notice the user may not open (gone from the board, for anyone but its writers), 403 for a role that
writes nothing on the board, 400 naming the field a service refuses, 409 with the current version when stale.
"""

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access, clock

from ..models import Notice
from ..selectors import board as selectors
from ..serializers.board import (
    BoardQuery,
    NoticeActInput,
    NoticeInput,
    NoticeSerializer,
    ReadAllSerializer,
    ReadSerializer,
)
from ..services import notices as services
from .common import DomainErrorResponses, parse


def _notice(request: Request, pk: int) -> Notice:
    return selectors.notice_for(access.principal(request), pk, clock.today())


class NoticeListView(DomainErrorResponses, ListAPIView):
    """GET ?show=gone: the board (the director and HR: the withdrawn and expired notices instead), with `unread`.
    POST: an announcement on the board (the director and HR)."""

    serializer_class = NoticeSerializer

    def get_queryset(self) -> QuerySet[Notice]:
        p = access.principal(self.request)
        show_gone = parse(BoardQuery, self.request.query_params)["show"] == "gone"
        return selectors.board(p, clock.today(), show_gone=show_gone)

    def list(self, request: Request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        response.data["unread"] = selectors.unread_count(access.principal(request), clock.today())
        return response

    def post(self, request: Request) -> Response:
        if not access.may_write_notices(access.principal(request)):
            raise PermissionDenied
        made = services.notice_publish(by=request.user, **parse(NoticeInput, request.data))
        return Response(NoticeSerializer(_notice(request, made.pk)).data, status=status.HTTP_201_CREATED)


class NoticeDetailView(APIView):
    """GET: one notice, read or unread for the user (reading it here marks nothing: POST .../read/ does)."""

    def get(self, request: Request, pk: int) -> Response:
        return Response(NoticeSerializer(_notice(request, pk)).data)


class NoticeReadView(DomainErrorResponses, APIView):
    """POST: mark the notice read for the user (again: nothing changes)."""

    def post(self, request: Request, pk: int) -> Response:
        found = _notice(request, pk)
        return Response(ReadSerializer(services.notice_read_mark(user=request.user, notice_id=found.pk)).data)


class NoticeReadAllView(APIView):
    """POST: mark every notice on the board read for the user."""

    def post(self, request: Request) -> Response:
        marked = services.notices_read_all(user=request.user)
        unread = selectors.unread_count(access.principal(request), clock.today())
        return Response(ReadAllSerializer({"marked": marked, "unread": unread}).data)


class NoticeActView(DomainErrorResponses, APIView):
    """POST {"action": "pin" | "unpin" | "withdraw", "version"}: the director or HR acts on the notice."""

    notice_id: int | None = None

    def current_version(self) -> int | None:
        return Notice.objects.filter(pk=self.notice_id).values_list("version", flat=True).first()

    def post(self, request: Request, pk: int) -> Response:
        found = _notice(request, pk)
        self.notice_id = found.pk
        if not access.may_write_notices(access.principal(request)):
            raise PermissionDenied
        data = parse(NoticeActInput, request.data)
        if data["action"] == "withdraw":
            services.notice_withdraw(notice_id=found.pk, version=data["version"], by=request.user)
        else:
            services.notice_change(notice_id=found.pk, version=data["version"], by=request.user,
                                   pinned=data["action"] == "pin")
        return Response(NoticeSerializer(_notice(request, pk)).data)
