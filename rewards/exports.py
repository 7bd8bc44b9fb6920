"""The register's workbooks: the filtered list as the page shows it, and a month's cash list for payroll. Every
text cell is neutralised against formulas, as kpis' and the other apps' exports are."""

from datetime import date

import tablib
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.resources import neutralise

from .models import PeriodKind, Record
from .selectors.records import Totals

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _who(user) -> str:
    if user is None:
        return ""
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _response(sheet: tablib.Dataset | tablib.Databook, filename: str) -> HttpResponse:
    response = HttpResponse(sheet.export("xlsx"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def records_xlsx(rows: QuerySet[Record], totals: Totals) -> HttpResponse:
    """Return the workbook of the filtered register: one row per record, and every line of the totals."""
    sheet = tablib.Dataset(headers=[
        "#", _("State"), _("Kind"), _("Method"), _("Employee number"), _("Employee or team"), _("Period"),
        _("Month"), _("Amount (CNY)"), _("Reason"), _("Rule"), _("Proposed by"), _("Proposed at"),
        _("Approved by"), _("Approved by HR"), _("Published at"), _("Reason revoked")], title=_("Register"))
    for r in rows:
        sheet.append([
            r.pk, r.get_state_display(), r.get_kind_display(), r.get_method_display(),
            neutralise(r.employee.employee_number if r.employee_id else ""),
            neutralise(r.employee.name if r.employee_id else r.team.name), r.get_period_display(),
            r.first_month.strftime("%Y-%m") if r.first_month else "", r.amount if r.amount is not None else "",
            neutralise(r.reason), neutralise(r.rule.name if r.rule_id else ""),
            neutralise(_who(r.proposed_by) or _("the rules")), _when(r.proposed_at),
            neutralise(_who(r.approved_by)), neutralise(_who(r.hr_approved_by)), _when(r.published_at),
            neutralise(r.revoke_reason)])
    summed = tablib.Dataset(headers=[_("Employee or team"), _("Period"), _("Month"), _("Kind"), _("Records"),
                                     _("Cash")], title=_("Totals"))
    for line in totals.lines:
        summed.append([neutralise(line.subject), PeriodKind(line.period).label if line.period else "",
                       line.first_month.strftime("%Y-%m") if line.first_month
                       else "", line.kind_label, line.records, line.cash])
    return _response(tablib.Databook([sheet, summed]), "rewards.xlsx")


def payroll_xlsx(month: date, rows: QuerySet[Record]) -> HttpResponse:
    """Return the month's cash list for payroll: employee number, name, amount, reason (a team's cash by the
    team's name, without a number: payroll splits it)."""
    sheet = tablib.Dataset(headers=[_("Employee number"), _("Name"), _("Amount (CNY)"), _("Reason")],
                           title=month.strftime("%Y-%m"))
    for r in rows:
        sheet.append([neutralise(r.employee.employee_number if r.employee_id else ""),
                      neutralise(r.employee.name if r.employee_id else r.team.name), r.amount,
                      neutralise(r.reason)])
    return _response(sheet, f"payroll-{month:%Y-%m}.xlsx")
