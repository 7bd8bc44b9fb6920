"""The manager's weekly entry grid, the team's list of weeks, submitting a week and a cell's history.

The grid posts the whole week at once and saves it through services.weekly_figures_save (one transaction).
Its columns come from the metric registry at request time, so a new entered metric shows up here by itself.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from targets.calculations import month_of_week, week_monday
from teams import access, clock, inputs
from teams.errors import DomainError
from teams.models import Employee

from .. import metrics, selectors, services
from ..selectors import WeekGrid

STATE_LABELS = {
    "missing": gettext_lazy("Missing"), "draft": gettext_lazy("Draft"),
    "submitted": gettext_lazy("Submitted"), "locked": gettext_lazy("Locked"),
}

# The derived columns beside the entered ones, and how the browser recomputes each as you type: "sum" and
# "ratio" of other columns of the row, "target" for the week's target. The server's figures come from the
# registry's formulas; tests/kpis/test_grid.py checks these recipes agree with them.
LIVE_FORMULAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "total_deposits": ("sum", ("new_customer_deposits", "existing_customer_deposits")),
    "close_rate": ("ratio", ("accounts_opened", "engaged_customers")),
    "planned_target": ("target", ()),
    "attainment": ("ratio", ("total_deposits", "planned_target")),
}


@dataclass
class Cell:
    metric: metrics.Metric
    text: str
    error: str = ""
    history_url: str = ""
    was: str = ""  # the value the page started from: a cell posted back unchanged is not saved


@dataclass
class Line:
    """One rep's row as the page shows it: typed text wins over the stored value, so nothing typed is lost."""

    rep: Employee
    version: int | None
    target: int | None
    cells: list[Cell]
    derived: list[tuple[metrics.Metric, Decimal | None]] = field(default_factory=list)


def monday_from_url(week: str) -> date:
    """Return the week's Monday from YYYY-MM-DD; any other text or day is not a page (404), a year outside the
    served ones is refused with the range (salesops.limits turns the InputError into a 400)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", week):
        raise Http404
    try:
        monday = date.fromisoformat(week)
    except ValueError:
        raise Http404 from None
    if monday.weekday() != 0:
        raise Http404
    return inputs.served_day(monday)  # 9999-12-27 is a Monday, but no page: a 400 naming the years served


@access.page_for(access.may_view_organisation)
def weeks(request: HttpRequest, team_pk: int) -> HttpResponse:
    today = clock.today()
    return render(request, "kpis/weeks.html", {
        "overview": selectors.team_weeks(access.principal(request), team_pk, today),
        "this_week": week_monday(today), "total_metric": metrics.BY_CODE["total_deposits"],
        "target_metric": metrics.BY_CODE["planned_target"], "attainment_metric": metrics.BY_CODE["attainment"],
    })


@access.page_for(access.may_view_organisation)
def grid(request: HttpRequest, team_pk: int, week: str) -> HttpResponse:
    monday = monday_from_url(week)
    p = access.principal(request)
    team = access.get_team(p, team_pk, write=request.method == "POST")
    week_grid = selectors.week_grid(p, team, monday)
    may_change = access.may_change_team(p, team)
    posted, problem = Posted(), None
    if request.method == "POST":
        posted = _posted(request.POST)
        # The grid saves its own rows only. Any other id answers 404, whatever the reason (no such rep, another
        # team's, not in the team that week), so a refusal tells nothing about who exists or where.
        if not set(posted.versions) <= {row.employee.pk for row in week_grid.rows}:
            raise Http404
        if not posted.rows:
            messages.info(request, _("You changed nothing, so nothing was saved."))
            return redirect(request.path)
        try:
            summary = services.weekly_figures_save(week=monday, rows=posted.rows, by=request.user, channel="grid",
                                                   team=week_grid.team)
        except services.StaleFigures as error:
            # The page now shows everyone's saved figures and versions, with only this user's own edits typed over
            # them: saving again retries those edits, and nothing else.
            problem, posted.versions, posted.was = error, {}, {}
        except DomainError as error:
            problem = error
        else:
            if not summary.created and not summary.changed:
                messages.info(request, _("You changed nothing, so nothing was saved."))
                return redirect(request.path)
            messages.success(request, _("Week saved: %(created)s new, %(changed)s changed, %(unchanged)s unchanged.")
                             % {"created": len(summary.created), "changed": len(summary.changed),
                                "unchanged": len(summary.unchanged)})
            return redirect(request.path)
    return render(request, "kpis/grid.html", _grid_context(week_grid, may_change, posted, problem))


@require_POST
@access.page_for(access.may_view_organisation)
def submit(request: HttpRequest, team_pk: int, week: str) -> HttpResponse:
    monday = monday_from_url(week)
    team = access.get_team(access.principal(request), team_pk, write=True)
    try:
        submitted = services.weekly_figures_submit(team=team, week=monday, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext("Figures of %(n)s rep submitted to the director.",
                                           "Figures of %(n)s reps submitted to the director.", submitted)
                         % {"n": submitted})
    return redirect("kpis:grid", team.pk, monday.isoformat())


@vary_on_headers("HX-Request")  # one URL, two bodies: the grid's htmx panel gets the fragment, a visit the page
@access.page_for(access.any_role)
def history(request: HttpRequest, figures_pk: int, field: str) -> HttpResponse:
    """A cell's changes, read-only: for anyone who may see the figures (a rep, their own; 404 for anyone else's)."""
    p = access.principal(request)
    figures = selectors.figures_row(p, figures_pk)
    labels = {m.code: m.label for m in metrics.ENTERED} | {"state": _("State")}
    if field not in labels:
        raise Http404
    template = "kpis/_cell_history.html#history" if request.htmx else "kpis/_cell_history.html"
    return render(request, template, {
        "figures": figures, "label": labels[field],
        "changes": selectors.cell_history(p, figures.pk, field),
        # A rep reads their own figures on their page, not in the team's grid.
        "grid_url": (reverse("kpis:grid", args=[figures.team_id, figures.week.isoformat()])
                     if access.may_view_organisation(p) else reverse("dashboards:mine")),
    })


@dataclass
class Posted:
    """What the grid sent: the cells the user changed, the versions and values the page started from, the rows."""

    typed: dict[tuple[int, str], str] = field(default_factory=dict)
    versions: dict[int, int | None] = field(default_factory=dict)
    was: dict[tuple[int, str], str] = field(default_factory=dict)
    rows: list[services.RepWeekInput] = field(default_factory=list)


def _posted(post: QueryDict) -> Posted:
    """Return only what the user changed: a cell equal to the value the page showed (`was-…`) or left out of the
    post is not sent, so it keeps the stored value and a rep nobody touched is not saved, nor checked for staleness
    (saving the week never writes back someone else's figures the page showed before they saved)."""
    posted = Posted()
    for number, raw in enumerate(post.getlist("rep"), start=1):
        if not raw.isdigit() or len(raw) > 10:
            continue
        employee_id = int(raw)
        version = post.get(f"version-{employee_id}", "")
        posted.versions[employee_id] = int(version) if version.isdigit() and len(version) <= 10 else None
        values = {}
        for m in metrics.ENTERED:
            key = f"v-{employee_id}-{m.code}"
            if key not in post:
                continue
            text, was = post[key].strip(), post.get(f"was-{employee_id}-{m.code}")
            if was is not None:
                posted.was[(employee_id, m.code)] = was
                if text == was.strip():
                    continue
            values[m.code] = text
        posted.typed |= {(employee_id, code): text for code, text in values.items()}
        if not values or (posted.versions[employee_id] is None and not any(values.values())):
            continue  # untouched; or a rep with no figures yet whose row was left blank stays missing, not zero
        posted.rows.append(services.RepWeekInput(employee_id, values, posted.versions[employee_id], row=number))
    return posted


def _number(metric: metrics.Metric, text: str) -> int | Decimal:
    try:
        return services.parse_value(metric, text)
    except ValueError:
        return 0  # the cell is shown red; it counts as nothing in the totals until fixed


def _text(value: object) -> str:
    """Return a stored figure as the input shows it: no trailing .00 on whole yuan."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value)


def _derived(values: dict[str, int | Decimal], target: int | None) -> list[tuple[metrics.Metric, Decimal | None]]:
    columns = tuple(metrics.BY_CODE[code] for code in LIVE_FORMULAS)
    derived = metrics.derive(metrics.PeriodFigures(values=values, target=target), columns)
    return [(m, derived[m.code]) for m in columns]


def _grid_context(week_grid: WeekGrid, may_change: bool, posted: Posted, problem: DomainError | None) -> dict:
    entered = metrics.ENTERED
    cell_errors = {(e.employee_id, e.field): e.message for e in getattr(problem, "errors", [])}
    lines = []
    for row in week_grid.rows:
        rep = row.employee
        cells = []
        for m in entered:
            stored = getattr(row.figures, m.code, None) if row.figures else None
            history = reverse("kpis:history", args=[row.figures.pk, m.code]) if row.figures else ""
            key = (rep.pk, m.code)
            cells.append(Cell(m, posted.typed.get(key, _text(stored)), cell_errors.get(key, ""), history,
                              posted.was.get(key, _text(stored))))
        values = {c.metric.code: _number(c.metric, c.text) for c in cells}
        line = Line(rep, posted.versions.get(rep.pk, row.version), row.week_target, cells,
                    _derived(values, row.week_target))
        lines.append(line)
    shown = {(line.rep.pk, c.metric.code) for line in lines for c in line.cells}
    sums = {m.code: sum((_number(c.metric, c.text) for line in lines for c in line.cells if c.metric == m), 0)
            for m in entered}
    targets = [line.target for line in lines if line.target is not None]
    team_target = sum(targets) if targets else None
    monday = week_grid.week
    readonly = week_grid.locked or not may_change
    return {
        "grid": week_grid, "team": week_grid.team, "week": monday, "sunday": monday + timedelta(days=6),
        "month": month_of_week(monday), "entered": entered,
        "derived_columns": [(metrics.BY_CODE[code], op, " ".join(args)) for code, (op, args) in LIVE_FORMULAS.items()],
        "lines": lines, "totals": [(m, sums[m.code]) for m in entered], "total_derived": _derived(sums, team_target),
        "state": week_grid.state, "state_label": STATE_LABELS[week_grid.state],
        "readonly": readonly, "may_change": may_change,
        "may_submit": may_change and not week_grid.locked and any(
            r.figures and r.figures.state == "draft" for r in week_grid.rows),
        "previous": monday - timedelta(weeks=1),
        "next": monday + timedelta(weeks=1) if monday < week_monday(clock.today()) else None,
        "problem": problem, "conflicts": getattr(problem, "conflicts", []),
        # Errors about whole rows (a rep not in the team that week, unknown reps) have no cell to turn red.
        "row_errors": [e for e in getattr(problem, "errors", []) if (e.employee_id, e.field) not in shown],
        "config": _browser_config(readonly, unsaved=problem is not None),
    }


def _browser_config(readonly: bool, unsaved: bool) -> dict:
    """Return what grid.js needs: the language and the same messages services.parse_value gives."""
    count_limit = inputs.integer_range(metrics.model_field(metrics.Unit.COUNT))[1]
    return {
        "lang": get_language() or "zh-hans", "readonly": readonly,
        "unsaved": unsaved,  # a refused save: what the grid shows is not in the database yet
        # The columns' limits, read from the same model fields the server checks against.
        "limits": {"chars": inputs.MAX_NUMBER_CHARS, "count": count_limit,
                   "amount": float(inputs.decimal_limit(metrics.model_field(metrics.Unit.CNY))),
                   "scales": {sign: int(n) for sign, n in inputs.SCALES.items()}, "currency": inputs.CURRENCY.pattern},
        "messages": {
            "nan": _("“%(text)s” is not a number.") % {"text": "{text}"},
            "too_long": _("“%(text)s” is too long to be a number.") % {"text": "{text}"},
            "negative": _("Figures cannot be negative."), "whole": _("A count is a whole number."),
            "count_too_large": _("A count can be at most %(limit)s.") % {"limit": f"{count_limit:,}"},
            "decimals": _("Money has at most two decimals."), "too_large": _("The amount is too large."),
            "fix_first": _("Fix the cells in red before saving."),
            "unsaved": _("You have unsaved changes in the grid. Submit the week without them?"),
        },
    }


urlpatterns = [
    path("teams/<int:team_pk>/weeks/", weeks, name="weeks"),
    path("teams/<int:team_pk>/weeks/<str:week>/", grid, name="grid"),
    path("teams/<int:team_pk>/weeks/<str:week>/submit/", submit, name="submit"),
    path("history/<int:figures_pk>/<str:field>/", history, name="history"),
]
