"""Feedback endpoints, as the feedback pages: HR asks people for anonymous feedback on an appraisal (the cycle
collecting it), and each giver lists and answers only their own requests, through appraisals.selectors and
appraisals.services.feedback.

Asking is HR's (403 for anyone else, 404 for an appraisal outside the scope); a request not in the giver's own
list is 404, whether it exists or not. A refusal is 400 naming the field, and nothing is written.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access
from teams.rest.inputs import parsed

from .. import selectors
from ..serializers import AppraisalShownSerializer, FeedbackAnswerInput, FeedbackAskInput, FeedbackRequestSerializer
from ..services import feedback as services
from .appraisals import render


class FeedbackAskView(APIView):
    """POST {"giver_ids": [...]}: ask these employees for anonymous feedback on the appraisal; one asked already
    is not asked twice (HR)."""

    @extend_schema(request=FeedbackAskInput, responses=AppraisalShownSerializer)
    def post(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        if not access.may_run_appraisals(p):
            raise PermissionDenied
        appraisal = selectors.appraisal_for(p, pk)
        services.feedback_ask(by=request.user, appraisal_id=appraisal.pk, **parsed(FeedbackAskInput, request.data))
        return Response(render(p, selectors.appraisal_for(p, pk)))


class FeedbackRequestListView(APIView):
    """GET: the user's own feedback requests still open to answers, with their answer so far (everyone)."""

    @extend_schema(responses=FeedbackRequestSerializer(many=True))
    def get(self, request: Request) -> Response:
        mine = selectors.feedback_to_give(access.principal(request))
        return Response(FeedbackRequestSerializer(mine, many=True).data)


class FeedbackAnswerView(APIView):
    """POST {"answer"}: answer one of the user's own requests, or change the answer until the feedback closes;
    it is shown without the giver's name."""

    @extend_schema(request=FeedbackAnswerInput, responses=FeedbackRequestSerializer)
    def post(self, request: Request, pk: int) -> Response:
        mine = {r.pk: r for r in selectors.feedback_to_give(access.principal(request))}
        if pk not in mine:
            raise NotFound
        answered = services.feedback_answer(by=request.user, request_id=pk,
                                            **parsed(FeedbackAnswerInput, request.data))
        answered.appraisal = mine[pk].appraisal  # the appraisee and cycle the list joined
        return Response(FeedbackRequestSerializer(answered).data)
