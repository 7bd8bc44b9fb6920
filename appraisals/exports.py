"""A cycle's results as an XLSX workbook: one sheet of appraisals, one of their goals, one of the ability scores.

No feedback goes into it, not even a count by giver: a file travels, and a giver's name stays on HR's screen.
"""

from collections.abc import Iterable

import tablib
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.resources import neutralise

from .models import Appraisal, Cycle, Step
from .selectors.pages import metric_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _num(value) -> float | str:
    return "" if value is None else float(value)


def _label(labels: dict[int, str], level: int | None) -> str:
    return "" if level is None else labels[level]


def cycle_books(cycle: Cycle, appraisals: Iterable[Appraisal], labels: dict[int, str]) -> tablib.Databook:
    """Return the cycle's sheets: results, goals and (annual cycles) ability scores, neutralised against formulas."""
    results = tablib.Dataset(headers=[
        _("Employee number"), _("Name"), _("Team"), _("Manager's appraisal"), _("Rater"), _("Step"),
        _("Weighted score"), _("Computed rating"), _("Overall rating"), _("Rater's comment"),
        _("Reason for the overall rating"), _("Employee's disagreement"), _("Published at")], title=_("Results")[:31])
    goals = tablib.Dataset(headers=[_("Employee number"), _("Name"), _("Metric"), _("Weight (%)"), _("Target"),
                                    _("Actual"), _("Self rating"), _("Rating")], title=_("Goals")[:31])
    ability = tablib.Dataset(headers=[_("Employee number"), _("Name"), _("Condition"), _("Score (1–5)"),
                                      _("Comment")], title=_("Ability")[:31])
    for a in appraisals:
        who = [neutralise(a.employee.employee_number), neutralise(a.employee.name)]
        results.append([*who, neutralise(a.team.name), _("yes") if a.is_manager else "", neutralise(a.rater.name),
                        str(Step(a.state).label), _num(a.score), _label(labels, a.computed_rating),
                        _label(labels, a.rating), neutralise(a.rater_comment), neutralise(a.rating_reason),
                        neutralise(a.disagreement),
                        timezone.localtime(a.published_at).strftime("%Y-%m-%d %H:%M") if a.published_at else ""])
        for g in a.goals.all():
            goals.append([*who, metric_label(g.metric), g.weight, _num(g.target), _num(g.actual),
                          _label(labels, g.self_rating), _label(labels, g.rating)])
        for s in a.ability_scores.all():
            ability.append([*who, s.get_condition_display(), s.score, neutralise(s.comment)])
    sheets = [results, goals] + ([ability] if cycle.kind == "annual" else [])
    return tablib.Databook(sheets)


def cycle_xlsx(cycle: Cycle, appraisals: Iterable[Appraisal], labels: dict[int, str]) -> HttpResponse:
    """Return the cycle's results as an XLSX download."""
    response = HttpResponse(cycle_books(cycle, appraisals, labels).export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="appraisals-cycle-{cycle.pk}.xlsx"'
    return response
