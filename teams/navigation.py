"""Where each role starts, and which links its header shows. Reads access.py, adds no rules."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Role, User


def start_page(user: User) -> str:
    """Return the URL of the user's start page."""
    role = access.role_of(user)
    if role == Role.ADMIN:
        return reverse("admin:index")
    if role == Role.REP:
        return reverse("kpis:mine")
    team = access.managed_teams(user).first()
    if role == Role.MANAGER and team:
        return reverse("teams:team", args=[team.pk])
    if access.may_view_organisation(user):
        return reverse("teams:organisation")
    return reverse("teams:me")


def links(user: User) -> list[tuple[str, str]]:
    """Return (label, url) pairs for the header's navigation."""
    if not user.is_authenticated:
        return []
    items = []
    if access.may_view_plan(user):
        items.append((_("Plans"), reverse("targets:plans")))
    if access.may_view_organisation(user):
        items += [(_("Organisation"), reverse("teams:organisation")), (_("People"), reverse("teams:people"))]
    for team in access.managed_teams(user):
        items.append((_("My team"), reverse("teams:team", args=[team.pk])))
        items.append((_("Team targets"), reverse("targets:team", args=[team.pk])))
    if access.role_of(user) == Role.REP:
        items.append((_("My targets"), reverse("kpis:mine")))
    if hasattr(user, "employee"):
        items.append((_("My profile"), reverse("teams:me")))
    if access.role_of(user) == Role.ADMIN or user.is_staff:
        items.append((_("Admin"), reverse("admin:index")))
    return items
