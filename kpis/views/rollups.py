"""The rollups' status page: which months wait for a recompute, which a run holds, which failed and when they are
tried again, the last run of every month and the last nightly check. For the director and the admins."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from teams import access

from ..results import selectors


@access.page_for(access.may_see_rollup_status)
def rollups(request: HttpRequest) -> HttpResponse:
    return render(request, "kpis/rollups.html", {"status": selectors.rollup_status(timezone.now())})


urlpatterns = [path("rollups/", rollups, name="rollups")]
