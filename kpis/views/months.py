"""The director's month close page: each plan month's figures by state; close a month, or reopen it with a reason.

Those who see all of sales may look; only the director (access.may_edit_plan) closes and reopens.
"""

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from targets import selectors as target_selectors
from targets.models import PlanYear
from teams import access, clock
from teams.errors import DomainError

from .. import selectors, services


def _chosen_plan(request: HttpRequest) -> PlanYear | None:
    raw = request.GET.get("plan") or request.POST.get("plan")
    if raw and raw.isdigit():
        return get_object_or_404(PlanYear, pk=raw)
    return target_selectors.current_plan(clock.today())


def _month(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.POST.get("month", "")).replace(day=1)
    except ValueError:
        return None


def _back(request: HttpRequest) -> HttpResponse:
    plan = request.POST.get("plan", "")
    return redirect(reverse("kpis:months") + (f"?plan={plan}" if plan.isdigit() else ""))


@access.page_for(access.sees_all_sales)
def months(request: HttpRequest) -> HttpResponse:
    plan = _chosen_plan(request)
    return render(request, "kpis/months.html", {
        "plan": plan, "plans": target_selectors.plans() if plan else [],
        "months": selectors.month_figures(plan, clock.today()) if plan else [],
        "may_close": access.may_edit_plan(access.principal(request)),
    })


@require_POST
@access.page_for(access.may_edit_plan)
def month_close(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    if month is None:
        messages.error(request, _("Choose a month."))
        return _back(request)
    try:
        locked = services.month_close(month=month, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(month)s closed: %(n)s weekly figures locked.") % {
            "month": f"{month:%Y-%m}", "n": locked})
    return _back(request)


@require_POST
@access.page_for(access.may_edit_plan)
def month_reopen(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    if month is None:
        messages.error(request, _("Choose a month."))
        return _back(request)
    try:
        reopened = services.month_reopen(month=month, by=request.user, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(month)s reopened: %(n)s weekly figures can be corrected again.") % {
            "month": f"{month:%Y-%m}", "n": reopened})
    return _back(request)


urlpatterns = [
    path("months/", months, name="months"),
    path("months/close/", month_close, name="month_close"),
    path("months/reopen/", month_reopen, name="month_reopen"),
]
