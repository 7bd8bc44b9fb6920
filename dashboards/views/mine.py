"""The rep's own page: targets for the week, month, phase and year beside what their weekly figures add up to."""

from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from appraisals import selectors as appraisal_selectors
from kpis import metrics
from promotions.selectors import way_up
from rewards.selectors import records as record_selectors
from targets import selectors as target_selectors
from targets.calculations import week_monday
from targets.models import PlanMonth, PlanYear
from teams import access, clock

from .. import exports as dashboard_export
from ..selectors import mine as mine_selectors
from ..selectors import rankings as dashboard
from .director import appraisals_todo


@access.page_for(access.any_role)
def mine(request: HttpRequest) -> HttpResponse:
    principal = access.principal(request)
    if not access.has_profile(principal):
        raise Http404
    employee_id = principal.employee_id  # their own page: the principal says who they are, no look-up
    today = clock.today()
    plan = target_selectors.plan_chosen(request.GET.get("plan"), today)
    months = list(plan.months.order_by("month")) if plan else []
    if not months:
        return render(request, "targets/no_plan.html", {"may_edit": access.may_edit_plan(principal)})
    plan_month = _plan_month(plan, months, request.GET.get("month"), today)
    figures = mine_selectors.rep_figures(principal, employee_id, months, today)
    calendar = target_selectors.working_calendar()
    # the year's weeks: the first week of the first month to the last week of the last month
    year = mine_selectors.rep_pace(figures, figures.weeks[0].monday, figures.weeks[-1].monday, today, calendar)
    chart = mine_selectors.month_chart(figures, months, today)
    chart["labels"] = dashboard_export.chart_labels()
    return render(request, "dashboards/mine.html", {
        "year_pace": year, "charts": chart, "placing": dashboard.latest_placing(employee_id, today),
        "plan": plan, "today": today, "months": months, "plan_month": plan_month,
        "year_plans": target_selectors.plans_of_employee(employee_id, also=plan),
        "periods": [(p, None if p.label in ("last_week", "week") else
                     mine_selectors.rep_pace(figures, p.first, p.last, today, calendar).needed_per_week)
                    for p in figures.periods(target_selectors.rep_periods(employee_id, plan, today), today)],
        "calendar": figures.month(target_selectors.rep_calendar(employee_id, plan_month)),
        "weeks": figures.reported if figures.has_figures else [], "entered": metrics.ENTERED,
        "results": appraisal_selectors.published_results([employee_id]).get(employee_id, []),
        "way_up": way_up.way_up_of(principal, employee_id, today), **appraisals_todo(principal),
        "my_records": record_selectors.final_records_of(principal, employee_id),
        # a rep's line on their week, for their manager beside the team's bulletin
        "week_line_week": week_monday(today) if access.may_write_week_lines(principal) else None,
    })


def _plan_month(plan: PlanYear, months: list[PlanMonth], raw: str | None, today: date) -> PlanMonth:
    chosen = next((m for m in months if str(m.pk) == raw), None)
    if chosen:
        return chosen
    # Figures come in after a week ends, so open on the month of last week: it has the freshest numbers.
    latest = target_selectors.plan_month_of(plan, today - timedelta(weeks=1))
    return latest or (months[-1] if today > months[-1].month else months[0])


urlpatterns = [path("mine/", mine, name="mine")]
