"""The page where a user makes, lists and revokes their own API tokens (linked from their profile)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access
from teams.errors import DomainError

from . import selectors, services
from .forms import TokenForm


@access.page_for(access.may_manage_own_tokens)
def tokens(request: HttpRequest) -> HttpResponse:
    form, created = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(user=request.user, name=form.cleaned_data["name"],
                                            expires_at=form.expires_at(), request=request)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            form = TokenForm()
    response = render(request, "teams/tokens.html", {
        "form": form, "created": created, "tokens": selectors.tokens_for(access.principal(request)),
    })
    if created:
        response["Cache-Control"] = "no-store"  # the only page that ever shows the key: keep it out of caches
    return response


@require_POST
@access.page_for(access.may_manage_own_tokens)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = access.get_own_token(access.principal(request), pk)
    if services.token_revoke(token=token, by=request.user, request=request):
        messages.success(request, _("The token “%(name)s” is revoked: it no longer signs anyone in.")
                         % {"name": token.name})
    return redirect("teams:tokens")
