"""Register endpoints: the records the user may open (the register page's filters), one record, a proposal and
each act on a record, through rewards.selectors.records and rewards.services.records like the pages.

404 for a record (or a filter's team or employee) outside the user's scope, 403 for a record they may open but
whose act their role never makes (or a proposal from a role that proposes nothing), 400 naming the field a service
refuses, 409 with the current version when someone acted on the record meanwhile. A record's GET answers its ETag
(its version), which an act may send as If-Match instead of the body's `version`.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.schema import STALE, if_match

from ..filters import RecordFilter
from ..models import Record
from ..selectors import records as selectors
from ..serializers.records import ProposeInput, RecordActInput, RecordDetailSerializer, RecordSerializer
from ..services.records import record_act, record_propose
from .common import StaleVersionResponses


def _shown(p: access.Principal, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    page = selectors.record_page(p, selectors.record_for(p, pk))
    return concurrency.tagged(Response(RecordDetailSerializer(page).data, status=status_code),
                              concurrency.version_etag(page.record.version))


class RecordListView(ListAPIView):
    """GET: the records the user may open, what waits for their approval first, filtered as the register page.
    POST: propose a record about one employee or team (the director and HR: anyone; a manager: their team)."""

    serializer_class = RecordSerializer
    queryset = Record.objects.none()  # the schema's model; get_queryset gives the rows
    filterset_class = RecordFilter

    def get_queryset(self) -> QuerySet[Record]:
        p = access.principal(self.request)
        return selectors.ordered(p, selectors.records_for(p))

    @extend_schema(request=ProposeInput, responses={201: RecordDetailSerializer},
                   description="Answers the new record with its ETag (its version).")
    def post(self, request: Request) -> Response:
        p = access.principal(request)
        if not access.may_propose_records(p):
            raise PermissionDenied
        record = record_propose(by=request.user, **parsed(ProposeInput, request.data))
        return _shown(p, record.pk, status.HTTP_201_CREATED)


class RecordDetailView(APIView):
    """GET: one record with the rule's figures, its notice, its history and the acts open to the user now."""

    @extend_schema(responses=RecordDetailSerializer, description="Answers the record's ETag (its version).")
    def get(self, request: Request, pk: int) -> Response:
        return _shown(access.principal(request), pk)


class RecordActView(StaleVersionResponses, APIView):
    """POST {"action", "version", "reason"}: approve, hr_approve, reject, publish, revoke or withdraw the record at
    the version the client read (see rewards.states.RECORD for who may make which); the version may come as
    If-Match instead (the detail's ETag)."""

    record_id: int | None = None

    def current_version(self) -> int | None:
        return Record.objects.filter(pk=self.record_id).values_list("version", flat=True).first()

    @extend_schema(request=RecordActInput, parameters=[if_match("record")],
                   responses={200: RecordDetailSerializer, 409: STALE})
    def post(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        record = selectors.record_for(p, pk)
        self.record_id = record.pk
        data = parsed(RecordActInput, concurrency.with_version(request, request.data))
        if not selectors.may_take(p, record, data["action"]):
            raise PermissionDenied
        record_act(record_id=record.pk, by=request.user, **data)
        return _shown(p, record.pk)
