"""Plan and target pages: parse, authorise through teams.access, call one service or selector, render."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import access, clock
from teams.errors import DomainError

from . import selectors, services
from .calculations import month_span
from .forms import DraftForm, PlanForm, ProposalForm, WeightsForm
from .models import PlanMonth, PlanYear
from .seasons.selectors import PlanDraft, next_plan_draft
from .working_calendar import selectors as calendar_selectors


@access.page_for(access.may_view_plan)
def plans(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/plans.html", {
        "plans": [selectors.plan_overview(p) for p in selectors.plans()],
        "may_edit": access.may_edit_plan(access.principal(request)),
    })


@access.page_for(access.may_view_plan)
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.principal(request)
    plan = get_object_or_404(selectors.plans(), pk=pk)
    plan_month = _plan_month(plan, request.GET.get("month"))
    return render(request, "targets/plan.html", {
        "plan_month": plan_month, "months": plan.months.order_by("month"),
        "weeks": selectors.plan_month_weeks(plan_month),
        "overview": selectors.plan_overview(plan), "split": selectors.team_split(p, plan),
        "revisions": selectors.revisions(plan)[:50], "history": selectors.approval_history(plan),
        "may_edit": access.may_edit_plan(p), "may_approve": access.may_approve_plan(p),
        "beyond_calendar": _beyond_calendar(plan),
    })


def _beyond_calendar(plan: PlanYear) -> list[str]:
    months = calendar_selectors.months_beyond_calendar(plan.months.order_by("month").values_list("month", flat=True))
    return [f"{m:%Y-%m}" for m in months]


@access.page_for(access.may_view_plan)
def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/calendar.html", {
        "years": calendar_selectors.calendar_overview(),
        "may_change": access.may_change_calendar(request.user),
    })


@access.page_for(access.may_edit_plan)
def plan_new(request: HttpRequest) -> HttpResponse:
    draft_form = DraftForm(request.GET if "source" in request.GET else None,
                           initial={"source": selectors.current_plan(clock.today())})
    draft = _draft(draft_form)
    form = PlanForm(request.POST or None, initial={
        "name": draft.name, "first_month": f"{draft.first_month:%Y-%m}"} if draft else None)
    if draft and not form.is_bound:
        form.targets = [m.deposit_target for m in draft.months]
        form.phase_rows = draft.phases
    if request.method == "POST" and form.is_valid():
        try:
            created = services.plan_create(name=form.cleaned_data["name"], first_month=form.cleaned_data["first_month"],
                                           phases=form.phases(), month_targets=form.targets, by=request.user)
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Plan created as a draft."))
            if beyond := _beyond_calendar(created):
                messages.warning(request, _("No statutory holidays are known for %(months)s.") % {
                    "months": ", ".join(beyond)})
            return redirect("targets:plan", created.pk)
    return render(request, "targets/plan_form.html", {"form": form, "plan": None, "draft_form": draft_form,
                                                      "draft": draft})


def _draft(form: DraftForm) -> PlanDraft | None:
    """Return next year's draft the "from last year" form asks for, or None (its errors are on the form)."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return next_plan_draft(form.cleaned_data["source"], total=form.cleaned_data["total"],
                               growth=form.cleaned_data["growth"], as_of=clock.today())
    except DomainError as error:
        form.show(error)
        return None


@access.page_for(access.may_edit_plan)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(PlanYear, pk=pk)
    overview = selectors.plan_overview(plan)
    form = PlanForm(request.POST or None, initial={"name": plan.name, "first_month": f"{plan.first_month:%Y-%m}",
                                                   "version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.plan_update(plan=plan, version=form.cleaned_data["version"] or 0, phases=form.phases(),
                                         month_targets=form.targets, by=request.user,
                                         reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.show(error)
        else:
            if saved.version == form.cleaned_data["version"]:
                messages.info(request, _("You changed nothing, so nothing was saved."))
            else:
                messages.success(request, _("Plan saved."))
            return redirect("targets:plan", plan.pk)
    if not form.is_bound:
        form.targets = [m.deposit_target for m in overview.months]
        form.phase_rows = [(p.phase.name, len(p.months)) for p in overview.phases]
    return render(request, "targets/plan_form.html", {"form": form, "plan": plan})


@require_POST
@access.page_for(access.may_approve_plan)
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(PlanYear, pk=pk)
    try:
        services.plan_approve(plan=plan, version=int(request.POST.get("version", 0)), by=request.user,
                              without_calendar=request.POST.get("without_calendar") == "1")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Plan approved and split to teams, reps and weeks."))
    return redirect("targets:plan", plan.pk)


def _plan_month(plan: PlanYear, raw: str | None) -> PlanMonth:
    months = list(plan.months.select_related("phase").order_by("month"))
    if not months:
        raise Http404
    chosen = next((m for m in months if str(m.pk) == raw), None)
    return chosen or selectors.plan_month_of(plan, clock.today()) or months[0]


@access.page_for(access.may_edit_plan)
def allocation(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(PlanYear, pk=pk)
    plan_month = _plan_month(plan, request.GET.get("month") or request.POST.get("month"))
    rows = selectors.team_weight_rows(plan_month)
    form = WeightsForm(request.POST or None, keys=[r.team.pk for r in rows])
    if request.method == "POST":
        try:
            services.team_weights_set(plan_month=plan_month, weights=form.weights(), by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Team weights saved and the month split again."))
            return redirect(f"{request.path}?month={plan_month.pk}")
    return render(request, "targets/allocation.html", {
        "plan": plan, "plan_month": plan_month, "months": plan.months.order_by("month"), "rows": rows,
        "form": form,
    })


@access.page_for(access.may_view_plan)
def reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    p = access.principal(request)
    plan = get_object_or_404(PlanYear, pk=pk)
    if request.method == "POST":
        plan_month = get_object_or_404(PlanMonth, plan=plan, pk=request.POST.get("month"))
        try:
            decided = services.proposals_decide(plan_month=plan_month, accept=request.POST.get("accept") == "1",
                                                by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s proposals decided.") % {"n": decided})
        return redirect("targets:reconcile", plan.pk)
    return render(request, "targets/reconcile.html", {
        "plan": plan, "months": selectors.reconciliation(p, plan), "may_decide": access.may_edit_plan(p),
    })


@access.page_for(access.may_view_organisation)
def team_targets(request: HttpRequest, team_pk: int) -> HttpResponse:
    p = access.principal(request)
    team = access.get_team(p, team_pk, write=request.method == "POST")
    plan = _chosen_plan(request)
    if plan is None or not plan.months.exists():
        return _no_plan(request)
    plan_month = _plan_month(plan, request.GET.get("month") or request.POST.get("month"))
    may_change = access.may_change_team(p, team)
    # read once: a refused POST changed nothing, so the same split is shown again
    week_split = selectors.rep_week_split(p, plan_month, team)
    weights_form = WeightsForm(request.POST if "weights" in request.POST else None,
                               keys=[r.pk for r in week_split.rows])
    proposal_form = ProposalForm(request.POST if "propose" in request.POST else None)
    if request.method == "POST":
        try:
            if "weights" in request.POST:
                services.rep_weights_set(plan_month=plan_month, team=team, weights=weights_form.weights(),
                                         by=request.user)
            elif not proposal_form.is_valid():
                # A blank or bad proposal saves nothing, and the page says so on its field.
                raise DomainError(_("Nothing was saved: %(errors)s") % {"errors": " ".join(
                    str(e) for errors in proposal_form.errors.values() for e in errors)})
            else:
                services.proposal_submit(plan_month=plan_month, team=team, by=request.user,
                                         proposed_target=proposal_form.cleaned_data["proposed_target"],
                                         note=proposal_form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?plan={plan.pk}&month={plan_month.pk}")
    ramps = {w.employee_id: w.weight for w in plan_month.rep_weights.filter(team=team)}
    return render(request, "targets/team.html", {
        "team": team, "plan": plan, "plan_month": plan_month, "months": plan.months.order_by("month"),
        "month_end": month_span(plan_month.month.year, plan_month.month.month)[1],
        "rep_split": selectors.rep_split(p, plan, team), "week_split": week_split,
        "ramps": [(rep, ramps.get(rep.pk)) for rep in week_split.rows],
        "proposals": selectors.proposal_history(plan, team), "may_change": may_change,
        "year_plans": selectors.plans(),
        "proposal_form": proposal_form,
    })


def _chosen_plan(request: HttpRequest) -> PlanYear | None:
    return selectors.plan_chosen(request.GET.get("plan") or request.POST.get("plan"), clock.today())


def _no_plan(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/no_plan.html", {"may_edit": access.may_edit_plan(access.principal(request))})

