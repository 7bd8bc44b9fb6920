"""What the dashboard draws (chart data as plain JSON) and what it exports (an XLSX of the screen)."""

from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kpis.resources import neutralise

from .selectors.director import Dashboard


def _num(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def chart_data(board: Dashboard) -> dict:
    """Return the series of the months chart and the team sparklines, ready for json_script."""
    return {
        "months": [f"{b.month:%Y-%m}" for b in board.months],
        "asOf": f"{board.as_of_month:%Y-%m}",
        "target": [_num(b.target) for b in board.months],
        "actual": [_num(b.actual) if b.cumulative_actual is not None else None for b in board.months],
        "cumulativeTarget": [_num(b.cumulative_target) for b in board.months],
        "cumulativeActual": [_num(b.cumulative_actual) for b in board.months],
        "teams": {line.team.pk: [_num(v) for v in line.trend] for line in board.teams},
        "labels": chart_labels(),
    }


def chart_labels() -> dict[str, str]:
    """Return the chart's series names in the user's language."""
    return {"target": _("Target"), "actual": _("Actual"), "cumulativeTarget": _("Plan, cumulative"),
            "cumulativeActual": _("Actual, cumulative"), "asOf": _("As of")}


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def xlsx_response(board: Dashboard, reps: list[dict]) -> HttpResponse:
    """Return the dashboard's tables as an XLSX workbook (one sheet per table)."""
    months = tablib.Dataset(headers=[_("Month"), _("Target"), _("Actual"), _("Plan, cumulative"),
                                     _("Actual, cumulative")], title=_("Months")[:31])
    for b in board.months:
        months.append([f"{b.month:%Y-%m}", b.target, float(b.actual), b.cumulative_target,
                       "" if b.cumulative_actual is None else float(b.cumulative_actual)])
    tiles = tablib.Dataset(headers=[_("Metric"), _("Value"), _("Previous period"), _("A year before")],
                           title=_("KPIs")[:31])
    for t in board.tiles:
        tiles.append([str(t.metric.label), *["" if v is None else float(v) for v in (t.value, t.previous, t.year_ago)]])
    teams = tablib.Dataset(headers=[_("Team"), _("Target"), _("Actual"), _("Attainment"), _("Accounts opened")],
                           title=_("Teams")[:31])
    for line in board.teams:
        teams.append([neutralise(line.team.name), line.target, float(line.actual), _percent(line.attainment),
                      float(line.accounts_opened)])
    bottom = tablib.Dataset(headers=[_("Rank"), _("Rep"), _("Attainment"), _("Consecutive"), _("On probation")],
                            title=_("Bottom")[:31])
    for p in board.bottom:
        bottom.append([p.rank, neutralise(p.employee.name), _percent(p.attainment), p.consecutive,
                       _("yes") if p.on_probation else ""])
    sheets = [months, tiles, teams, bottom]
    if reps:
        rep_sheet = tablib.Dataset(headers=[_("Rep"), _("Target"), _("Actual"), _("Attainment")], title=_("Reps")[:31])
        for r in reps:
            rep_sheet.append([neutralise(r["employee"].name), r["target"], float(r["actual"]),
                              _percent(r["attainment"])])
        sheets.append(rep_sheet)
    book = tablib.Databook(sheets)
    response = HttpResponse(book.export("xlsx"),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"salesops-dashboard-{board.as_of:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
