"""The notice board: every role's list (pinned first, then newest, read or unread), one notice (opening it marks
it read), mark all read; the director's and HR's announcement form, their acts on a notice and the list of the
withdrawn and expired notices."""

from contextlib import suppress

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from teams import access, clock
from teams.errors import DomainError

from ..forms.board import NoticeActForm, NoticeForm
from ..models import NoticeKind
from ..selectors import board as selectors
from ..services import notices as services

PAGE_SIZE = 20


@access.page_for(access.any_role)
def board(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    show_gone = request.GET.get("show") == "gone" and access.may_write_notices(p)
    rows = selectors.board(p, clock.today(), show_gone=show_gone)
    return render(request, "rewards/board.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "show_gone": show_gone,
        "may_write": access.may_write_notices(p)})


def _acts(p, notice) -> list[str]:
    """Return the acts the principal may make on the notice, as its page offers them."""
    if not access.may_write_notices(p) or notice.withdrawn_at is not None:
        return []
    acts = ["unpin" if notice.pinned else "pin"]
    return [*acts, "withdraw"] if notice.kind == NoticeKind.ANNOUNCEMENT else acts


@access.page_for(access.any_role)
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.principal(request)
    found = selectors.notice_for(p, pk, clock.today())
    if not found.is_read and found.withdrawn_at is None:
        with suppress(DomainError):  # expired since it was loaded: nothing to mark
            services.notice_read_mark(user=request.user, notice_id=found.pk)
    return render(request, "rewards/board_notice.html", {
        "notice": found, "acts": _acts(p, found), "labels": ACT_LABELS})


ACT_LABELS = {"pin": gettext_lazy("Pin"), "unpin": gettext_lazy("Unpin"), "withdraw": gettext_lazy("Withdraw")}


@require_POST
@access.page_for(access.any_role)
def notice_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.notices_read_all(user=request.user)
    messages.success(request, ngettext("Marked %(n)s notice as read.", "Marked %(n)s notices as read.", marked)
                     % {"n": marked})
    return redirect("rewards:board")


@access.page_for(access.may_write_notices)
def notice_new(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.notice_publish(by=request.user, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("The notice is on the board."))
            return redirect("rewards:notice", made.pk)
    return render(request, "rewards/board_new.html", {"form": form})


@require_POST
@access.page_for(access.may_write_notices)
def notice_act(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.principal(request)
    found = selectors.notice_for(p, pk, clock.today())
    form = NoticeActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the notice and try again."))
        return redirect("rewards:notice", found.pk)
    action, version = form.cleaned_data["action"], form.cleaned_data["version"]
    try:
        if action == "withdraw":
            services.notice_withdraw(notice_id=found.pk, version=version, by=request.user)
        else:
            services.notice_change(notice_id=found.pk, version=version, by=request.user, pinned=action == "pin")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(act)s.") % {"act": ACT_LABELS[action]})
    return redirect("rewards:notice", found.pk)


urlpatterns = [
    path("board/", board, name="board"),
    path("board/new/", notice_new, name="notice_new"),
    path("board/read-all/", notice_read_all, name="notice_read_all"),
    path("board/<int:pk>/", notice, name="notice"),
    path("board/<int:pk>/act/", notice_act, name="notice_act"),
]
