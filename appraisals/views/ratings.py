"""The ratings of a cycle by team: how many of each level every team's rater gave, so a lenient one shows."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from teams import access

from ..selectors import pages


@access.page_for(access.sees_all_sales)
def ratings(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    cycles = list(pages.cycles(p))
    raw = request.GET.get("cycle", "")
    # by default the newest cycle with published results: an open cycle's few ratings say little yet
    newest = next((c for c in cycles if c.published), cycles[0] if cycles else None)
    chosen = pages.cycle(raw) if raw.isdigit() else newest
    labels = pages.rating_labels()
    return render(request, "appraisals/ratings.html", {
        "cycle": chosen, "cycles": cycles,
        "levels": [(level, labels[level]) for level in pages.LEVELS_BEST_FIRST],
        "teams": pages.rating_distribution(p, chosen) if chosen else [],
    })


urlpatterns = [path("ratings/", ratings, name="ratings")]
