"""Where each role starts and which links its header shows. It wires the apps' pages together (so it lives
in salesops, above them); every decision comes from teams/access.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from teams import access
from teams.models import Role, User


def start_page(user: User) -> str:
    """Return the URL of the user's start page."""
    role = access.role_of(user)
    if role == Role.ADMIN:
        return reverse("admin:index")
    if access.sees_all_sales(user):
        return reverse("dashboards:director")
    team = access.managed_teams(user).first()
    if team is not None:
        return reverse("dashboards:team", args=[team.pk])
    return reverse("dashboards:mine")


def links(user: User) -> list[tuple[str, str]]:
    """Return (label, url) pairs for the header's navigation."""
    if not user.is_authenticated:
        return []
    items = []
    if access.sees_all_sales(user):
        items += [(_("Dashboard"), reverse("dashboards:director")), (_("Plans"), reverse("targets:plans")),
                  (_("Rankings"), reverse("dashboards:rankings")), (_("Month close"), reverse("kpis:months"))]
    for team in access.managed_teams(user):
        items += [(_("My team"), reverse("dashboards:team", args=[team.pk])),
                  (_("Weekly figures"), reverse("kpis:weeks", args=[team.pk])),
                  (_("Team targets"), reverse("targets:team", args=[team.pk]))]
    if access.may_enter_figures(user):
        items.append((_("Import"), reverse("kpis:import")))
    if access.may_view_organisation(user):
        items += [(_("Export"), reverse("kpis:export")), (_("Organisation"), reverse("teams:organisation")),
                  (_("People"), reverse("teams:people"))]
    if access.role_of(user) == Role.REP:
        items.append((_("My targets"), reverse("dashboards:mine")))
    if hasattr(user, "employee"):
        items.append((_("My profile"), reverse("teams:me")))
    if access.role_of(user) == Role.ADMIN or user.is_staff:
        items.append((_("Admin"), reverse("admin:index")))
    return items


def navigation_links(request: HttpRequest) -> dict:
    """Context processor: the role's navigation in every template."""
    return {"nav_links": links(request.user) if hasattr(request, "user") else []}


@access.page_for(access.any_role)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its start page."""
    return redirect(start_page(request.user))
