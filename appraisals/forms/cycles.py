"""HR's forms: open a cycle, add a person, the rating labels."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis import metrics
from targets.models import PlanYear
from teams import inputs
from teams.models import Employee, Team

from ..models import CycleKind, Level, Step
from . import ShowsErrors

# Steps with a due date, in order (withdrawn is not a step anyone holds; published is the end).
DEADLINE_STEPS = [s for s in Step if s not in (Step.DISPUTED, Step.PUBLISHED, Step.WITHDRAWN)]
# Summable metrics only (docs/appraisals.md "Goals"): the entered ones and the total.
GOAL_METRICS = [m for m in metrics.REGISTRY if m.entered or m.code == "total_deposits"]


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value) -> date | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return inputs.month(value)
        except inputs.InputError as error:
            raise forms.ValidationError(error.message) from None


class CycleForm(ShowsErrors):
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=CycleKind.choices)
    plan = forms.ModelChoiceField(label=_("Plan year"), queryset=PlanYear.objects.all())
    first_month = MonthField(label=_("First month"))
    last_month = MonthField(label=_("Last month"))
    teams = forms.ModelMultipleChoiceField(label=_("Teams (none: all of sales)"), queryset=Team.objects.all(),
                                           required=False, widget=forms.CheckboxSelectMultiple)
    with_feedback = forms.BooleanField(label=_("Collect anonymous feedback"), required=False)
    aliases = {"team_ids": "teams"}
    groups = {"goal_metrics": "weight_", "deadlines": "due_"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for m in GOAL_METRICS:
            self.fields[f"weight_{m.code}"] = forms.IntegerField(
                label=m.label, min_value=0, max_value=100, required=False,
                initial=100 if m.code == "total_deposits" else None)
        for step in DEADLINE_STEPS:
            self.fields[f"due_{step.value}"] = forms.DateField(label=step.label, required=True,
                                                               widget=forms.DateInput(attrs={"type": "date"}))

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{m.code}"] for m in GOAL_METRICS]

    @property
    def deadline_fields(self) -> list[forms.BoundField]:
        return [self[f"due_{s.value}"] for s in DEADLINE_STEPS]

    def arguments(self) -> dict:
        """Return cycle_open's keyword arguments from the cleaned form."""
        data = self.cleaned_data
        return {
            "name": data["name"], "kind": data["kind"], "plan": data["plan"],
            "first_month": data["first_month"], "last_month": data["last_month"],
            "team_ids": [t.pk for t in data["teams"]] or None, "with_feedback": data["with_feedback"],
            "goal_metrics": [{"metric": m.code, "weight": data[f"weight_{m.code}"]} for m in GOAL_METRICS
                             if data.get(f"weight_{m.code}")],
            "deadlines": {s.value: data[f"due_{s.value}"] for s in DEADLINE_STEPS if data.get(f"due_{s.value}")},
        }


class DeadlinesForm(ShowsErrors):
    """Move an open cycle's due dates (the same rules as when it was opened)."""

    groups = {"deadlines": "due_"}

    def __init__(self, *args, due: dict[str, date], with_feedback: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for step in DEADLINE_STEPS:
            self.fields[f"due_{step.value}"] = forms.DateField(
                label=step.label, required=step != Step.FEEDBACK or with_feedback, initial=due.get(step.value),
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    @property
    def deadline_fields(self) -> list[forms.BoundField]:
        return [self[f"due_{s.value}"] for s in DEADLINE_STEPS]

    def deadlines(self) -> dict[str, date]:
        return {s.value: self.cleaned_data[f"due_{s.value}"] for s in DEADLINE_STEPS
                if self.cleaned_data.get(f"due_{s.value}")}


class PersonForm(ShowsErrors):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.order_by("name"))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    aliases = {"employee_id": "employee"}


class LabelsForm(ShowsErrors):
    groups = {"labels": "zh_"}

    def __init__(self, *args, labels: dict[int, tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for level, label in Level.choices:
            zh, en = labels.get(level, ("", str(label)))
            self.fields[f"zh_{level}"] = forms.CharField(label=_("Chinese label"), max_length=20, initial=zh)
            self.fields[f"en_{level}"] = forms.CharField(label=_("English label"), max_length=40, initial=en)

    @property
    def rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(level, self[f"zh_{level}"], self[f"en_{level}"]) for level in sorted(Level.values, reverse=True)]

    def labels(self) -> dict[int, tuple[str, str]]:
        return {level: (self.cleaned_data[f"zh_{level}"], self.cleaned_data[f"en_{level}"]) for level in Level.values}
