"""A feedback giver's page: the requests HR sent them, each answered once; only their own are ever listed."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access
from teams.errors import DomainError

from .. import selectors
from ..forms.acts import AnswerForm
from ..services import feedback as feedback_services


def _page(request: HttpRequest, failed: tuple[int, AnswerForm] | None = None) -> HttpResponse:
    requests = selectors.feedback_to_give(access.principal(request))
    forms = {r.pk: AnswerForm(prefix=f"r{r.pk}", initial={"answer": r.answer}) for r in requests}
    if failed:
        forms[failed[0]] = failed[1]
    return render(request, "appraisals/feedback.html", {"rows": [(r, forms[r.pk]) for r in requests]})


@access.page_for(access.any_role)
def feedback(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@access.page_for(access.any_role)
def feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    # only a request of the giver's own list: anyone else's answers 404, whether it exists or not
    if not any(r.pk == pk for r in selectors.feedback_to_give(access.principal(request))):
        raise Http404
    form = AnswerForm(request.POST, prefix=f"r{pk}")
    if form.is_valid():
        try:
            feedback_services.feedback_answer(by=request.user, request_id=pk, answer=form.cleaned_data["answer"])
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Thank you: your answer was recorded without your name."))
            return redirect("appraisals:feedback")
    return _page(request, failed=(pk, form))


urlpatterns = [
    path("feedback/", feedback, name="feedback"),
    path("feedback/<int:pk>/answer/", feedback_answer, name="feedback_answer"),
]
