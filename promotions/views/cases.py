"""The case pages: nominate (from a candidate row, the bottom of the ranking or a poor appraisal), HR's list, one
case with the engine's checks, the checklist, the act forms (each posts the version it was shown) and history."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access, clock
from teams.errors import DomainError

from ..forms.cases import FORMS, NominateForm, ReviewAct
from ..models import CaseKind, CaseState
from ..selectors import cases as selectors
from ..selectors.eligibility import eligibility_of
from ..services import acts as act_services
from ..services.cases import UP_KINDS, case_nominate
from ..states import CASE

PAGE_SIZE = 50


@access.page_for(access.may_nominate)
def case_new(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    employees = access.nominable_employees(p, clock.today()).filter(status="active").order_by("name")
    choices = {"employees": employees, "teams": access.nominable_teams(p).order_by("name"),
               "managers": access.nominable_managers(p).order_by("name")}
    if request.method == "POST":
        form = NominateForm(request.POST, **choices)
        if form.is_valid():
            try:
                case = case_nominate(by=request.user, **form.arguments())
            except DomainError as error:
                form.show(error)
            else:
                messages.success(request, _("Nominated: case #%(pk)s goes to HR's review.") % {"pk": case.pk})
                return redirect("promotions:case", case.pk)
    else:
        initial = {k: request.GET[k] for k in ("employee", "to_position", "kind", "appraisal", "team",
                                               "replaces_manager") if request.GET.get(k)}
        form = NominateForm(initial=initial, **choices)
    return render(request, "promotions/case_new.html", {"form": form})


@access.page_for(access.may_list_cases)
def case_list(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    state = request.GET.get("state", "")
    rows = selectors.cases_for(p).order_by("-pk")
    if state in CaseState.values:
        rows = rows.filter(state=state)
    return render(request, "promotions/cases.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "states": CaseState.choices,
        "chosen_state": state, "may_nominate": access.may_nominate(p)})


def _checks(case) -> list:
    """Return the engine's checks shown on the page before HR's review, for a promotion (after it, the page shows
    the unmet rules the review recorded)."""
    if case.rules_met is not None or case.kind not in UP_KINDS or case.state != CaseState.NOMINATED:
        return []
    return list(eligibility_of(case.employee_id, case.to_position_id, case.effective_on,
                               early=case.early_recommended).checks)


def _page(request: HttpRequest, case, *, failed: tuple[str, object] | None = None) -> HttpResponse:
    p = access.principal(request)
    prefill, source = selectors.checklist_prefill(case.employee_id)
    forms = {}
    for action in selectors.acts_open(p, case):
        kwargs = {"prefill": prefill} if action == "review" else {}
        forms[action] = FORMS[action](initial={"version": case.version}, **kwargs)
    if failed:
        forms[failed[0]] = failed[1]
    checklist = case.review.get("checklist", {}) if isinstance(case.review, dict) else {}
    return render(request, "promotions/case.html", {
        "case": case, "checks": _checks(case), "history": selectors.history(case), "forms": forms,
        "plain_acts": [(a, CASE.label(a), f) for a, f in forms.items() if a not in ("review", "not_improved")],
        "checklist": [(item.label, checklist.get(item.condition, {})) for item in prefill],
        "prefilled_from": source, "followed_by": list(case.followed_by.all()),
        "is_development": case.kind == CaseKind.DEVELOPMENT,
    })


@access.page_for(access.may_list_cases)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.case_for(access.principal(request), pk))


@require_POST
@access.page_for(access.any_role)
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in FORMS:
        raise Http404
    p = access.principal(request)
    found = selectors.case_for(p, pk)
    form = FORMS[action](request.POST) if action != "review" else ReviewAct(request.POST)
    if form.is_valid():
        try:
            result = act_services.ACTS[action](by=request.user, case_id=found.pk, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Done: %(act)s.") % {"act": CASE.label(action)})
            return redirect("promotions:case", result.pk)
    return _page(request, selectors.case_for(p, pk), failed=(action, form))


urlpatterns = [
    path("cases/", case_list, name="cases"),
    path("cases/new/", case_new, name="case_new"),
    path("cases/<int:pk>/", case, name="case"),
    path("cases/<int:pk>/act/<slug:action>/", act, name="case_act"),
]
