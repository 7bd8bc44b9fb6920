"""Appraisal endpoints: the principal's appraisals (scoped), one in detail, and every act through ACTS.

Status codes follow the pages: 404 for an appraisal outside the user's scope, 403 for one they may look at but
never act on, 400 with the field named for a refused act, 409 when someone acted on it meanwhile. Feedback is
shown as appraisals.selectors.feedback_shown says: never a giver's name or id to anyone but HR.
"""

from dataclasses import asdict

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import access
from teams.rest import concurrency
from teams.rest.inputs import parsed
from teams.rest.schema import act_request, if_match

from .. import selectors
from ..filters import AppraisalFilter
from ..models import Appraisal, Step
from ..serializers import (
    ACT_INPUT,
    RATING_FIELDS,
    ActInput,
    AppraisalDetailSerializer,
    AppraisalSerializer,
    AppraisalShownSerializer,
    NoInput,
)
from ..services.acts import ACTS

IF_MATCH = if_match("appraisal")
ACT_REQUEST = act_request("AppraisalAct", ActInput, {a: ACT_INPUT.get(a, NoInput) for a in ACTS})

# The appraisee sees the rating once the rater signed it (they confirm it, or disagree).
RATING_SHOWN_TO_APPRAISEE = (Step.CONFIRMATION, Step.DISPUTED, Step.CONFIRMED, Step.PUBLISHED)


def _feedback(p: access.Principal, appraisal: Appraisal) -> dict:
    shown = selectors.feedback_shown(p, appraisal)
    # to anyone but HR the text alone: no name, id or time, in the selector's text order
    answers = [asdict(a) for a in shown.answers] if shown.with_names else [{"text": a.text} for a in shown.answers]
    return {"answers": answers, "count": shown.count, "asked": shown.asked, "hidden": shown.hidden}


def _history(appraisal: Appraisal) -> list[dict]:
    return [{"action": s.action, "from": s.source, "to": s.target, "at": s.event.at, "reason": s.event.reason,
             "by": getattr(getattr(s.event.by, "employee", None), "name", s.event.by.get_username())}
            for s in selectors.history(appraisal)]


def render(p: access.Principal, appraisal: Appraisal) -> dict:
    """Return the appraisal as the principal may see it."""
    data = dict(AppraisalDetailSerializer(appraisal).data)
    if access.is_appraisee(p, appraisal) and appraisal.state not in RATING_SHOWN_TO_APPRAISEE:
        data.update(dict.fromkeys(RATING_FIELDS))
        for goal in data["goals"]:
            goal["rating"] = None
    data["feedback"] = _feedback(p, appraisal)
    data["figures_changed"] = [{"metric": d.metric, "frozen": str(d.frozen), "current": str(d.current),
                                "difference": str(d.difference)} for d in selectors.figures_changed(appraisal)]
    data["ability"] = [{"condition": s.condition, "score": s.score, "comment": s.comment}
                       for s in appraisal.ability_scores.all()]
    data["history"] = _history(appraisal)
    return data


class AppraisalListView(ListAPIView):
    """GET: the appraisals the user may open (HR and the management: all; a manager: their teams' and those they
    rate; a rep: their own), filtered by ?cycle=&state=."""

    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter
    ordering_fields = ["cycle", "state", "employee__name"]

    def get_queryset(self) -> QuerySet[Appraisal]:
        return selectors.appraisals_for(access.principal(self.request)).order_by("-cycle__first_month", "pk")


class AppraisalDetailView(APIView):
    """GET: one appraisal with its goals, feedback as the user may see it, changed figures and history."""

    @extend_schema(responses=AppraisalShownSerializer, description="Answers the appraisal's ETag (its version).")
    def get(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        appraisal = selectors.appraisal_for(p, pk)
        return concurrency.tagged(Response(render(p, appraisal)), concurrency.version_etag(appraisal.version))


class AppraisalActView(APIView):
    """POST {"action", "version", ...the action's fields}: one act through its service (see appraisals.states);
    the version may come as If-Match instead (the detail's ETag)."""

    @extend_schema(request=ACT_REQUEST, parameters=[IF_MATCH], responses=AppraisalShownSerializer)
    def post(self, request: Request, pk: int) -> Response:
        p = access.principal(request)
        appraisal = selectors.appraisal_for(p, pk, write=True)
        head = parsed(ActInput, concurrency.with_version(request, request.data))
        fields = parsed(ACT_INPUT.get(head["action"], NoInput), request.data)
        if "goals" in fields:
            fields["goals"] = [dict(g) for g in fields["goals"]]
        if fields.get("ability"):
            fields["ability"] = {k: tuple(v) for k, v in fields["ability"].items()}
        ACTS[head["action"]](by=request.user, appraisal_id=appraisal.pk, version=head["version"], **fields)
        acted = selectors.appraisal_for(p, pk)
        return concurrency.tagged(Response(render(p, acted)), concurrency.version_etag(acted.version))
