"""Organisation pages: each parses, authorises through access.py, reads a selector, renders."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from . import access, clock, selectors
from .models import EmployeeStatus

PEOPLE_ORDERS = {
    "number": "employee_number", "-number": "-employee_number", "name": "name", "-name": "-name",
    "hired": "hire_date", "-hired": "-hire_date", "team": "team_name", "-team": "-team_name",
}


@access.page_for(access.may_view_organisation)
def organisation(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    cards = selectors.organisation_for_user(access.principal(request), on=today)
    return render(request, "teams/organisation.html", {"cards": cards, "today": today})


@vary_on_headers("HX-Request")  # one URL, two bodies: htmx gets the list, a visit the page
@access.page_for(access.may_view_organisation)
def people(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    sort = request.GET.get("sort", "number")
    status = request.GET.get("status", "")
    p = access.principal(request)
    rows = selectors.employees_for_user(
        p, on=today, search=request.GET.get("q", "").strip(),
        team_id=_int_or_none(request.GET.get("team")),
        status=status if status in EmployeeStatus.values else "",
        order=PEOPLE_ORDERS.get(sort, "employee_number"),
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    template = "teams/people.html#people-list" if request.htmx else "teams/people.html"
    return render(request, template, {
        "page": page, "sort": sort, "teams": access.visible_teams(p),
        "statuses": EmployeeStatus.choices, "today": today,
    })


@access.page_for(access.may_view_organisation)
def team(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.principal(request)
    team = access.get_team(p, pk)
    memberships = selectors.team_memberships(p, team)
    today = clock.today()
    current = [m for m in memberships if m.ends_on is None or m.ends_on >= today]
    former = [m for m in memberships if m.ends_on is not None and m.ends_on < today]
    return render(request, "teams/team.html", {
        "team": team, "current": current, "former": former,
        "may_change": access.may_change_team(p, team),
    })


@access.page_for(access.any_role)
def employee(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.employee_record(access.principal(request), pk, on=clock.today())
    return render(request, "teams/employee.html", {"record": record, "today": clock.today()})


@access.page_for(access.any_role)
def me(request: HttpRequest) -> HttpResponse:
    own = access.principal(request).employee_id
    if own is None:
        raise Http404
    return employee(request, own)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 9 else None  # ids fit an integer column
