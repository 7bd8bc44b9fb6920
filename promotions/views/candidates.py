"""HR's candidates page (HR's start page): eligible now, within a horizon, and on request the rest with reasons;
contracts ending; filter, sort, export to XLSX."""

import tablib
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from teams import access, clock

from ..models import Ladder
from ..selectors import candidates as selectors


def _filters(request: HttpRequest) -> selectors.Filters:
    raw = request.GET
    horizon = raw.get("horizon", "3")
    team = raw.get("team", "")
    return selectors.Filters(
        horizon_months=int(horizon) if horizon.isdigit() and int(horizon) <= 24 else 3,
        with_not_eligible=raw.get("all") == "1", team_id=int(team) if team.isdigit() and len(team) < 10 else None,
        ladder=raw.get("ladder", "")[:20], position=raw.get("position", "")[:30],
        sort=raw.get("sort") if raw.get("sort") in selectors.SORTS else "eligible_from")


@access.page_for(access.may_see_candidates)
def candidates(request: HttpRequest) -> HttpResponse:
    p, today = access.principal(request), clock.today()
    filters = _filters(request)
    rows = selectors.candidates(p, today, filters)
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows)
    return render(request, "promotions/candidates.html", {
        "rows": rows, "filters": filters, "today": today, "sorts": selectors.SORTS,
        "teams": access.visible_teams(p).order_by("name"), "ladders": Ladder.objects.all(),
        "contracts": selectors.contracts_ending(p, today), "may_nominate": access.may_nominate(p),
    })


def _xlsx(rows: list[selectors.Candidate]) -> HttpResponse:
    sheet = tablib.Dataset(headers=[_("Employee number"), _("Name"), _("Team"), _("Position"), _("Next position"),
                                    _("Verdict"), _("Eligible from"), _("Reasons")])
    verdicts = {"now": _("Eligible now"), "from": _("Eligible from a date"), "not": _("Not eligible")}
    for c in rows:
        e = c.eligibility
        sheet.append([c.employee.employee_number, c.employee.name, c.team_name, c.position.name, c.to_position.name,
                      verdicts[e.verdict], e.eligible_from.isoformat() if e.eligible_from else "",
                      "\n".join(check.text for check in e.checks)])
    response = HttpResponse(sheet.export("xlsx"),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="candidates.xlsx"'
    return response


urlpatterns = [path("candidates/", candidates, name="candidates")]
