"""HR's candidates page (HR's start page): eligible now, within a horizon, and on request the rest with reasons;
the manager reserve pool and its rule; contracts ending; vacancies with their internal candidates; filter, sort,
export to XLSX (a sheet per section)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access, clock
from teams.errors import DomainError

from ..forms.pool import PoolRuleForm
from ..models import Ladder
from ..selectors import candidates as selectors
from ..selectors.pool import rule_version
from ..selectors.sections import candidates_page
from ..services.pool import reserve_pool_rule_set
from . import exports

PAGE_SIZE = 50  # pool members and contracts per page


def _filters(request: HttpRequest) -> selectors.Filters:
    raw = request.GET
    horizon = raw.get("horizon", "3")
    team = raw.get("team", "")
    return selectors.Filters(
        horizon_months=int(horizon) if horizon.isdigit() and int(horizon) <= 24 else 3,
        with_not_eligible=raw.get("all") == "1", team_id=int(team) if team.isdigit() and len(team) < 10 else None,
        ladder=raw.get("ladder", "")[:20], position=raw.get("position", "")[:30],
        sort=raw.get("sort") if raw.get("sort") in selectors.SORTS else "eligible_from")


@access.page_for(access.may_see_candidates)
def candidates(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _page(request: HttpRequest, rule_form: PoolRuleForm | None = None) -> HttpResponse:
    p, today = access.principal(request), clock.today()
    filters = _filters(request)
    page = candidates_page(p, today, filters)
    if request.GET.get("format") == "xlsx":
        return exports.candidates_xlsx(page)
    rule = page.pool.rule
    if rule_form is None and access.may_manage_promotion_paths(p):
        rule_form = PoolRuleForm(initial={"excellent_in": rule.excellent_in, "cycles": rule.cycles,
                                          "version": rule_version(rule)})
    return render(request, "promotions/candidates.html", {
        "page": page, "rows": page.rows, "filters": filters, "today": today, "sorts": selectors.SORTS,
        "teams": access.visible_teams(p).order_by("name"), "ladders": Ladder.objects.all(),
        "pool": page.pool, "pool_page": Paginator(page.pool_shown, PAGE_SIZE).get_page(request.GET.get("pool_page")),
        "contracts": Paginator(page.contracts, PAGE_SIZE).get_page(request.GET.get("contracts_page")),
        "vacancies": page.vacancies, "rule_form": rule_form, "may_nominate": access.may_nominate(p),
    })


@require_POST
@access.page_for(access.may_manage_promotion_paths)
def pool_rule(request: HttpRequest) -> HttpResponse:
    """HR saves the pool's rule; a refusal comes back on its field with the page as it is."""
    form = PoolRuleForm(request.POST)
    if form.is_valid():
        try:
            reserve_pool_rule_set(by=request.user, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("The reserve pool's rule is saved."))
            return redirect(reverse("promotions:candidates") + "#pool")
    return _page(request, rule_form=form)


urlpatterns = [
    path("candidates/", candidates, name="candidates"),
    path("candidates/pool-rule/", pool_rule, name="pool_rule"),
]
