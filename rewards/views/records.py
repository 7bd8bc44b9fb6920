"""The register's pages: the list (filters, sort, totals, what waits for the viewer first), the proposal form, one
record with its history and the acts open to the viewer, the act (POST), and the two workbooks."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access, audit, clock
from teams.errors import DomainError

from .. import exports
from ..forms.records import ActForm, FilterForm, ProposeForm
from ..models import Method
from ..selectors import records as selectors
from ..services.records import ACTIONS, record_act, record_propose
from ..states import RECORD

PAGE_SIZE = 50


def _filter_form(request: HttpRequest) -> FilterForm:
    p = access.principal(request)
    return FilterForm(request.GET or None, teams=access.visible_teams(p).order_by("name"),
                      employees=access.visible_employees(p).order_by("name"), months=selectors.plan_months())


@access.page_for(access.may_list_records)
def records(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    form = _filter_form(request)
    rows = selectors.filtered(p, form.filters() if form.is_bound else selectors.Filters())
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "rewards/records.html", {
        "form": form, "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": selectors.totals(rows, form.totals_by() if form.is_bound else "subject"),
        "query": query.urlencode(),
        "may_propose": access.may_propose_records(p), "may_see_payroll": access.may_see_payroll(p),
        "may_see_rules": access.may_see_rules(p),
        "last_month": (clock.today().replace(day=1) - timedelta(days=1)).isoformat()[:7],  # payroll pays it now
    })


@access.page_for(access.may_list_records)
def records_export(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    rows = selectors.filtered(access.principal(request), form.filters() if form.is_bound else selectors.Filters())
    audit.access_event(audit.EXPORT, request=request, detail=f"rewards and penalties: {request.GET.urlencode()}")
    return exports.records_xlsx(rows, selectors.totals(rows, form.totals_by() if form.is_bound else "subject"))


@access.page_for(access.may_see_payroll)
def payroll(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("month") or clock.today().isoformat()[:7]
    try:
        month = date.fromisoformat(f"{raw[:7]}-01")
    except ValueError:
        raise Http404 from None
    audit.access_event(audit.EXPORT, request=request, detail=f"payroll cash list {month:%Y-%m}")
    return exports.payroll_xlsx(month, selectors.payroll(month))


@access.page_for(access.may_propose_records)
def record_new(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    today = clock.today()
    choices = {"employees": access.proposable_employees(p, today).filter(status="active").order_by("name"),
               "teams": access.proposable_teams(p).order_by("name"), "cases": selectors.linkable_cases(p),
               "months": selectors.plan_months()}
    if request.method == "POST":
        form = ProposeForm(request.POST, **choices)
        if form.is_valid():
            try:
                record = record_propose(by=request.user, **form.arguments())
            except DomainError as error:
                form.show(error)
            else:
                messages.success(request, _("Proposed: record #%(pk)s waits for approval.") % {"pk": record.pk})
                return redirect("rewards:record", record.pk)
    else:
        initial = {k: request.GET[k] for k in ("employee", "team", "kind", "method") if request.GET.get(k)}
        form = ProposeForm(initial=initial, **choices)
    return render(request, "rewards/record_new.html", {"form": form, "cash": Method.CASH})


def _page(request: HttpRequest, record, *, failed: tuple[str, ActForm] | None = None) -> HttpResponse:
    p = access.principal(request)
    page = selectors.record_page(p, record)
    forms = {action: ActForm(initial={"version": record.version}, auto_id=f"{action}-%s") for action in page.acts}
    if failed and failed[0] in forms:
        forms[failed[0]] = failed[1]
    elif failed:  # the act is no longer open to them (someone moved the record): say why on top
        for error in failed[1].errors.values():
            messages.error(request, " ".join(error))
    return render(request, "rewards/record.html", {
        "record": record, "history": page.history, "subject": record.employee or record.team,
        "acted_at": {step.event.action: step.event.at for step in page.history},  # the latest of each action
        "acts": [(action, RECORD.label(action), form) for action, form in forms.items()],
        "notice": getattr(record, "notice", None),
        "rule_figures": page.rule_figures, "may_see_rules": access.may_see_rules(p),
    })


@access.page_for(access.may_list_records)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.record_for(access.principal(request), pk))


@require_POST
@access.page_for(access.may_list_records)
def record_act_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    p = access.principal(request)
    found = selectors.record_for(p, pk)
    form = ActForm(request.POST, auto_id=f"{action}-%s")
    if form.is_valid():
        try:
            record_act(by=request.user, record_id=found.pk, action=action, **form.arguments())
        except DomainError as error:
            now = selectors.record_for(p, pk)
            if error.field == "version":  # keep what they typed, against the version they see now
                data = request.POST.copy()
                data["version"] = str(now.version)
                form = ActForm(data, auto_id=f"{action}-%s")
                form.is_valid()
            form.show(error)
            return _page(request, now, failed=(action, form))
        messages.success(request, _("Done: %(act)s.") % {"act": RECORD.label(action)})
        return redirect("rewards:record", found.pk)
    return _page(request, found, failed=(action, form))


urlpatterns = [
    path("records/", records, name="records"),
    path("records/new/", record_new, name="record_new"),
    path("records/export/", records_export, name="records_export"),
    path("records/payroll/", payroll, name="payroll"),
    path("records/<int:pk>/", record, name="record"),
    path("records/<int:pk>/act/<slug:action>/", record_act_view, name="record_act"),
]
