"""The paths page: each ladder's positions in order, each step up with the requirement in force today and its
history; HR adds a step and a requirement from a date (rows are added, never edited). The director and the
general manager read it: they decide cases by these rules."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisals.selectors.pages import rating_labels
from teams import access, clock, inputs
from teams.errors import DomainError

from ..forms.paths import RequirementForm, StepForm
from ..selectors import paths as selectors
from ..services import paths as services


def _requirement_form(view: selectors.StepView, labels: dict[int, str], data=None) -> RequirementForm:
    """Return the step's form, prefilled from the row in force so HR changes only what changes."""
    now = view.in_force
    initial = {"months_in_position": now.months_in_position, "rating": now.rating, "rated_by": now.rated_by,
               "training_hours": inputs.plain(now.training_hours),
               "exam_score": "" if now.exam_score is None else inputs.plain(now.exam_score)} if now else {}
    return RequirementForm(data, labels=labels, initial=initial, prefix=f"step{view.step.pk}")


def _page(request: HttpRequest, *, step_form: StepForm | None = None,
          failed: tuple[int, RequirementForm] | None = None) -> HttpResponse:
    p, today, labels = access.principal(request), clock.today(), rating_labels()
    ladders = selectors.paths_on(today)
    may_edit = access.may_manage_promotion_paths(p)
    forms = {}
    if may_edit:
        forms = {v.step.pk: _requirement_form(v, labels) for ladder in ladders for v in ladder.steps}
        if failed:
            forms[failed[0]] = failed[1]
    return render(request, "promotions/paths.html", {
        "ladders": ladders, "today": today, "labels": labels, "may_edit": may_edit, "requirement_forms": forms,
        "step_form": (step_form or StepForm(prefix="new_step")) if may_edit else None,
        "failed_step": failed[0] if failed else None,
    })


@access.page_for(access.may_see_promotion_paths)
def paths(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@access.page_for(access.may_manage_promotion_paths)
def step_add(request: HttpRequest) -> HttpResponse:
    form = StepForm(request.POST, prefix="new_step")
    if form.is_valid():
        try:
            step = services.path_step_add(by=request.user, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("Step up: %(step)s. Add its requirement below.") % {"step": step})
            return redirect(f"{reverse('promotions:paths')}#step-{step.pk}")
    return _page(request, step_form=form)


@require_POST
@access.page_for(access.may_manage_promotion_paths)
def requirement_add(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.step_for(pk)
    form = RequirementForm(request.POST, labels=rating_labels(), prefix=f"step{step.pk}")
    if form.is_valid():
        try:
            services.requirement_add(step=step, by=request.user, **form.arguments())
        except DomainError as error:
            form.show(error)
        else:
            messages.success(request, _("%(step)s: the requirement from %(day)s is added.") % {
                "step": step, "day": form.cleaned_data["valid_from"].isoformat()})
            return redirect(f"{reverse('promotions:paths')}#step-{step.pk}")
    return _page(request, failed=(step.pk, form))


urlpatterns = [
    path("paths/", paths, name="paths"),
    path("paths/steps/", step_add, name="path_step_add"),
    path("paths/steps/<int:pk>/requirements/", requirement_add, name="requirement_add"),
]
