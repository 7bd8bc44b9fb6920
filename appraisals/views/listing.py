"""Everyone's list of the appraisals they may open: their own, their team's, those they rate (all, for HR and
the director), the ones waiting for them first."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from teams import access

from .. import selectors
from ..models import Cycle, Step
from ..selectors import pages

PAGE_SIZE = 50


@access.page_for(access.any_role)
def appraisal_list(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    sort = request.GET.get("sort", "-cycle")
    rows = pages.appraisal_list(p, cycle=request.GET.get("cycle"), step=request.GET.get("step"), order=sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "appraisals/list.html", {
        "page": page, "sort": sort, "todo": selectors.to_act_on(p), "labels": pages.rating_labels(),
        "cycles": Cycle.objects.order_by("-first_month", "name"), "steps": Step.choices,
        "chosen_cycle": request.GET.get("cycle", ""), "chosen_step": request.GET.get("step", ""),
        "runs_cycles": access.may_run_appraisals(p),
        "rating_visible": {a.pk for a in page.object_list if pages.rating_shown(p, a)},
    })


urlpatterns = [path("", appraisal_list, name="list")]
