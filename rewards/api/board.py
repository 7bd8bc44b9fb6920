"""Notice board endpoints: the board for the user (pinned first, then newest, each read or unread, with the unread
count), one notice, marking one or all read; the director's and HR's announcements and their acts on a notice
(pin, unpin, withdraw) at the version they read. Through rewards.selectors.board and rewards.services.notices.

404 for a notice the user may not open (gone from the board, for anyone but its writers), 403 for a role that
writes nothing on the board, 400 naming the field a service refuses, 409 with the current version when stale.
A notice's GET answers its ETag (its version), which an act may send as If-Match instead of the body's `version`.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access, clock
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.pagination import Pages
from teams.rest.schema import STALE, if_match

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
from .common import StaleVersionResponses


def _notice(request: Request, pk: int) -> Notice:
    return selectors.notice_for(access.principal(request), pk, clock.today())


def _shown(notice: Notice, status_code: int = status.HTTP_200_OK) -> Response:
    return concurrency.tagged(Response(NoticeSerializer(notice).data, status=status_code),
                              concurrency.version_etag(notice.version))


class BoardPages(Pages):
    """The board's pages, with the user's unread count beside them (NoticeListView.list adds it)."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        shaped = super().get_paginated_response_schema(schema)
        shaped["properties"]["unread"] = {"type": "integer", "description": "Notices on the board you have not read."}
        shaped["required"] = [*shaped.get("required", []), "unread"]
        return shaped


class NoticeListView(ListAPIView):
    """GET ?show=gone: the board (the director and HR: the withdrawn and expired notices instead), with `unread`.
    POST: an announcement on the board (the director and HR)."""

    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # the schema's model; get_queryset gives the rows
    pagination_class = BoardPages

    def get_queryset(self) -> QuerySet[Notice]:
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        p = access.principal(self.request)
        show_gone = parsed(BoardQuery, self.request.query_params)["show"] == "gone"
        return selectors.board(p, clock.today(), show_gone=show_gone)

    @extend_schema(parameters=[BoardQuery])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        response.data["unread"] = selectors.unread_count(access.principal(request), clock.today())
        return response

    @extend_schema(request=NoticeInput, responses={201: NoticeSerializer},
                   description="Answers the new notice with its ETag (its version).")
    def post(self, request: Request) -> Response:
        if not access.may_write_notices(access.principal(request)):
            raise PermissionDenied
        made = services.notice_publish(by=request.user, **parsed(NoticeInput, request.data))
        return _shown(_notice(request, made.pk), status.HTTP_201_CREATED)


class NoticeDetailView(APIView):
    """GET: one notice, read or unread for the user (reading it here marks nothing: POST .../read/ does)."""

    @extend_schema(responses=NoticeSerializer, description="Answers the notice's ETag (its version).")
    def get(self, request: Request, pk: int) -> Response:
        return _shown(_notice(request, pk))


class NoticeReadView(APIView):
    """POST: mark the notice read for the user (again: nothing changes)."""

    @extend_schema(request=None, responses=ReadSerializer)
    def post(self, request: Request, pk: int) -> Response:
        found = _notice(request, pk)
        return Response(ReadSerializer(services.notice_read_mark(user=request.user, notice_id=found.pk)).data)


class NoticeReadAllView(APIView):
    """POST: mark every notice on the board read for the user."""

    @extend_schema(request=None, responses=ReadAllSerializer)
    def post(self, request: Request) -> Response:
        marked = services.notices_read_all(user=request.user)
        unread = selectors.unread_count(access.principal(request), clock.today())
        return Response(ReadAllSerializer({"marked": marked, "unread": unread}).data)


class NoticeActView(StaleVersionResponses, APIView):
    """POST {"action": "pin" | "unpin" | "withdraw", "version"}: the director or HR acts on the notice; the version
    may come as If-Match instead (the detail's ETag)."""

    notice_id: int | None = None

    def current_version(self) -> int | None:
        return Notice.objects.filter(pk=self.notice_id).values_list("version", flat=True).first()

    @extend_schema(request=NoticeActInput, parameters=[if_match("notice")],
                   responses={200: NoticeSerializer, 409: STALE})
    def post(self, request: Request, pk: int) -> Response:
        found = _notice(request, pk)
        self.notice_id = found.pk
        if not access.may_write_notices(access.principal(request)):
            raise PermissionDenied
        data = parsed(NoticeActInput, concurrency.with_version(request, request.data))
        if data["action"] == "withdraw":
            services.notice_withdraw(notice_id=found.pk, version=data["version"], by=request.user)
        else:
            services.notice_change(notice_id=found.pk, version=data["version"], by=request.user,
                                   pinned=data["action"] == "pin")
        return _shown(_notice(request, pk))
