"""One appraisal's page, for everyone in its scope, and the acts on it: each posts the version it was shown, and a
refusal comes back onto its field with the typed text kept."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access, clock
from teams.errors import DomainError

from .. import selectors
from ..forms.acts import AskForm, CommentAct, GoalsAct, PlainAct, RateAct, ReasonAct, ReassignAct, ReviewAct
from ..models import Appraisal
from ..selectors import pages
from ..services import acts as act_services
from ..services import feedback as feedback_services
from ..states import APPRAISAL

# action -> (the form on the page that posts it: saving and confirming goals share one, the form's class)
FORMS = {
    "save_goals": ("goals", GoalsAct), "confirm_goals": ("goals", GoalsAct), "submit_review": ("review", ReviewAct),
    "close_feedback": ("close_feedback", PlainAct), "verify": ("verify", PlainAct),
    "question": ("question", CommentAct), "rate": ("rate", RateAct), "confirm": ("confirm", PlainAct),
    "disagree": ("disagree", CommentAct), "keep": ("decide", ReasonAct), "return": ("decide", ReasonAct),
    "publish": ("publish", PlainAct), "recollect": ("recollect", PlainAct), "reassign": ("reassign", ReassignAct),
    "withdraw": ("withdraw", ReasonAct),
}
# HR's acts beside the step's own, shown apart so the page leads with the one act of the step
SIDE_SLOTS = ("recollect", "reassign", "withdraw")
# The step's acts that are a button with at most a comment or reason: (slot, the action the form posts)
STEP_SLOTS = (("close_feedback", "close_feedback"), ("verify", "verify"), ("question", "question"),
              ("confirm", "confirm"), ("disagree", "disagree"), ("decide", "keep"), ("publish", "publish"))


def _forms(p: access.Principal, appraisal: Appraisal, goals: list, failed: tuple[str, object] | None) -> dict:
    """Return {slot: form} for each act the principal may take now; the failed one as it was posted."""
    forms = {}
    for action in pages.acts_open(p, appraisal):
        slot, form = FORMS.get(action, (None, None))
        if slot and slot not in forms:
            forms[slot] = form(appraisal=appraisal, goals=goals, initial={"version": appraisal.version})
    if failed:  # kept even when the act is no longer open, so the typed text is not lost
        forms[FORMS[failed[0]][0]] = failed[1]
    return forms


def _page(request: HttpRequest, appraisal: Appraisal, *, failed: tuple[str, object] | None = None,
          ask_form: AskForm | None = None) -> HttpResponse:
    p = access.principal(request)
    goals = list(appraisal.goals.all())
    forms = _forms(p, appraisal, goals, failed)
    return render(request, "appraisals/appraisal.html", {
        "appraisal": appraisal, "goals": goals, "labels": pages.rating_labels(),
        "changed": selectors.figures_changed(appraisal) if appraisal.snapshot_at else [],
        "feedback": selectors.feedback_shown(p, appraisal), "history": selectors.history(appraisal),
        "ability": list(appraisal.ability_scores.all()), "rating_shown": pages.rating_shown(p, appraisal),
        "forms": forms, "side_forms": [(slot, forms[slot]) for slot in SIDE_SLOTS if slot in forms],
        "step_acts": [(slot, action, _("Decide the disagreement") if slot == "decide" else APPRAISAL.label(action),
                       forms[slot]) for slot, action in STEP_SLOTS if slot in forms],
        "ask_form": ask_form or (AskForm() if pages.may_ask_feedback(p, appraisal) else None),
        "failed_action": failed[0] if failed else None,
        "development_plan_offered": pages.development_plan_offered(p, appraisal, clock.today()),
    })


@access.page_for(access.any_role)
def appraisal(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.appraisal_for(access.principal(request), pk))


@require_POST
@access.page_for(access.any_role)
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in FORMS:
        raise Http404
    found = selectors.appraisal_for(access.principal(request), pk)
    form = FORMS[action][1](request.POST, appraisal=found, goals=list(found.goals.all()))
    if form.is_valid():
        try:
            act_services.ACTS[action](by=request.user, appraisal_id=found.pk, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Done: %(act)s.") % {"act": APPRAISAL.label(action)})
            return _back(request, found)
    # read again: a stale version means someone acted in between, and the page shows what they did
    return _page(request, selectors.appraisal_for(access.principal(request), pk), failed=(action, form))


def _back(request: HttpRequest, appraisal: Appraisal) -> HttpResponse:
    """Return to the page the form came from (the cycle's list, say), else the appraisal."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("appraisals:appraisal", appraisal.pk)


@require_POST
@access.page_for(access.may_run_appraisals)
def feedback_ask(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.appraisal_for(access.principal(request), pk)
    form = AskForm(request.POST)
    if form.is_valid():
        try:
            feedback_services.feedback_ask(by=request.user, appraisal_id=found.pk,
                                           giver_ids=[e.pk for e in form.cleaned_data["givers"]])
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Feedback asked of %(n)s people.") % {"n": len(form.cleaned_data["givers"])})
            return redirect("appraisals:appraisal", found.pk)
    return _page(request, found, ask_form=form)


urlpatterns = [
    path("<int:pk>/", appraisal, name="appraisal"),
    path("<int:pk>/act/<slug:action>/", act, name="act"),
    path("<int:pk>/feedback/ask/", feedback_ask, name="feedback_ask"),
]
