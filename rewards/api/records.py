"""Register endpoints: the records the user may open (the register page's filters), one record, a proposal and
each act on a record, through rewards.selectors.records and rewards.services.records like the pages.

404 for a record (or a filter's team or employee) outside the user's scope, 403 for a record they may open but
whose act their role never makes (or a proposal from a role that proposes nothing), 400 naming the field a service
refuses, 409 with the current version when someone acted on the record meanwhile.
"""

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access

from ..models import Record
from ..selectors import records as selectors
from ..serializers.records import ProposeInput, RecordActInput, RecordDetailSerializer, RecordQuery, RecordSerializer
from ..services.records import record_act, record_propose
from .common import DomainErrorResponses, parse


def _filters(p: access.Principal, query: dict) -> selectors.Filters:
    """Return the register's filters; a team or employee outside the principal's scope answers 404."""
    team = access.get_team(p, query["team"]).pk if "team" in query else None
    employee = access.get_employee(p, query["employee"]).pk if "employee" in query else None
    return selectors.Filters(state=query.get("state", ""), kind=query.get("kind", ""),
                             method=query.get("method", ""), team_id=team, employee_id=employee,
                             period=query.get("period", ""), first_month=query.get("month"),
                             waiting=query["waiting"], review=query["review"], sort=query["sort"])


class RecordListView(DomainErrorResponses, ListAPIView):
    """GET: the records the user may open, what waits for their approval first, filtered as the register page.
    POST: propose a record about one employee or team (the director and HR: anyone; a manager: their team)."""

    serializer_class = RecordSerializer

    def get_queryset(self) -> QuerySet[Record]:
        p = access.principal(self.request)
        return selectors.filtered(p, _filters(p, parse(RecordQuery, self.request.query_params)))

    def post(self, request: Request) -> Response:
        p = access.principal(request)
        if not access.may_propose_records(p):
            raise PermissionDenied
        record = record_propose(by=request.user, **parse(ProposeInput, request.data))
        return Response(RecordDetailSerializer(selectors.record_page(p, record.pk)).data,
                        status=status.HTTP_201_CREATED)


class RecordDetailView(APIView):
    """GET: one record with the rule's figures, its notice, its history and the acts open to the user now."""

    def get(self, request: Request, pk: int) -> Response:
        return Response(RecordDetailSerializer(selectors.record_page(access.principal(request), pk)).data)


class RecordActView(DomainErrorResponses, APIView):
    """POST {"action", "version", "reason"}: approve, hr_approve, reject, publish, revoke or withdraw the record at
    the version the client read (see rewards.states.RECORD for who may make which)."""

    record_id: int | None = None

    def current_version(self) -> int | None:
        return Record.objects.filter(pk=self.record_id).values_list("version", flat=True).first()

    def post(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        record = selectors.record_for(p, pk)
        self.record_id = record.pk
        data = parse(RecordActInput, request.data)
        if not selectors.may_take(p, record, data["action"]):
            raise PermissionDenied
        record_act(record_id=record.pk, by=request.user, **data)
        return Response(RecordDetailSerializer(selectors.record_page(p, record.pk)).data)
