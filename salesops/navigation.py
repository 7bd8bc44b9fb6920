"""Where each role starts and which links its header shows. It wires the apps' pages together (so it lives
in salesops, above them); every decision comes from teams/access.py, asked of the request's principal."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from rewards.selectors import board
from rewards.selectors import records as record_selectors
from teams import access, clock
from teams.access import Principal


def start_page(p: Principal) -> str:
    """Return the URL of the principal's start page."""
    kind = access.start_page_kind(p)
    if kind == "admin":
        return reverse("admin:index")
    if kind == "candidates":
        return reverse("promotions:candidates")
    if kind == "sales":
        return reverse("dashboards:director")
    if kind == "team":
        return reverse("dashboards:team", args=[access.managed_team_ids(p)[0]])
    return reverse("dashboards:mine")


def links(p: Principal) -> list[tuple[str, str]]:
    """Return (label, url) pairs for the header's navigation (no query: the principal holds all it needs)."""
    if not p.is_authenticated:
        return []
    items = []
    if access.sees_all_sales(p):
        items += [(_("Dashboard"), reverse("dashboards:director")), (_("Plans"), reverse("targets:plans")),
                  (_("Rankings"), reverse("dashboards:rankings")), (_("Month close"), reverse("kpis:months")),
                  (_("Weekly bulletins"), reverse("rewards:bulletins"))]
    this_week = clock.today() - timedelta(days=clock.today().weekday())
    for team_id in access.managed_team_ids(p):
        items += [(_("My team"), reverse("dashboards:team", args=[team_id])),
                  (_("Weekly figures"), reverse("kpis:weeks", args=[team_id])),
                  (_("Weekly bulletin"), reverse("rewards:bulletin_edit", args=[team_id, f"{this_week:%Y-%m-%d}"])),
                  (_("Team targets"), reverse("targets:team", args=[team_id]))]
    if access.may_see_candidates(p):
        items.append((_("Promotion candidates"), reverse("promotions:candidates")))
    if access.may_see_promotion_paths(p):
        items.append((_("Promotion paths"), reverse("promotions:paths")))
    if access.may_keep_training_records(p):
        items.append((_("Training"), reverse("promotions:training")))
    if access.may_run_appraisals(p):
        items.append((_("Appraisals"), reverse("appraisals:cycles")))
    if access.sees_all_sales(p):
        items.append((_("Ratings by team"), reverse("appraisals:ratings")))
    if access.may_enter_figures(p):
        items.append((_("Import"), reverse("kpis:import")))
    if access.may_view_organisation(p):
        items += [(_("Export"), reverse("kpis:export")), (_("Organisation"), reverse("teams:organisation")),
                  (_("People"), reverse("teams:people"))]
    if access.has_own_page(p):
        items.append((_("My targets"), reverse("dashboards:mine")))
    if not access.sees_all_sales(p):  # the director, the GM and HR reach them from the rankings page
        items.append((_("Published rankings"), reverse("rewards:rankings")))
    if not access.may_run_appraisals(p) and (access.has_profile(p) or access.sees_all_sales(p)):
        items.append((_("Appraisals"), reverse("appraisals:list")))  # HR's link is to the cycles, above
    if access.may_list_records(p):
        items.append((_("Rewards and penalties"), reverse("rewards:records")))  # the register (奖惩登记)
    if access.has_profile(p):
        items.append((_("My profile"), reverse("teams:me")))
    if access.may_see_rollup_status(p):
        items.append((_("Rollup status"), reverse("kpis:rollups")))
    if access.may_open_admin(p):
        items.append((_("Admin"), reverse("admin:index")))
    return items


def navigation_links(request: HttpRequest) -> dict:
    """Context processor: the request's principal and the role's navigation in every template; the header's
    unread notices and the start pages' notice card as callables, so only a page that shows them queries."""
    p = access.principal(request)
    return {"principal": p, "nav_links": links(p),
            "unread_notices": lambda: board.unread_count(p, clock.today()),
            "notice_card": lambda: board.card(p, clock.today()),
            # the start pages' count of records waiting for the viewer
            "records_waiting": lambda: record_selectors.waiting_count(p)}


@access.page_for(access.any_role)
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its start page."""
    return redirect(start_page(access.principal(request)))


class FaviconRedirect(RedirectView):
    """To the static icon, its URL looked up per request (a manifest storage knows it only after collectstatic)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("img/favicon.svg")
