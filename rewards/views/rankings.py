"""The published rankings: the list and one period's frozen rows for every role (a rep's own row marked), and
the director's publish and withdraw (the form is on the dashboards' rankings page)."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access
from teams.errors import DomainError

from ..forms.board import RankingPublishForm, RankingWithdrawForm
from ..models import PublishedRanking
from ..selectors import rankings as selectors
from ..services import rankings as services


@access.page_for(access.any_role)
def rankings(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    return render(request, "rewards/rankings.html", {"rankings": list(selectors.rankings_for(p)),
                                                     "may_publish": access.may_publish_rankings(p)})


def _first(year: int, month: int) -> date:
    try:
        return date(year, month, 1)
    except ValueError:
        raise Http404 from None


@access.page_for(access.any_role)
def ranking(request: HttpRequest, period: str, year: int, month: int) -> HttpResponse:
    p = access.principal(request)
    page = selectors.ranking_for(p, period, _first(year, month))
    return render(request, "rewards/ranking.html", {
        "page": page, "may_publish": access.may_publish_rankings(p),
        "withdraw_form": RankingWithdrawForm(initial={"version": page.ranking.version})})


def ranking_url(ranking: PublishedRanking) -> str:
    """Return the address of a published ranking's page."""
    first = ranking.first_month
    return reverse("rewards:ranking", args=[ranking.period, first.year, first.month])


@require_POST
@access.page_for(access.may_publish_rankings)
def ranking_publish(request: HttpRequest) -> HttpResponse:
    form = RankingPublishForm(request.POST)
    back = reverse("dashboards:rankings")
    if not form.is_valid():
        messages.error(request, _("Choose the month or phase to publish."))
        return redirect(back)
    back += f"?period={form.cleaned_data['period']}&first={form.cleaned_data['first_month']:%Y-%m-%d}"
    try:
        published = services.ranking_publish(by=request.user, **form.arguments())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("The ranking is published; everyone sees it on the board."))
    return redirect(ranking_url(published))


@require_POST
@access.page_for(access.may_publish_rankings)
def ranking_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.ranking_to_act_on(access.principal(request), pk)
    form = RankingWithdrawForm(request.POST)
    try:
        services.ranking_withdraw(ranking_id=found.pk, by=request.user,
                                  version=form.cleaned_data["version"] if form.is_valid() else None)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The ranking is withdrawn: only the director and HR see it now."))
    return redirect(ranking_url(found))


urlpatterns = [
    path("rankings/", rankings, name="rankings"),
    path("rankings/publish/", ranking_publish, name="ranking_publish"),
    path("rankings/<int:pk>/withdraw/", ranking_withdraw, name="ranking_withdraw"),
    path("rankings/<slug:period>/<int:year>/<int:month>/", ranking, name="ranking"),
]
