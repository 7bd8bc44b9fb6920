"""HR's pages: the cycles, opening one, a cycle's progress (add a person, close it, export it), the rating labels."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from teams import access, audit, clock
from teams.errors import DomainError

from .. import exports, selectors
from ..forms.cycles import CycleForm, DeadlinesForm, LabelsForm, PersonForm
from ..selectors import pages, results
from ..services import cycles as cycle_services

PAGE_SIZE = 25


@access.page_for(access.may_run_appraisals)
def cycle_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "-start")
    page = Paginator(pages.cycles(access.principal(request), sort), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appraisals/cycles.html", {"page": page, "sort": sort})


@access.page_for(access.may_run_appraisals)
def cycle_new(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = cycle_services.cycle_open(by=request.user, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Cycle opened: %(n)s appraisals created.") % {"n": opened.appraisals.count()})
            return redirect("appraisals:cycle", opened.pk)
    return render(request, "appraisals/cycle_form.html", {"form": form})


@vary_on_headers("HX-Request")  # one URL, two bodies: htmx gets the list, a visit the page
@access.page_for(access.may_run_appraisals)
def cycle(request: HttpRequest, pk: int, person_form: PersonForm | None = None,
          deadlines_form: DeadlinesForm | None = None) -> HttpResponse:
    p = access.principal(request)
    chosen = pages.cycle(pk)
    sort = request.GET.get("sort", "team")
    page = Paginator(pages.cycle_appraisals(p, chosen, sort), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "appraisals/cycle.html#appraisal-list" if request.htmx else "appraisals/cycle.html"
    deadlines = list(chosen.deadlines.all())
    return render(request, template, {
        "cycle": chosen, "page": page, "sort": sort, "progress": pages.cycle_progress(p, chosen),
        "steps": pages.STEPS, "late": selectors.overdue(clock.today(), cycle=chosen),
        "deadlines": deadlines, "labels": pages.rating_labels(),
        "person_form": person_form or PersonForm(),
        "deadlines_form": deadlines_form or DeadlinesForm(due={d.step: d.due_on for d in deadlines},
                                                       with_feedback=chosen.with_feedback),
    })


@require_POST
@access.page_for(access.may_run_appraisals)
def cycle_add(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = pages.cycle(pk)
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            added = cycle_services.cycle_person_add(by=request.user, cycle_id=chosen.pk,
                                                    employee_id=form.cleaned_data["employee"].pk,
                                                    reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("%(name)s added to the cycle.") % {"name": added.employee.name})
            return redirect("appraisals:cycle", chosen.pk)
    return cycle(request, pk, person_form=form)


@require_POST
@access.page_for(access.may_run_appraisals)
def cycle_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = pages.cycle(pk)
    form = DeadlinesForm(request.POST, due={}, with_feedback=chosen.with_feedback)
    if form.is_valid():
        try:
            cycle_services.deadlines_set(by=request.user, cycle_id=chosen.pk, deadlines=form.deadlines())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Due dates saved."))
            return redirect("appraisals:cycle", chosen.pk)
    return cycle(request, pk, deadlines_form=form)


@require_POST
@access.page_for(access.may_run_appraisals)
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = pages.cycle(pk)
    try:
        cycle_services.cycle_close(by=request.user, cycle_id=chosen.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Cycle closed."))
    return redirect("appraisals:cycle", chosen.pk)


@access.page_for(access.may_run_appraisals)
def cycle_export(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = pages.cycle(pk)
    audit.access_event(audit.EXPORT, request=request, detail=f"appraisal results: {chosen.name} (#{chosen.pk})")
    return exports.cycle_xlsx(chosen, pages.cycle_results(access.principal(request), chosen), pages.rating_labels())


@access.page_for(access.may_run_appraisals)
def labels(request: HttpRequest) -> HttpResponse:
    form = LabelsForm(request.POST or None, labels=results.label_pairs())
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.rating_labels_set(by=request.user, labels=form.labels())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Rating labels saved."))
            return redirect("appraisals:labels")
    return render(request, "appraisals/labels.html", {"form": form})


urlpatterns = [
    path("cycles/", cycle_list, name="cycles"),
    path("cycles/new/", cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", cycle, name="cycle"),
    path("cycles/<int:pk>/add/", cycle_add, name="cycle_add"),
    path("cycles/<int:pk>/deadlines/", cycle_deadlines, name="cycle_deadlines"),
    path("cycles/<int:pk>/close/", cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/export/", cycle_export, name="cycle_export"),
    path("labels/", labels, name="labels"),
]
