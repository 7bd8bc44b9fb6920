"""The form of each act on an appraisal: what it asks, and the keyword arguments of its service.

Every form carries the appraisal's `version`; the service refuses a stale one. Goals are keyed by metric code.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from teams import inputs
from teams.models import Employee

from ..models import Appraisal, Condition, Level
from . import ShowsErrors

LEVEL_CHOICES = [("", "—"), *sorted(Level.choices, reverse=True)]


def _level(label, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=LEVEL_CHOICES, coerce=int, required=required)


def _text(label, required: bool = True, max_length: int = 5000) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ActForm(ShowsErrors):
    """An act on one appraisal; subclasses add their inputs and say what their service is given."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, appraisal: Appraisal, goals: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.appraisal = appraisal
        self.goals = goals
        self.add_fields()

    def add_fields(self) -> None:
        """Add the inputs that depend on the appraisal (its goals, the kind of cycle)."""

    def arguments(self) -> dict:
        """Return the service's keyword arguments beyond `by` and `appraisal_id`."""
        return {"version": self.cleaned_data["version"]}

    def per_goal(self, prefix: str) -> list[tuple[object, forms.BoundField]]:
        """Return (goal, its input) for the inputs named `<prefix>_<metric>`."""
        return [(goal, self[f"{prefix}_{goal.metric}"]) for goal in self.goals]


class PlainAct(ActForm):
    """An act that needs nothing but the version: verify, confirm, publish, close the feedback, re-collect."""


class CommentAct(ActForm):
    """An act that says why: a question, a disagreement."""

    comment = _text(_("Comment"))

    def arguments(self) -> dict:
        return {**super().arguments(), "comment": self.cleaned_data["comment"]}


class ReasonAct(ActForm):
    """An act HR must give a reason for: withdraw, keep the rating, return it to the rater."""

    reason = _text(_("Reason"), max_length=1000)

    def arguments(self) -> dict:
        return {**super().arguments(), "reason": self.cleaned_data["reason"]}


class ReassignAct(ReasonAct):
    rater = forms.ModelChoiceField(label=_("New rater"), queryset=Employee.objects.order_by("name"))
    aliases = {"rater_id": "rater"}

    def arguments(self) -> dict:
        return {**super().arguments(), "rater_id": self.cleaned_data["rater"].pk}


class GoalsAct(ActForm):
    """Save or confirm the goals: a weight and a target per goal."""

    groups = {"weight": "weight_", "target": "target_", "goals": "weight_"}
    blank_first = frozenset({"target"})

    def add_fields(self) -> None:
        for goal in self.goals:
            self.fields[f"weight_{goal.metric}"] = forms.IntegerField(
                label=_("Weight (%)"), min_value=0, max_value=100, initial=goal.weight)
            # text, parsed by the service as every amount is (teams.inputs): "6.6万" is a target
            self.fields[f"target_{goal.metric}"] = forms.CharField(
                label=_("Target"), required=False, max_length=inputs.MAX_NUMBER_CHARS,
                initial=inputs.plain(goal.target) if goal.target is not None else "",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))

    @property
    def rows(self) -> list[tuple[object, forms.BoundField, forms.BoundField]]:
        return [(goal, self[f"weight_{goal.metric}"], self[f"target_{goal.metric}"]) for goal in self.goals]

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {**super().arguments(), "goals": [
            {"metric": g.metric, "weight": data[f"weight_{g.metric}"], "target": data[f"target_{g.metric}"]}
            for g in self.goals]}


class ReviewAct(ActForm):
    """The self review and work report (述职), with a self-rating per goal."""

    text = _text(_("Self review and work report"), max_length=10000)
    groups = {"self_ratings": "self_rating_"}

    def add_fields(self) -> None:
        for goal in self.goals:
            self.fields[f"self_rating_{goal.metric}"] = _level(_("Self rating"))

    @property
    def rows(self) -> list[tuple[object, forms.BoundField]]:
        return self.per_goal("self_rating")

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {**super().arguments(), "text": data["text"],
                "self_ratings": {g.metric: data[f"self_rating_{g.metric}"] for g in self.goals}}


class RateAct(ActForm):
    """The rater's rating per goal and overall, a comment, a reason when far from the computed rating; in an annual
    cycle also the ability evaluation's five conditions."""

    rating = _level(_("Overall rating"))
    comment = _text(_("Comment"))
    reason = _text(_("Reason for the overall rating (needed two or more levels from the computed one)"),
                   required=False)
    groups = {"goal_ratings": "rating_", "ability": "ability_"}

    def add_fields(self) -> None:
        for goal in self.goals:
            self.fields[f"rating_{goal.metric}"] = _level(_("Rating"))
        if self.annual:
            for condition in Condition:
                self.fields[f"ability_{condition.value}"] = _level(condition.label)
                self.fields[f"ability_comment_{condition.value}"] = forms.CharField(
                    label=_("Comment"), max_length=2000, required=False)

    @property
    def rows(self) -> list[tuple[object, forms.BoundField]]:
        return self.per_goal("rating")

    @property
    def annual(self) -> bool:
        return self.appraisal.cycle.kind == "annual"

    @property
    def ability_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        if not self.annual:
            return []
        return [(c.label, self[f"ability_{c.value}"], self[f"ability_comment_{c.value}"]) for c in Condition]

    def arguments(self) -> dict:
        data = self.cleaned_data
        ability = ({c.value: (data[f"ability_{c.value}"], data[f"ability_comment_{c.value}"]) for c in Condition}
                   if self.annual else None)
        return {**super().arguments(), "goal_ratings": {g.metric: data[f"rating_{g.metric}"] for g in self.goals},
                "rating": data["rating"], "comment": data["comment"], "reason": data["reason"], "ability": ability}


class AnswerForm(ShowsErrors):
    answer = _text(_("Your answer"), max_length=5000)


class AskForm(ShowsErrors):
    givers = forms.ModelMultipleChoiceField(label=_("Feedback givers"), queryset=Employee.objects.order_by("name"),
                                            widget=forms.SelectMultiple(attrs={"size": 8}))
    aliases = {"giver_ids": "givers"}
