"""Spreadsheet pages: the import (upload → preview → confirm), its template, and the export of weekly figures."""

import secrets
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from targets.calculations import week_monday
from teams import access, audit, clock, inputs
from teams.errors import DomainError
from teams.models import Team

from .. import imports, metrics
from ..resources import FILE_FORMATS, ParsedSheet
from ..services import StaleFigures

PENDING = "kpis_import"  # the session key of the previewed sheet awaiting its confirm


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))


# A date input's value must be ISO whatever the language (the Chinese input format, 2017/03/06, shows blank).
DATE_INPUT = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


class ExportForm(forms.Form):
    first = forms.DateField(label=gettext_lazy("From the week of"), widget=forms.DateInput(**DATE_INPUT),
                            validators=[inputs.validate_served_day])
    last = forms.DateField(label=gettext_lazy("To the week of"), widget=forms.DateInput(**DATE_INPUT),
                           validators=[inputs.validate_served_day])
    metric = forms.MultipleChoiceField(label=gettext_lazy("Metrics (none ticked: all)"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FILE_FORMATS])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.code, m.label) for m in metrics.ENTERED]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("first") and data.get("last"):
            data["first"], data["last"] = week_monday(data["first"]), week_monday(data["last"])
            if data["last"] < data["first"]:
                raise forms.ValidationError(_("The last week comes before the first."))
        return data

    def chosen(self) -> list[metrics.Metric]:
        codes = self.cleaned_data["metric"]
        return [m for m in metrics.ENTERED if not codes or m.code in codes]


@access.page_for(access.may_enter_figures)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        try:
            preview = imports.figures_import_preview(upload=form.cleaned_data["file"], by=request.user)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return render(request, "kpis/import_preview.html", {"preview": preview, "token": _keep(request, preview)})
    return _import_page(request, form)


@require_POST
@access.page_for(access.may_enter_figures)
def confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(PENDING, None)
    if not pending or pending["token"] != request.POST.get("token"):
        messages.error(request, _("There is no previewed import to confirm; upload the file again."))
        return redirect("kpis:import")
    sheet = ParsedSheet.from_json(pending["sheet"])
    if pending.get("warnings") and request.POST.get("accept_warnings") != "1":
        request.session[PENDING] = pending  # the same preview may still be confirmed, once the warnings are ticked
        messages.error(request, _("The preview has warnings: tick that you checked them, then confirm."))
        return redirect("kpis:import")
    try:
        done = imports.figures_import_confirm(sheet=sheet, seen=pending["seen"], by=request.user)
    except (imports.ImportRefused, StaleFigures) as refused:
        return _import_page(request, UploadForm(), refused=refused)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("kpis:import")
    messages.success(request, _("%(file)s imported: %(created)s new, %(changed)s changed and %(unchanged)s unchanged "
                                "rep-weeks.") % {"file": sheet.file_name, "created": len(done.created),
                                                 "changed": len(done.changed), "unchanged": len(done.unchanged)})
    return redirect("kpis:import")


@access.page_for(access.may_enter_figures)
def template(request: HttpRequest) -> HttpResponse:
    teams = imports.teams_for_import(access.principal(request))
    chosen = _team(request, write=True)
    if chosen is not None:
        teams = [chosen]
    week = week_monday(_date(request.GET.get("week")) or clock.today())
    file_format = request.GET.get("format") if request.GET.get("format") in FILE_FORMATS else "xlsx"
    content, content_type = imports.figures_template(teams=teams, week=week, file_format=file_format)
    audit.access_event(audit.EXPORT, request=request, detail=f"figures import template {week} {file_format}: "
                       + ", ".join(t.name for t in teams))
    return _download(content, content_type, f"figures-template-{week}.{file_format}")


@access.page_for(access.may_view_organisation)
def export(request: HttpRequest) -> HttpResponse:
    team = _team(request)
    last = week_monday(clock.today())
    form = ExportForm(request.GET if "format" in request.GET else None,
                      initial={"first": last - timedelta(weeks=12), "last": last,
                               "metric": [m.code for m in metrics.ENTERED]})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        content, content_type = imports.figures_export(principal=access.principal(request), team=team,
                                                       first=data["first"], last=data["last"],
                                                       chosen=form.chosen(), file_format=data["format"])
        audit.access_event(audit.EXPORT, request=request, detail=f"weekly figures {data['first']}–{data['last']} "
                           f"{data['format']}: {team.name if team else 'all visible teams'}")
        return _download(content, content_type, f"figures-{data['first']}-{data['last']}.{data['format']}")
    return render(request, "kpis/export.html", {
        "form": form, "team": team, "teams": access.visible_teams(access.principal(request)).order_by("name"),
    })


def _import_page(request: HttpRequest, form: UploadForm, refused: DomainError | None = None) -> HttpResponse:
    return render(request, "kpis/import.html", {
        "form": form, "refused": refused, "teams": imports.teams_for_import(access.principal(request)),
        "week": week_monday(clock.today()), "metrics": metrics.ENTERED,
        "max_bytes": settings.FIGURES_IMPORT_MAX_BYTES,
    })


def _keep(request: HttpRequest, preview: imports.ImportPreview) -> str | None:
    """Keep a clean preview's sheet in the session for the confirm; return the token the confirm must bring."""
    request.session.pop(PENDING, None)
    if preview.errors:
        return None
    token = secrets.token_urlsafe(16)  # the confirm of an older preview (another tab) must not write this one
    request.session[PENDING] = {"token": token, "sheet": preview.sheet.as_json(), "seen": preview.seen,
                                "warnings": len(preview.warnings)}
    return token


def _team(request: HttpRequest, write: bool = False) -> Team | None:
    raw = request.GET.get("team")
    return access.get_team(access.principal(request), raw, write=write) if raw else None


def _date(raw: str | None) -> date | None:
    """Return the ?week= day, or None (this week) when it is not a date of the served years."""
    try:
        return inputs.day(raw) if raw else None
    except inputs.InputError:
        return None


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


urlpatterns = [
    path("import/", upload, name="import"),
    path("import/confirm/", confirm, name="import_confirm"),
    path("import/template/", template, name="import_template"),
    path("export/", export, name="export"),
]
