"""The nomination form and the form of each act on a case: what they ask, and their service's keyword arguments.

Forms parse; the services judge. Every act form carries the case's `version`; the service refuses a stale one.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.forms import ShowsErrors
from appraisals.models import Condition
from teams.models import Position, SalaryGrade

from ..models import CaseKind

SCORES = [("", "—"), *((n, str(n)) for n in range(5, 0, -1))]


def _text(label, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class NominateForm(ShowsErrors):
    aliases = {"source_appraisal": "appraisal"}

    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    to_position = forms.ModelChoiceField(label=_("Target position"), queryset=Position.objects.all(), required=False)
    to_grade = forms.ModelChoiceField(label=_("Target salary grade"), queryset=SalaryGrade.objects.all(),
                                      required=False)
    effective_on = forms.DateField(label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = _text(_("Why"))
    plan_text = _text(_("Development plan (the move or the training)"))
    review_on = forms.DateField(label=_("Review the plan on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(label=_("Team to lead (into the team-lead position)"), queryset=None,
                                  required=False)
    replaces_manager = forms.ModelChoiceField(label=_("Replaces the manager"), queryset=None, required=False)
    appraisal = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, employees, teams, managers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["team"].queryset = teams
        self.fields["replaces_manager"].queryset = managers

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {"employee_id": d["employee"].pk, "kind": d["kind"],
                "to_position_id": d["to_position"].pk if d["to_position"] else None,
                "to_grade_id": d["to_grade"].pk if d["to_grade"] else None, "effective_on": d["effective_on"],
                "reason": d["reason"], "plan_text": d["plan_text"], "review_on": d["review_on"],
                "source_appraisal_id": d["appraisal"], "team_id": d["team"].pk if d["team"] else None,
                "replaces_manager_id": d["replaces_manager"].pk if d["replaces_manager"] else None}


class ActForm(ShowsErrors):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def arguments(self) -> dict:
        return {"version": self.cleaned_data["version"]}


class ReasonAct(ActForm):
    reason = _text(_("Reason"))

    def arguments(self) -> dict:
        return {**super().arguments(), "reason": self.cleaned_data["reason"]}


class ReviewAct(ActForm):
    """HR's checklist (a score and a comment per condition), the early-promotion flag and a special reason."""

    groups = {"review": "score_"}
    blank_first = frozenset({"review"})

    early_recommended = forms.BooleanField(label=_("The department recommends early promotion out of probation"),
                                           required=False)
    special_reason = _text(_("Reason for special approval (when the rules are not met)"))
    comment = _text(_("Comment"))

    def __init__(self, *args, prefill=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for condition, label in Condition.choices:
            self.fields[f"score_{condition}"] = forms.TypedChoiceField(label=label, choices=SCORES, coerce=int)
            self.fields[f"comment_{condition}"] = forms.CharField(label=_("Comment"), required=False,
                                                                  max_length=2000)
        for item in prefill:
            self.initial.setdefault(f"score_{item.condition}", item.score)
            self.initial.setdefault(f"comment_{item.condition}", item.comment)

    def rows(self):
        return [(label, self[f"score_{c}"], self[f"comment_{c}"]) for c, label in Condition.choices]

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {**super().arguments(), "early_recommended": d["early_recommended"],
                "special_reason": d["special_reason"],
                "comment": d["comment"],
                "checklist": {c: {"score": d[f"score_{c}"], "comment": d[f"comment_{c}"]} for c in Condition.values}}


class NotImprovedAct(ReasonAct):
    follow_kind = forms.ChoiceField(label=_("Propose"), choices=[(CaseKind.DEMOTION, CaseKind.DEMOTION.label),
                                                                  (CaseKind.RELEASE, CaseKind.RELEASE.label)])
    to_position = forms.ModelChoiceField(label=_("Target position"), queryset=Position.objects.all(), required=False)
    to_grade = forms.ModelChoiceField(label=_("Target salary grade"), queryset=SalaryGrade.objects.all(),
                                      required=False)
    effective_on = forms.DateField(label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"}))

    def arguments(self) -> dict:
        d = self.cleaned_data
        return {**super().arguments(), "follow_kind": d["follow_kind"], "effective_on": d["effective_on"],
                "to_position_id": d["to_position"].pk if d["to_position"] else None,
                "to_grade_id": d["to_grade"].pk if d["to_grade"] else None}


# action -> the form that posts it
FORMS: dict[str, type[ActForm]] = {
    "review": ReviewAct, "approve": ReasonAct, "reject": ReasonAct, "apply": ActForm, "withdraw": ReasonAct,
    "improved": ReasonAct, "not_improved": NotImprovedAct,
}
