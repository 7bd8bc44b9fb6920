"""The candidates page as an XLSX workbook: a sheet per section (candidates, reserve pool, contracts ending,
vacancies), each the list the page shows for the same filters."""

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .. import calculations as calc
from ..selectors.sections import CandidatesPage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _verdict(eligibility: calc.Eligibility | None) -> str:
    if eligibility is None:
        return _("No step leads there: only a special approval")
    if eligibility.verdict == calc.NOW:
        return _("Eligible now")
    if eligibility.verdict == calc.FROM:
        return _("From %(day)s") % {"day": eligibility.eligible_from.isoformat()}
    return _("Not eligible")


def _candidates(page: CandidatesPage) -> tablib.Dataset:
    sheet = tablib.Dataset(headers=[_("Employee number"), _("Name"), _("Team"), _("Position"), _("Next position"),
                                    _("Verdict"), _("Eligible from"), _("Reasons")], title=_("Candidates"))
    verdicts = {"now": _("Eligible now"), "from": _("Eligible from a date"), "not": _("Not eligible")}
    for c in page.rows:
        e = c.eligibility
        sheet.append([c.employee.employee_number, c.employee.name, c.team_name, c.position.name, c.to_position.name,
                      verdicts[e.verdict], e.eligible_from.isoformat() if e.eligible_from else "",
                      "\n".join(check.text for check in e.checks)])
    return sheet


def _pool(page: CandidatesPage) -> tablib.Dataset:
    months = [m.strftime("%Y-%m") for m in page.pool.months]
    sheet = tablib.Dataset(headers=[
        _("Employee number"), _("Name"), _("Team"), _("Position"), _("Excellent"), _("Cycles counted"),
        *(_("%(month)s rank") % {"month": m} for m in months),
        *(_("%(month)s attainment") % {"month": m} for m in months)], title=_("Reserve pool"))
    for m in page.pool_shown:
        sheet.append([m.employee.employee_number, m.employee.name, m.staff.team_name, m.staff.position.name,
                      m.standing.excellent, m.standing.counted,
                      *(r.rank if r and r.rank else "" for r in m.ranks),
                      *(f"{r.attainment * 100:.1f}%" if r and r.attainment is not None else "" for r in m.ranks)])
    return sheet


def _contracts(page: CandidatesPage) -> tablib.Dataset:
    sheet = tablib.Dataset(headers=[_("Employee number"), _("Name"), _("Position"), _("Team"), _("Contract ends"),
                                    _("Days left"), _("Reserve in the team")], title=_("Contracts ending"))
    for c in page.contracts:
        sheet.append([c.employee.employee_number, c.employee.name, c.staff.position.name, c.staff.team_name,
                      c.contract_end.isoformat(), c.days_left, _("Yes") if c.has_reserve else _("No")])
    return sheet


def _vacancies(page: CandidatesPage) -> tablib.Dataset:
    sheet = tablib.Dataset(headers=[
        _("Team"), _("Manager"), _("Position"), _("Open from"), _("Why"), _("Internal candidate"),
        _("From the reserve pool"), _("Candidate's team"), _("Candidate's position"), _("Eligible")],
        title=_("Vacancies"))
    for v in page.vacancies:
        head = [v.team.name, v.manager.name if v.manager else "", v.position.name, v.opening.opens_on.isoformat(),
                v.why]
        if not v.internal:
            sheet.append([*head, "", "", "", "", ""])
        for c in v.internal:
            sheet.append([*head, c.employee.name, _("Yes") if c.in_pool else _("No"), c.team_name, c.position.name,
                          _verdict(c.eligibility)])
    return sheet


def candidates_xlsx(page: CandidatesPage) -> HttpResponse:
    """Return the workbook of the page's four sections."""
    book = tablib.Databook([_candidates(page), _pool(page), _contracts(page), _vacancies(page)])
    response = HttpResponse(book.export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="candidates.xlsx"'
    return response
