"""The weekly work bulletins' pages: a team's bulletin of a week (its manager writes it beside the week's figures;
once the month is closed, read-only with an annotation form), the director's page of a week (every team, the
ones without a bulletin first, a reply form under each bulletin), the reply and annotation posts, and a rep's
line on their own week. A refused post shows the page again with the refusal on its form, never a 500."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpis.views.grid import monday_from_url
from targets.calculations import week_monday
from teams import access, clock, inputs
from teams.errors import DomainError

from ..forms.bulletins import BulletinForm, CommentForm, WeekLineForm, WeekPickForm
from ..selectors import bulletins as selectors
from ..services import bulletins as services


def _weeks_around(monday: date) -> dict:
    """Return the previous and next weeks' Mondays (no next week after the current one)."""
    this_week = week_monday(clock.today())
    return {"previous": monday - timedelta(weeks=1),
            "next": monday + timedelta(weeks=1) if monday < this_week else None}


# --- the director's week ---------------------------------------------------------------------------------------

@access.page_for(access.may_read_all_bulletins)
def bulletins(request: HttpRequest) -> HttpResponse:
    """Send the week picker (any day of a week) to that week's page; without one, to the last completed week."""
    form = WeekPickForm(request.GET or None)
    day = form.cleaned_data["week"] if form.is_valid() else selectors.last_completed_week(clock.today())
    return redirect("rewards:bulletins_week", week_monday(inputs.served_day(day)).isoformat())


def _week_page(request: HttpRequest, monday: date, failed: tuple[int, CommentForm] | None = None) -> HttpResponse:
    p = access.principal(request)
    board = selectors.week_bulletins(p, monday)
    may_reply = access.may_reply_to_bulletins(p)
    forms = {row.bulletin.pk: CommentForm(auto_id=f"reply-{row.bulletin.pk}-%s")
             for row in board.rows if may_reply and row.bulletin}
    if failed:
        forms[failed[0]] = failed[1]
    return render(request, "rewards/bulletins_week.html", {
        "board": board, "rows": [(row, forms.get(row.bulletin.pk) if row.bulletin else None) for row in board.rows],
        "picker": WeekPickForm(initial={"week": monday}), **_weeks_around(monday)})


@access.page_for(access.may_read_all_bulletins)
def bulletins_week(request: HttpRequest, week: str) -> HttpResponse:
    return _week_page(request, monday_from_url(week))


@require_POST
@access.page_for(access.may_reply_to_bulletins)
def bulletin_reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.bulletin_for(access.principal(request), pk)
    form = CommentForm(request.POST, auto_id=f"reply-{found.pk}-%s")
    if form.is_valid():
        try:
            services.bulletin_reply(bulletin_id=found.pk, text=form.cleaned_data["text"], by=request.user)
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Your reply is under %(team)s's bulletin.") % {"team": found.team.name})
            return redirect(reverse("rewards:bulletins_week", args=[found.week.isoformat()])
                            + f"#bulletin-{found.pk}")
    return _week_page(request, found.week, failed=(found.pk, form))


# --- a team's bulletin -----------------------------------------------------------------------------------------

def _team_page(request: HttpRequest, team, monday: date, *, form: BulletinForm | None = None,
               annotate: CommentForm | None = None, conflict: bool = False) -> HttpResponse:
    p = access.principal(request)
    week = selectors.team_week(p, team, monday)
    bulletin = week.bulletin
    if form is None and access.may_write_bulletin(p, team) and not week.locked:
        form = BulletinForm(initial={"went_well": bulletin.went_well, "hard": bulletin.hard,
                                     "help_needed": bulletin.help_needed, "version": bulletin.version}
                            if bulletin else None)
    if annotate is None and bulletin and week.locked and access.may_annotate_bulletin(p, team):
        annotate = CommentForm(auto_id="annotate-%s")
    return render(request, "rewards/bulletin_edit.html", {
        "week": week, "bulletin": bulletin, "form": form, "annotate": annotate, "conflict": conflict,
        "may_read_all": access.may_read_all_bulletins(p), **_weeks_around(monday)})


@access.page_for(access.may_read_bulletins)
def bulletin_edit(request: HttpRequest, team_pk: int, week: str) -> HttpResponse:
    monday = monday_from_url(week)
    p = access.principal(request)
    team = access.get_team(p, team_pk)
    if request.method != "POST":
        return _team_page(request, team, monday)
    if not access.may_write_bulletin(p, team):
        raise PermissionDenied
    form = BulletinForm(request.POST)
    if form.is_valid():
        try:
            services.bulletin_save(team=team, week=monday, by=request.user, **form.arguments())
        except DomainError as error:
            if error.field == "week":  # the month was closed meanwhile: the page turns read-only, to annotate
                messages.error(request, error.message)
                return _team_page(request, team, monday)
            conflict = error.field == "version"
            if conflict:  # keep what they typed, against the version saved now: saving again is their choice
                data = request.POST.copy()
                saved = selectors.team_week(p, team, monday).bulletin
                data["version"] = str(saved.version) if saved else ""
                form = BulletinForm(data)
                form.is_valid()
            form.show(error)
            return _team_page(request, team, monday, form=form, conflict=conflict)
        messages.success(request, _("The week's bulletin is saved."))
        return redirect("rewards:bulletin_edit", team.pk, monday.isoformat())
    return _team_page(request, team, monday, form=form)


@require_POST
@access.page_for(access.may_read_bulletins)
def bulletin_annotate(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.principal(request)
    found = selectors.bulletin_for(p, pk)
    if not access.may_annotate_bulletin(p, found.team_id):
        raise PermissionDenied
    form = CommentForm(request.POST, auto_id="annotate-%s")
    if form.is_valid():
        try:
            services.bulletin_annotate(bulletin_id=found.pk, text=form.cleaned_data["text"], by=request.user)
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Your annotation is under the bulletin."))
            return redirect("rewards:bulletin_edit", found.team_id, found.week.isoformat())
    return _team_page(request, found.team, found.week, annotate=form)


# --- a rep's own week ------------------------------------------------------------------------------------------

@access.page_for(access.may_write_week_lines)
def rep_week_line(request: HttpRequest, week: str) -> HttpResponse:
    monday = monday_from_url(week)
    p = access.principal(request)
    line = selectors.own_line(p, monday)
    if request.method == "POST":
        form = WeekLineForm(request.POST)
        if form.is_valid():
            try:
                services.rep_week_line_save(employee=p.employee_id, week=monday, by=request.user,
                                            text=form.cleaned_data["text"], version=form.cleaned_data["version"])
            except DomainError as error:
                form.show(error)
            else:
                messages.success(request, _("Your line on the week is saved; your manager sees it."))
                return redirect("rewards:rep_week_line", monday.isoformat())
    else:
        form = WeekLineForm(initial={"text": line.text, "version": line.version} if line else None)
    return render(request, "rewards/bulletin_line.html", {
        "week": monday, "sunday": monday + timedelta(days=6), "line": line, "form": form,
        **_weeks_around(monday)})


urlpatterns = [
    path("bulletins/", bulletins, name="bulletins"),
    path("bulletins/week/<str:week>/", bulletins_week, name="bulletins_week"),
    path("bulletins/teams/<int:team_pk>/<str:week>/", bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/reply/", bulletin_reply, name="bulletin_reply"),
    path("bulletins/<int:pk>/annotate/", bulletin_annotate, name="bulletin_annotate"),
    path("bulletins/mine/<str:week>/", rep_week_line, name="rep_week_line"),
]
