"""HR's training pages: the sessions (filtered, newest first), a new session, a session's attendance with the
attendees' hours so far, attendees added by hand, the attendance import (upload → preview → confirm, as the
weekly figures are imported: kpis.views.imports) with its template, and one person's training."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpis.imports import ImportRefused
from teams import access, audit, clock
from teams.errors import DomainError

from .. import imports
from ..forms.training import AttendanceFileForm, AttendeesForm, SessionForm
from ..models import CourseType, TrainingSession
from ..selectors import training as selectors
from ..services import training as services

PAGE_SIZE = 25
PENDING = "promotions_attendance_import"  # the session key of the previewed sheet awaiting its confirm


@access.page_for(access.may_keep_training_records)
def session_list(request: HttpRequest) -> HttpResponse:
    course, year = request.GET.get("course", "")[:30], request.GET.get("year", "")
    chosen_year = int(year) if year.isdigit() and len(year) == 4 else None
    rows = selectors.sessions(course=course, year=chosen_year)
    return render(request, "promotions/training.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "courses": CourseType.objects.all(),
        "years": selectors.session_years(), "chosen_course": course, "chosen_year": chosen_year,
        "people": selectors.people_for_training(),
    })


@access.page_for(access.may_keep_training_records)
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, initial={"held_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            added = services.session_add(by=request.user, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Session recorded: %(session)s. Add who attended.") % {"session": added})
            return redirect("promotions:training_session", added.pk)
    return render(request, "promotions/training_new.html", {"form": form})


def _session_page(request: HttpRequest, session: TrainingSession, *, attendees_form: AttendeesForm | None = None,
                  file_form: AttendanceFileForm | None = None, refused: DomainError | None = None) -> HttpResponse:
    return render(request, "promotions/training_session.html", {
        "session": session, "attendees": selectors.attendance_of(session, clock.today()),
        "attendees_form": attendees_form or _attendees_form(session),
        "file_form": file_form or AttendanceFileForm(), "refused": refused,
        "max_bytes": settings.FIGURES_IMPORT_MAX_BYTES,
    })


def _attendees_form(session: TrainingSession, data=None) -> AttendeesForm:
    return AttendeesForm(data, people=selectors.employees_for_attendance(session), with_exam=session.has_exam)


@access.page_for(access.may_keep_training_records)
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, selectors.session_for(pk))


@require_POST
@access.page_for(access.may_keep_training_records)
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = selectors.session_for(pk)
    form = _attendees_form(chosen, request.POST)
    if form.is_valid():
        try:
            written = services.attendance_add(session=chosen, by=request.user, **form.arguments())
        except services.AttendanceRefused as refused:
            form.show_rows(refused.errors)
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("%(n)s attendance records saved.") % {"n": len(written)})
            return redirect("promotions:training_session", chosen.pk)
    return _session_page(request, chosen, attendees_form=form)


@require_POST
@access.page_for(access.may_keep_training_records)
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = selectors.session_for(pk)
    form = AttendanceFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            columns, lines = imports.sheet_lines(form.cleaned_data["file"])
            preview = imports.attendance_preview(session=chosen, lines=lines, columns=columns, by=request.user)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            return render(request, "promotions/training_import_preview.html", {
                "session": chosen, "preview": preview, "file_name": form.cleaned_data["file"].name,
                "token": _keep(request, chosen, preview), "recorded": selectors.attendee_ids(chosen)})
    return _session_page(request, chosen, file_form=form)


@require_POST
@access.page_for(access.may_keep_training_records)
def attendance_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = selectors.session_for(pk)
    pending = request.session.pop(PENDING, None)
    if not pending or pending["token"] != request.POST.get("token") or pending["session"] != chosen.pk:
        messages.error(request, _("There is no previewed import to confirm; upload the file again."))
        return redirect("promotions:training_session", chosen.pk)
    lines = [imports.AttendanceLine(**line) for line in pending["lines"]]
    try:
        done = imports.attendance_import_confirm(session=chosen, lines=lines, columns=pending["columns"],
                                                 by=request.user)
    except ImportRefused as refused:  # someone changed the people meanwhile: nothing written, every cell named
        return _session_page(request, chosen, refused=refused)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("promotions:training_session", chosen.pk)
    messages.success(request, _("%(n)s attendance records imported.") % {"n": done})
    return redirect("promotions:training_session", chosen.pk)


def _keep(request: HttpRequest, session: TrainingSession, preview: imports.AttendancePreview) -> str | None:
    """Keep a clean preview's rows in the session for the confirm; return the token the confirm must bring."""
    request.session.pop(PENDING, None)
    if preview.errors:
        return None
    token = secrets.token_urlsafe(16)  # the confirm of an older preview (another tab) must not write this one
    request.session[PENDING] = {"token": token, "session": session.pk, "columns": preview.columns,
                                "lines": preview.lines_json()}
    return token


@access.page_for(access.may_keep_training_records)
def attendance_template(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = selectors.session_for(pk)
    audit.access_event(audit.EXPORT, request=request, detail=f"attendance template: {chosen.title} {chosen.held_on}")
    response = HttpResponse(imports.attendance_template(chosen),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="attendance-{chosen.held_on}-{chosen.pk}.xlsx"'
    return response


@access.page_for(access.may_keep_training_records)
def person(request: HttpRequest) -> HttpResponse:
    raw, today = request.GET.get("employee", ""), clock.today()
    found = access.get_employee(access.principal(request), raw) if raw else None
    return render(request, "promotions/training_person.html", {
        "people": selectors.people_for_training(), "today": today,
        "training": selectors.training_of(found, today) if found else None,
    })


urlpatterns = [
    path("training/", session_list, name="training"),
    path("training/new/", session_new, name="training_new"),
    path("training/people/", person, name="training_person"),
    path("training/<int:pk>/", session, name="training_session"),
    path("training/<int:pk>/attendance/", attendance_add, name="attendance_add"),
    path("training/<int:pk>/import/", attendance_import, name="attendance_import"),
    path("training/<int:pk>/import/confirm/", attendance_import_confirm, name="attendance_import_confirm"),
    path("training/<int:pk>/import/template/", attendance_template, name="attendance_template"),
]
