"""The company ranking of a month or phase with its bottom-elimination flags, and the director's rule."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from kpis.results import services as results
from kpis.results.selectors import freshness
from rewards.selectors import rankings as published_rankings
from targets import selectors as target_selectors
from teams import access, clock, inputs
from teams.errors import DomainError

from ..selectors import rankings as dashboard


@access.page_for(access.sees_all_sales)
def rankings(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    plan = target_selectors.plan_chosen(request.GET.get("plan"), clock.today())
    if plan is None:
        return render(request, "targets/no_plan.html", {"may_edit": access.may_edit_plan(p)})
    if request.method == "POST":
        if not access.may_edit_plan(p):
            raise PermissionDenied
        try:
            results.elimination_rule_set(bottom_count=request.POST.get("bottom_count", ""),
                                          bottom_percent=request.POST.get("bottom_percent", ""),
                                          warn_after=request.POST.get("warn_after", ""), by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Rule saved; the rankings are being recomputed."))
        return redirect(request.get_full_path())
    first = _month(request.GET.get("first", ""))
    page = dashboard.ranking_page(plan, request.GET.get("period"), first, clock.today())
    return render(request, "dashboards/rankings.html", {
        "page": page, "plan": plan, "may_edit": access.may_edit_plan(p), "year_plans": target_selectors.plans(),
        "may_nominate": access.may_nominate(p),
        "freshness": freshness(page.months),  # a phase: any of its months recalculating
        "may_publish_rankings": access.may_publish_rankings(p),
        "published": published_rankings.published_of(page.kind, page.first_month),
    })


def _month(text: str) -> date | None:
    """Return the ?first= day, or None (the default period) when it is not a date of the served years."""
    try:
        return inputs.day(text)
    except inputs.InputError:
        return None


urlpatterns = [path("rankings/", rankings, name="rankings")]
