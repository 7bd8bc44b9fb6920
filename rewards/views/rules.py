"""The reward rules: the director's list and form (HR and the general manager read them), the default set, and a
button that runs the rules for a closed month now; the latest runs say what each proposed or why it waits."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpis.models import MonthClose
from teams import access
from teams.errors import DomainError

from ..forms.rules import RuleForm, RulesRunForm
from ..models import Rule
from ..selectors import rules as selectors
from ..services import rules as services
from ..services.runs import rules_run_now


@access.page_for(access.may_see_rules)
def rules(request: HttpRequest) -> HttpResponse:
    p = access.principal(request)
    last_closed = MonthClose.objects.filter(closed=True).order_by("-month").values_list("month", flat=True).first()
    return render(request, "rewards/rules.html", {
        "rules": selectors.rules(), "runs": selectors.latest_runs(), "flagged": selectors.flagged_count(),
        "may_edit": access.may_edit_rules(p), "run_form": RulesRunForm(initial={"month": last_closed}),
        "defaults_missing": len(services.DEFAULT_RULES) > Rule.objects.filter(
            code__in=[d["code"] for d in services.DEFAULT_RULES]).count()})


@access.page_for(access.may_edit_rules)
def rule_new(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.rule_save(by=request.user, code=form.cleaned_data["code"], **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("The rule “%(name)s” is saved.") % {"name": made.name})
            return redirect("rewards:rules")
    return render(request, "rewards/rule_form.html", {"form": form, "rule": None, "may_edit": True})


@access.page_for(access.may_see_rules)
def rule(request: HttpRequest, pk: int) -> HttpResponse:
    found = Rule.objects.select_related("changed_by__employee").filter(pk=pk).first()
    if found is None:
        raise Http404
    may_edit = access.may_edit_rules(access.principal(request))
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = RuleForm(request.POST or None, rule=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(by=request.user, rule_id=found.pk, version=form.cleaned_data["version"],
                               **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("The rule “%(name)s” is saved.") % {"name": found.name})
            return redirect("rewards:rules")
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "rewards/rule_form.html", {"form": form, "rule": found, "may_edit": may_edit})


@require_POST
@access.page_for(access.may_edit_rules)
def rules_defaults(request: HttpRequest) -> HttpResponse:
    made = services.default_rules_ensure(by=request.user)
    messages.success(request, _("%(n)s default rules added.") % {"n": made})
    return redirect("rewards:rules")


@require_POST
@access.page_for(access.may_edit_rules)
def rules_run(request: HttpRequest) -> HttpResponse:
    form = RulesRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a closed month (YYYY-MM)."))
        return redirect("rewards:rules")
    month = form.cleaned_data["month"].replace(day=1)
    try:
        outcome = rules_run_now(month=month, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The rules of %(month)s ran: %(proposed)s proposed, %(withdrawn)s withdrawn, "
                                    "%(flagged)s flagged for review.") % {
            "month": f"{month:%Y-%m}", "proposed": outcome.proposed, "withdrawn": outcome.withdrawn,
            "flagged": outcome.flagged})
    return redirect("rewards:rules")


urlpatterns = [
    path("rules/", rules, name="rules"),
    path("rules/new/", rule_new, name="rule_new"),
    path("rules/defaults/", rules_defaults, name="rules_defaults"),
    path("rules/run/", rules_run, name="rules_run"),
    path("rules/<int:pk>/", rule, name="rule"),
]
