"""HR's training records, as on the training pages: the sessions (by course type and year), one session with
its attendance and each attendee's hours, a session recorded, attendance added (every row checked first, then
all written or none), through promotions.selectors.training and promotions.services.training.

Only who keeps the training records (HR) may call them, as the pages: the exam scores are personal. A refused
row is a 400 naming it (`rows[2].exam_score`), and nothing of the request is written.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access, clock
from teams.errors import error_item
from teams.rest.errors import error_response
from teams.rest.inputs import parsed

from ..models import TrainingSession
from ..selectors import training as selectors
from ..serializers import (
    AttendanceInput,
    TrainingSessionDetailSerializer,
    TrainingSessionInput,
    TrainingSessionListedSerializer,
    TrainingSessionQuery,
)
from ..services import training as services


def _shown(session: TrainingSession, status_code: int = status.HTTP_200_OK) -> Response:
    data = TrainingSessionDetailSerializer({
        "pk": session.pk, "course": session.course, "title": session.title, "held_on": session.held_on,
        "hours": session.hours, "has_exam": session.has_exam,
        "attendance": selectors.attendance_of(session, clock.today())}).data
    return Response(data, status=status_code)


class TrainingSessionListView(ListAPIView):
    """GET: the training sessions, newest first, with attendees and person-hours, by ?course=&year= (HR).
    POST: record a session of a course type on a day (HR)."""

    serializer_class = TrainingSessionListedSerializer
    queryset = TrainingSession.objects.none()  # the schema's model; get_queryset gives the rows
    filter_backends: list = []  # the page's own filters (TrainingSessionQuery)

    def get_queryset(self) -> QuerySet[TrainingSession]:
        access.endpoint_for(self.request, access.may_keep_training_records)
        query = parsed(TrainingSessionQuery, self.request.query_params)
        return selectors.sessions(course=query["course"], year=query["year"])

    @extend_schema(parameters=[TrainingSessionQuery])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=TrainingSessionInput, responses={201: TrainingSessionDetailSerializer})
    def post(self, request: Request) -> Response:
        access.endpoint_for(request, access.may_keep_training_records)
        added = services.session_add(by=request.user, **parsed(TrainingSessionInput, request.data))
        return _shown(selectors.session_for(added.pk), status.HTTP_201_CREATED)


class TrainingSessionDetailView(APIView):
    """GET: one session with its attendance, each attendee's team that day, score and hours so far (HR)."""

    @extend_schema(responses=TrainingSessionDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        access.endpoint_for(request, access.may_keep_training_records)
        return _shown(selectors.session_for(pk))


class AttendanceAddView(APIView):
    """POST {"rows": [{"employee", "exam_score"}, …]}: who attended, with their score when the session had an
    exam; a second record of a person updates their score (HR)."""

    @extend_schema(request=AttendanceInput, responses={201: TrainingSessionDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        access.endpoint_for(request, access.may_keep_training_records)
        chosen = selectors.session_for(pk)
        rows = [(row["employee"], row["exam_score"]) for row in parsed(AttendanceInput, request.data)["rows"]]
        try:
            services.attendance_add(session=chosen, by=request.user, rows=rows)
        except services.AttendanceRefused as refused:
            return error_response([error_item(f"rows[{i}].{field}", "invalid", message)
                                   for i, field, message in refused.errors], status.HTTP_400_BAD_REQUEST)
        return _shown(chosen, status.HTTP_201_CREATED)
