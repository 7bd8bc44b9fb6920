"""The dashboards: the director's cockpit (also the general manager's, and HR's read-only), a team's page and
a rep's drill-down. Filters live in the URL so a view can be bookmarked and shared."""

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from appraisals import selectors as appraisal_selectors
from kpis import selectors
from promotions.selectors import cases as case_selectors
from promotions.selectors import way_up
from rewards.selectors import bulletins as bulletin_selectors
from targets import selectors as target_selectors
from targets.calculations import month_span, week_monday
from teams import access, audit, clock

from .. import exports as dashboard_export
from ..selectors import director as dashboard


def _filters(request: HttpRequest, *, team=None) -> dashboard.Filters | None:
    """Return the filters the query string asks for; unknown ids are 404, no plan at all is None."""
    plan = target_selectors.plan_chosen(request.GET.get("plan"), clock.today())
    if plan is None:
        return None
    phase = month = None
    if request.GET.get("phase", "").isdigit():
        phase = get_object_or_404(plan.phases, pk=request.GET["phase"])
    if request.GET.get("month", "").isdigit():
        month = get_object_or_404(plan.months, pk=request.GET["month"])
    if team is None and request.GET.get("team", "").isdigit():
        team = access.get_team(access.principal(request), int(request.GET["team"]))
    return dashboard.Filters(plan, phase, month, team)


def _page(request: HttpRequest, template: str, filters: dashboard.Filters | None, **extra) -> HttpResponse:
    p = access.principal(request)
    if filters is None:
        return render(request, "targets/no_plan.html", {"may_edit": access.may_edit_plan(p)})
    board = dashboard.director(p, filters, clock.today())
    reps = dashboard.team_reps(p, filters.team, board.period.months) if filters.team else []
    return render(request, template, {
        "board": board, "reps": reps, "filters": filters, "charts": dashboard_export.chart_data(board),
        "phases": filters.plan.phases.order_by("number"), "plan_months": filters.plan.months.order_by("month"),
        "plans": target_selectors.plans(), "teams": access.visible_teams(p), **appraisals_todo(p), **cases_todo(p),
        "may_nominate": access.may_nominate(p), **extra,
    })


def appraisals_todo(p: access.Principal) -> dict:
    """Return what a start page lists at its top: the appraisals the principal holds now, their feedback to give."""
    return {"appraisals_todo": appraisal_selectors.to_act_on(p),
            "feedback_todo": appraisal_selectors.feedback_to_give(p)}


def cases_todo(p: access.Principal) -> dict:
    """Return the promotion cases a start page lists at its top: those waiting for the principal's decision (the
    director's, the general manager's special approvals) and their own nominations rejected, with why."""
    return {"cases_waiting": case_selectors.waiting_for(p),
            "cases_rejected": list(case_selectors.rejected_nominations(p)[:10])}


@access.page_for(access.sees_all_sales)
def director(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    # the teams without last week's bulletin, asked only when the page shows the card (a plan exists)
    card = partial(bulletin_selectors.missing_card, p, clock.today())
    return _page(request, "dashboards/dashboard.html", _filters(request), bulletins_card=card)


@access.page_for(access.sees_all_sales)
def export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    if filters is None:
        raise Http404
    p = access.principal(request)
    board = dashboard.director(p, filters, clock.today())
    reps = dashboard.team_reps(p, filters.team, board.period.months) if filters.team else []
    audit.access_event(audit.EXPORT, request=request, detail=f"director's dashboard: {request.GET.urlencode()}")
    return dashboard_export.xlsx_response(board, reps)


@access.page_for(access.may_view_organisation)
def team(request: HttpRequest, team_pk: int) -> HttpResponse:
    p = access.principal(request)
    chosen = access.get_team(p, team_pk)
    filters = _filters(request, team=chosen)
    this_week = selectors.week_grid(p, chosen, week_monday(clock.today()))
    return _page(request, "dashboards/team_dashboard.html", filters, team=chosen, this_week=this_week,
                 may_change=access.may_change_team(p, chosen),
                 team_way_up=way_up.team_way_up(p, chosen, clock.today()))


@access.page_for(access.any_role)
def rep(request: HttpRequest, employee_pk: int) -> HttpResponse:
    p = access.principal(request)
    employee = access.get_employee(p, employee_pk)
    plan = target_selectors.plan_chosen(request.GET.get("plan"), clock.today())
    months = list(plan.months.order_by("month")) if plan else []
    if not months:
        return render(request, "targets/no_plan.html", {"may_edit": access.may_edit_plan(p)})
    results = list(dashboard.rep_months(p, employee, [m.month for m in months]))
    first_monday = month_span(months[0].month.year, months[0].month.month)[0]  # may fall in the month before
    last_monday = month_span(months[-1].month.year, months[-1].month.month)[1]
    weeks = (selectors.figures_for_user(p).filter(employee=employee, week__range=(first_monday, last_monday))
             .order_by("-week"))
    return render(request, "dashboards/rep_dashboard.html", {
        "employee": employee, "plan": plan, "results": results, "weeks": weeks[:60],
        "year_plans": target_selectors.plans_of_employee(employee.pk, also=plan),
        "entered": dashboard.entered_metrics(), "as_of": clock.today(),
        "way_up": way_up.way_up_of(p, employee, clock.today()), "is_own": employee.pk == p.employee_id,
        "may_nominate": access.may_nominate(p),
    })


urlpatterns = [
    path("dashboard/", director, name="director"),
    path("dashboard/export/", export, name="director_export"),
    path("dashboard/teams/<int:team_pk>/", team, name="team"),
    path("dashboard/reps/<int:employee_pk>/", rep, name="rep"),
]
